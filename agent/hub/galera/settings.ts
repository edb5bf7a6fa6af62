/**
 * A cluster's Galera role as the hub uses it: the settings with their defaults, its members (the
 * cluster's database servers, in cluster order) and the writer order behind HAProxy.
 */
import type { Cluster, GaleraDesired, GaleraSettings, Server, State } from '../../protocol/types.js';
import { badRequest } from '../errors.js';

export const DEFAULTS = { sstMethod: 'mariabackup', gcacheSize: '128M', flushLogAtTrxCommit: 1, slaveThreads: 2, autoRecover: false, lbPort: 3306 } as const;

export type Resolved = Required<Omit<GaleraSettings, 'writer' | 'options'>> & { options: Record<string, string>; writer?: string };

export function resolveSettings(cluster: Cluster): Resolved {
  const g = cluster.galera ?? {};
  return {
    clusterName: g.clusterName ?? cluster.name,
    sstMethod: g.sstMethod ?? DEFAULTS.sstMethod,
    gcacheSize: g.gcacheSize ?? DEFAULTS.gcacheSize,
    flushLogAtTrxCommit: g.flushLogAtTrxCommit ?? DEFAULTS.flushLogAtTrxCommit,
    slaveThreads: g.slaveThreads ?? DEFAULTS.slaveThreads,
    options: { ...(g.options ?? {}) },
    autoRecover: g.autoRecover ?? DEFAULTS.autoRecover,
    lbPort: g.lbPort ?? DEFAULTS.lbPort,
    ...(g.writer ? { writer: g.writer } : {}),
  };
}

/** The cluster's database servers, in cluster order. */
export function members(state: Pick<State, 'servers'>, cluster: Cluster): Server[] {
  const byId = new Map(state.servers.map((s) => [s.id, s]));
  return cluster.servers.map((id) => byId.get(id)).filter((s): s is Server => s?.type === 'database');
}

/** Writer first (the setting, else the first member), then the backups in cluster order. */
export function writerOrder(cluster: Cluster, ids: readonly string[]): string[] {
  const w = cluster.galera?.writer;
  return w && ids.includes(w) ? [w, ...ids.filter((id) => id !== w)] : [...ids];
}

/** The cluster with its Galera role, or 400 when it has none or no database server. */
export function galeraCluster(state: Pick<State, 'servers'>, cluster: Cluster): Server[] {
  if (!cluster.galera) throw badRequest(`cluster '${cluster.name}' has no Galera role: set "galera" on it first (PATCH /api/clusters/${cluster.name})`, 'no_galera');
  const nodes = members(state, cluster);
  if (!nodes.length) throw badRequest(`cluster '${cluster.name}' has no server of type database`, 'no_database');
  return nodes;
}

/** What each node should run: the same settings, its own name and address, every member as a peer. */
export function desiredGalera(cluster: Cluster, nodes: readonly Server[]): Map<string, GaleraDesired> {
  const s = resolveSettings(cluster);
  const peers = nodes.map((n) => n.address);
  return new Map(nodes.map((n) => [n.id, {
    cluster: cluster.name, clusterName: s.clusterName, nodeName: n.id, nodeAddress: n.address, peers,
    sstMethod: s.sstMethod, gcacheSize: s.gcacheSize, flushLogAtTrxCommit: s.flushLogAtTrxCommit, slaveThreads: s.slaveThreads, options: s.options,
  }]));
}
