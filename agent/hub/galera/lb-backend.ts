/**
 * Galera behind HAProxy: a load balancer with a `database` connection (either way) to a member of
 * a Galera cluster serves that cluster on a TCP frontend (the cluster's lbPort, default 3306)
 * whose backend holds every member in writer order: the writer, then the others as `backup`
 * servers (HAProxy sends everything to the first one up, in file order: one writer, failing over
 * in order). Each server's state follows the node's Galera state (live.ts `backendState`), so a
 * Donor, joining, non-Primary or drained node takes no new connections. Pure.
 */
import type { Cluster, GaleraClusterStatus, Server, State } from '../../protocol/types.js';
import type { ExtraBackends } from '../jobs/lb-desired.js';
import { members, resolveSettings, writerOrder } from './settings.js';

export const GALERA_BACKEND_PREFIX = 'galera-';
export const backendName = (cluster: string) => `${GALERA_BACKEND_PREFIX}${cluster}`.slice(0, 63);

/** The Galera clusters `node` (a load balancer) has a database connection to. */
export function galeraClustersOf(state: Pick<State, 'servers' | 'connections' | 'clusters'>, node: Pick<Server, 'id'>): Cluster[] {
  const peers = new Set(state.connections.filter((c) => c.type === 'database' && (c.from === node.id || c.to === node.id)).map((c) => (c.from === node.id ? c.to : c.from)));
  return state.clusters.filter((c) => c.galera && members(state, c).some((m) => peers.has(m.id)));
}

/** The load balancers that serve Galera cluster `galera`, and the load-balancer clusters they are in. */
export function lbClustersServing(state: Pick<State, 'servers' | 'connections' | 'clusters'>, galera: string): Cluster[] {
  const lbs = new Set(state.servers.filter((s) => s.type === 'loadbalancer' && galeraClustersOf(state, s).some((c) => c.name === galera)).map((s) => s.id));
  return state.clusters.filter((c) => c.loadBalancer && c.servers.some((id) => lbs.has(id)));
}

/** The frontends and backends a load balancer gets for its Galera clusters, with each server's live state. */
export function galeraBackends(state: Pick<State, 'servers' | 'connections' | 'clusters'>, view: (cluster: string) => GaleraClusterStatus | undefined): ExtraBackends {
  return (node) => {
    const out: ReturnType<ExtraBackends> = { frontends: [], backends: [] };
    for (const g of galeraClustersOf(state, node)) {
      const nodes = members(state, g);
      const byId = new Map(nodes.map((n) => [n.id, n]));
      const live = view(g.name);
      const name = backendName(g.name);
      out.frontends.push({ name, port: resolveSettings(g).lbPort, mode: 'tcp', backend: name });
      out.backends.push({
        name,
        servers: writerOrder(g, nodes.map((n) => n.id)).map((id, i) => ({
          name: id, address: byId.get(id)!.address, port: 3306, weight: 10,
          state: live?.nodes.find((n) => n.serverId === id)?.backend ?? 'ready',
          ...(i > 0 ? { backup: true } : {}),
        })),
      });
    }
    return out;
  };
}
