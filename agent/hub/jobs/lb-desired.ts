/**
 * What each load balancer of a cluster should run, from the model. The `web` backend of a load
 * balancer holds the cluster's web servers plus every server it has an http connection to in the
 * diagram (drawing one adds that server; deleting it drains and removes it). Weights and states
 * come from `loadBalancer.servers`. With a VIP, the load balancers share it by unicast VRRP,
 * the first one listed in the cluster with the highest priority. Every http frontend routes the
 * names of the virtual servers placed on the cluster to `web` (to the "website disabled" page
 * while one is disabled), after the user's own host rules. `extra` adds what other roles give a
 * load balancer (the TCP frontend and backend of a Galera cluster it has database connections to).
 */
import { DISABLED_BACKEND } from '../../protocol/lb.js';
import type { Cluster, DesiredFrontend, DesiredServer, Frontend, HaproxyDesired, LbDesired, Server, State } from '../../protocol/types.js';
import { badRequest } from '../errors.js';
import { hostsOf, virtualServersOf } from '../model/virtual-servers.js';

export const DEFAULT_WEIGHT = 10;

export function lbNodes(state: Pick<State, 'servers'>, cluster: Cluster): Server[] {
  const byId = new Map(state.servers.map((s) => [s.id, s]));
  return cluster.servers.map((id) => byId.get(id)).filter((s): s is Server => s?.type === 'loadbalancer');
}

/** The host rules of the virtual servers whose web part is on `cluster`, sorted by host. */
export function virtualServerHostRules(state: Pick<State, 'virtualServers'>, cluster: string): { host: string; backend: string }[] {
  return virtualServersOf(state).filter((v) => v.web?.cluster === cluster)
    .flatMap((v) => hostsOf(v).map((host) => ({ host, backend: v.state === 'disabled' ? DISABLED_BACKEND : 'web' })))
    .sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
}

/** Frontends and backends a load balancer gets from elsewhere (a Galera cluster it has database connections to). */
export type ExtraBackends = (node: Server) => { frontends: Frontend[]; backends: HaproxyDesired['backends'] };

export function desiredLoadBalancing(state: Pick<State, 'servers' | 'connections' | 'virtualServers'>, cluster: Cluster, extra?: ExtraBackends): Map<string, LbDesired> {
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
  // The cluster's balance, stickiness and checks: for its own backends, not those other roles add.
  const options = { ...(lb.balance ? { balance: lb.balance } : {}), ...(lb.sticky ? { sticky: lb.sticky } : {}), ...(lb.healthCheck ? { healthCheck: lb.healthCheck } : {}) };
  const named = (lb.backends ?? []).map((b) => ({ name: b.name, servers: b.servers.map(server), ...options }));
  if (named.some((b) => b.name === DISABLED_BACKEND)) throw badRequest(`the backend name '${DISABLED_BACKEND}' is reserved for the "website disabled" page`, 'reserved_backend');
  const known = new Set(['web', DISABLED_BACKEND, ...named.map((b) => b.name)]);
  for (const f of lb.frontends) {
    for (const b of [f.backend ?? 'web', ...(f.hostRules ?? []).map((r) => r.backend)]) {
      if (!known.has(b)) throw badRequest(`frontend '${f.name}' uses backend '${b}', which the cluster does not define`, 'unknown_backend');
    }
  }
  const vsRules = virtualServerHostRules(state, cluster.name);
  const frontends: DesiredFrontend[] = vsRules.length
    ? lb.frontends.map((f) => ((f.mode ?? 'http') === 'http' ? { ...f, hostRules: [...(f.hostRules ?? []), ...vsRules] } : f))
    : lb.frontends;
  const out = new Map<string, LbDesired>();
  nodes.forEach((node, i) => {
    const drawn = state.connections.filter((c) => c.from === node.id && c.type === 'http').map((c) => c.to);
    const members = [...new Set([...webs, ...drawn])].sort();
    const more = extra?.(node) ?? { frontends: [], backends: [] };
    const desired: LbDesired = {
      cluster: cluster.name,
      haproxy: {
        frontends: more.frontends.length ? [...frontends, ...more.frontends] : frontends,
        backends: [{ name: 'web', servers: members.map(server), ...options }, ...named, ...more.backends],
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
