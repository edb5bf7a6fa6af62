/** Each load balancer's latest live status (backend server states, VIPs held), in memory. */
import type { Cluster, LbStatus, State } from '../../protocol/types.js';
import { lbNodes } from './lb-desired.js';

export class LbLive {
  private byServer = new Map<string, { status: LbStatus; at: number }>();

  record(serverId: string, status: LbStatus): void {
    this.byServer.set(serverId, { status, at: Date.now() });
  }

  forget(serverId: string): void {
    this.byServer.delete(serverId);
  }

  /** The cluster's load balancers: who holds the VIP, and each one's servers as it sees them. */
  view(state: Pick<State, 'servers'>, cluster: Cluster) {
    const vip = cluster.loadBalancer?.vip?.address ?? null;
    const nodes = lbNodes(state, cluster).map((n) => {
      const l = this.byServer.get(n.id);
      return { serverId: n.id, reportedAt: l ? new Date(l.at).toISOString() : null, vips: l?.status.vips ?? [], servers: l?.status.servers ?? [] };
    });
    return { cluster: cluster.name, vip, vipHolders: vip ? nodes.filter((n) => n.vips.includes(vip)).map((n) => n.serverId) : [], nodes };
  }
}
