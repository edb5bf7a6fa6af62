/** Each load balancer's latest live status (backend server states, VIPs held), in memory. */
import type { Cluster, LbClusterStatus, LbStatus, State } from '../../protocol/types.js';
import { lbNodes } from './lb-desired.js';

/** A status older than this is not trusted: the node (or its link) is gone (agents report every 4 s at least). */
export const LB_STATUS_STALE_MS = 10_000;

export class LbLive {
  private byServer = new Map<string, { status: LbStatus; at: number }>();

  record(serverId: string, status: LbStatus): void {
    this.byServer.set(serverId, { status, at: Date.now() });
  }

  /** The cluster's load balancers: who holds the VIP, and each one's servers as it sees them. */
  view(state: Pick<State, 'servers'>, cluster: Cluster, now = Date.now()): LbClusterStatus {
    const vip = cluster.loadBalancer?.vip?.address ?? null;
    const nodes = lbNodes(state, cluster).map((n) => {
      const l = this.byServer.get(n.id);
      const fresh = l && now - l.at < LB_STATUS_STALE_MS ? l.status : undefined;
      return { serverId: n.id, reportedAt: l ? new Date(l.at).toISOString() : null, stale: !fresh, vips: fresh?.vips ?? [], servers: fresh?.servers ?? [] };
    });
    return { cluster: cluster.name, vip, vipHolders: vip ? nodes.filter((n) => n.vips.includes(vip)).map((n) => n.serverId) : [], nodes };
  }
}
