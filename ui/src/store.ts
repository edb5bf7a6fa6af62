/**
 * The browser's copy of the model: what the hub's snapshot said, plus every delta since.
 * Pure functions over immutable values, so a changed map is a new object and an unchanged
 * one is the same object (the canvas and the list compare by identity).
 */
import type {
  Acl, Alert, Cluster, Connection, ConnectionLive, Delta, MetricsSample, Server, ServerStatus, Snapshot, VirtualServer,
} from '../../agent/protocol/types.js';
import { mergeAlerts } from './alerts.js';

export interface Model {
  user: { name: string; acl: Acl };
  servers: ReadonlyMap<string, Server>;
  connections: ReadonlyMap<string, Connection>;
  clusters: ReadonlyMap<string, Cluster>;
  status: ReadonlyMap<string, ServerStatus>;
  metrics: ReadonlyMap<string, MetricsSample>;
  /** Firing and recently resolved alerts by id. */
  alerts: ReadonlyMap<string, Alert>;
  /** Probed connections by id: status and latency (absent: unknown). */
  connectionStatus: ReadonlyMap<string, ConnectionLive>;
  /** Virtual servers on the clusters the user sees, by id. */
  virtualServers: ReadonlyMap<string, VirtualServer>;
}

const byKey = <T>(items: readonly T[], key: (t: T) => string) => new Map(items.map((t) => [key(t), t]));

export function applySnapshot(s: Snapshot): Model {
  return {
    user: s.user,
    servers: byKey(s.servers, (x) => x.id),
    connections: byKey(s.connections, (x) => x.id),
    clusters: byKey(s.clusters, (x) => x.name),
    status: new Map(Object.entries(s.status)),
    metrics: new Map(Object.entries(s.metrics)),
    alerts: mergeAlerts(new Map(), s.alerts),
    connectionStatus: new Map(Object.entries(s.connectionStatus ?? {})),
    virtualServers: byKey(s.virtualServers ?? [], (x) => x.id),
  };
}

/**
 * Returns `map` with `upserts` set and `removed` deleted; the same map when neither has
 * anything, so untouched parts of the model keep their identity.
 */
function patch<T>(map: ReadonlyMap<string, T>, upserts: Iterable<[string, T]> | undefined, removed: readonly string[] | undefined): ReadonlyMap<string, T> {
  const up = upserts ? [...upserts] : [];
  if (!up.length && !removed?.length) return map;
  const next = new Map(map);
  for (const k of removed ?? []) next.delete(k);
  for (const [k, v] of up) next.set(k, v);
  return next;
}

export function applyDelta(m: Model, d: Delta): Model {
  const gone = d.removed?.servers;
  return {
    user: m.user,
    servers: patch(m.servers, d.servers?.map((x) => [x.id, x]), gone),
    connections: patch(m.connections, d.connections?.map((x) => [x.id, x]), d.removed?.connections),
    clusters: patch(m.clusters, d.clusters?.map((x) => [x.name, x]), d.removed?.clusters),
    // A removed server takes its status and metrics with it.
    status: patch(m.status, d.status && Object.entries(d.status), gone),
    metrics: patch(m.metrics, d.metrics && Object.entries(d.metrics), gone),
    alerts: mergeAlerts(m.alerts, d.alerts),
    // A removed connection (also one removed with its server) takes its status with it.
    connectionStatus: patch(m.connectionStatus, d.connectionStatus && Object.entries(d.connectionStatus), d.removed?.connections),
    virtualServers: patch(m.virtualServers, d.virtualServers?.map((x) => [x.id, x]), d.removed?.virtualServers),
  };
}

/** A connection's status and latency; one the hub has not reported is `unknown`. */
export const connectionStatusOf = (m: Pick<Model, 'connectionStatus'>, id: string): ConnectionLive =>
  m.connectionStatus.get(id) ?? { status: 'unknown', latencyMs: null };

/** A server's status; one the hub has not reported yet is `unknown`. */
export const statusOf = (m: Pick<Model, 'status'>, id: string): ServerStatus => m.status.get(id) ?? 'unknown';
