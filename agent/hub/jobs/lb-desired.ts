/**
 * What each load balancer of a cluster should run, from the model. The `web` backend of a load
 * balancer holds the cluster's web servers plus every server it has an http connection to in the
 * diagram (drawing one adds that server; deleting it drains and removes it). Weights and states
 * come from `loadBalancer.servers`. With a VIP, the load balancers share it by unicast VRRP,
 * the first one listed in the cluster with the highest priority.
 */
import type { Cluster, DesiredServer, LbDesired, Server, State } from '../../protocol/types.js';
import { badRequest } from '../errors.js';

export const DEFAULT_WEIGHT = 10;

export function lbNodes(state: Pick<State, 'servers'>, cluster: Cluster): Server[] {
  const byId = new Map(state.servers.map((s) => [s.id, s]));
  return cluster.servers.map((id) => byId.get(id)).filter((s): s is Server => s?.type === 'loadbalancer');
}

export function desiredLoadBalancing(state: Pick<State, 'servers' | 'connections'>, cluster: Cluster): Map<string, LbDesired> {
  const lb = cluster.loadBalancer;
  if (!lb) throw badRequest(`cluster '${cluster.name}' has no load-balancer settings (loadBalancer.frontends)`, 'no_load_balancer');
  const byId = new Map(state.servers.map((s) => [s.id, s]));
  const nodes = lbNodes(state, cluster);
  if (!nodes.length) throw badRequest(`cluster '${cluster.name}' has no server of type loadbalancer`, 'no_load_balancer');
  const webs = cluster.servers.filter((id) => byId.get(id)?.type === 'web');
  const port = lb.serverPort ?? 80;
  const server = (id: string): DesiredServer => {
    const s = byId.get(id);
    if (!s) throw badRequest(`cluster '${cluster.name}': no server with id '${id}'`, 'unknown_server');
    const o = lb.servers?.[id];
    return { name: id, address: s.address, port, weight: o?.weight ?? DEFAULT_WEIGHT, state: o?.state ?? 'ready' };
  };
  const extra = (lb.backends ?? []).map((b) => ({ name: b.name, servers: b.servers.map(server) }));
  const known = new Set(['web', ...extra.map((b) => b.name)]);
  for (const f of lb.frontends) {
    for (const b of [f.backend ?? 'web', ...(f.hostRules ?? []).map((r) => r.backend)]) {
      if (!known.has(b)) throw badRequest(`frontend '${f.name}' uses backend '${b}', which the cluster does not define`, 'unknown_backend');
    }
  }
  const out = new Map<string, LbDesired>();
  nodes.forEach((node, i) => {
    const drawn = state.connections.filter((c) => c.from === node.id && c.type === 'http').map((c) => c.to);
    const members = [...new Set([...webs, ...drawn])].sort();
    const desired: LbDesired = {
      cluster: cluster.name,
      haproxy: {
        frontends: lb.frontends,
        ...(lb.balance ? { balance: lb.balance } : {}), ...(lb.sticky ? { sticky: lb.sticky } : {}), ...(lb.healthCheck ? { healthCheck: lb.healthCheck } : {}),
        backends: [{ name: 'web', servers: members.map(server) }, ...extra],
      },
    };
    if (lb.vip) {
      desired.keepalived = {
        vip: lb.vip, priority: Math.max(1, 200 - i * 10), self: node.address,
        peers: nodes.filter((n) => n !== node).map((n) => n.address),
      };
    }
    out.set(node.id, desired);
  });
  return out;
}
