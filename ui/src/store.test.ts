import { describe, expect, it } from 'vitest';
import type { Delta, MetricsSample, Server, Snapshot } from '../../agent/protocol/types.js';
import { applyDelta, applySnapshot, connectionStatusOf, statusOf } from './store.js';

const server = (id: string, name = id): Server => ({ id, name, type: 'web', address: '10.0.0.1', region: '', labels: {}, ports: [] });
const sample = (cpu: number): MetricsSample => ({
  ts: 1, cpu, mem: { total: 100, used: 50, swapTotal: 0, swapUsed: 0 }, disks: [], diskIO: { readBps: 0, writeBps: 0 },
  net: { rxBps: 0, txBps: 0 }, load: [0, 0, 0], uptime: 10, tcp: 1,
});
const acl = { view: true, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false, scope: '*' as const };

const snapshot: Snapshot = {
  v: 1, type: 'snapshot', user: { name: 'admin', acl },
  servers: [server('a'), server('b')],
  connections: [{ id: 'a:b', from: 'a', to: 'b', type: 'http' }],
  clusters: [{ name: 'c1', servers: ['a', 'b'] }],
  status: { a: 'active', b: 'inactive' },
  metrics: { a: sample(10) },
};
const delta = (d: Omit<Delta, 'v' | 'type'>): Delta => ({ v: 1, type: 'delta', ...d });

describe('applySnapshot', () => {
  it('indexes everything by id (clusters by name)', () => {
    const m = applySnapshot(snapshot);
    expect([...m.servers.keys()]).toEqual(['a', 'b']);
    expect(m.connections.get('a:b')?.type).toBe('http');
    expect(m.clusters.get('c1')?.servers).toEqual(['a', 'b']);
    expect(statusOf(m, 'b')).toBe('inactive');
    expect(m.metrics.get('a')?.cpu).toBe(10);
    expect(m.user.name).toBe('admin');
  });

  it('reports a server without a status as unknown', () => {
    expect(statusOf(applySnapshot({ ...snapshot, status: {} }), 'a')).toBe('unknown');
  });
});

describe('applyDelta', () => {
  const m0 = applySnapshot(snapshot);

  it('replaces metrics and status without touching the other maps', () => {
    const m = applyDelta(m0, delta({ metrics: { a: sample(55), b: sample(5) }, status: { b: 'active' } }));
    expect(m.metrics.get('a')?.cpu).toBe(55);
    expect(m.metrics.get('b')?.cpu).toBe(5);
    expect(statusOf(m, 'b')).toBe('active');
    // Identity says "unchanged": the canvas skips work on a metrics-only delta.
    expect(m.servers).toBe(m0.servers);
    expect(m.connections).toBe(m0.connections);
    expect(m.clusters).toBe(m0.clusters);
  });

  it('does not mutate the model it was given', () => {
    applyDelta(m0, delta({ servers: [server('c')], status: { a: 'warning' }, removed: { servers: ['b'] } }));
    expect([...m0.servers.keys()]).toEqual(['a', 'b']);
    expect(statusOf(m0, 'a')).toBe('active');
  });

  it('upserts servers, connections and clusters', () => {
    const m = applyDelta(m0, delta({
      servers: [server('a', 'Renamed'), server('c')],
      connections: [{ id: 'b:c', from: 'b', to: 'c', type: 'standard' }],
      clusters: [{ name: 'c1', servers: ['a'] }, { name: 'c2', servers: [] }],
    }));
    expect(m.servers.get('a')?.name).toBe('Renamed');
    expect([...m.servers.keys()]).toEqual(['a', 'b', 'c']);
    expect([...m.connections.keys()]).toEqual(['a:b', 'b:c']);
    expect(m.clusters.get('c1')?.servers).toEqual(['a']);
    expect(m.clusters.has('c2')).toBe(true);
  });

  it('removes servers with their status and metrics, and removed connections and clusters', () => {
    const m = applyDelta(m0, delta({ removed: { servers: ['a'], connections: ['a:b'], clusters: ['c1'] } }));
    expect([...m.servers.keys()]).toEqual(['b']);
    expect(m.status.has('a')).toBe(false);
    expect(m.metrics.has('a')).toBe(false);
    expect(m.connections.size).toBe(0);
    expect(m.clusters.size).toBe(0);
  });

  it('returns the same maps for an empty delta', () => {
    const m = applyDelta(m0, delta({}));
    for (const k of ['servers', 'connections', 'clusters', 'status', 'metrics', 'alerts', 'connectionStatus'] as const) expect(m[k]).toBe(m0[k]);
  });

  it('takes alerts from the snapshot and replaces them by id from deltas', () => {
    const firing = { id: 'r:a:1', ruleId: 'r', ruleName: 'R', metric: 'cpu' as const, serverId: 'a', state: 'firing' as const, value: 91, startedAt: '2024-01-01T00:00:00.000Z' };
    const m1 = applySnapshot({ ...snapshot, alerts: [firing] });
    expect(m1.alerts.get('r:a:1')?.state).toBe('firing');
    const m2 = applyDelta(m1, delta({ alerts: [{ ...firing, state: 'resolved', resolvedAt: '2024-01-01T00:01:00.000Z' }] }));
    expect(m2.alerts.get('r:a:1')?.state).toBe('resolved');
    expect(m2.servers).toBe(m1.servers);
  });
});

describe('connection status', () => {
  const up = { status: 'connected' as const, latencyMs: 0.4 };
  const down = { status: 'disconnected' as const, latencyMs: null };

  it('is unknown without a map (an older hub) or an entry', () => {
    const m = applySnapshot(snapshot);
    expect(m.connectionStatus.size).toBe(0);
    expect(connectionStatusOf(m, 'a:b')).toEqual({ status: 'unknown', latencyMs: null });
  });

  it('comes from the snapshot and is replaced by id from deltas, leaving the rest as it was', () => {
    const m1 = applySnapshot({ ...snapshot, connectionStatus: { 'a:b': up } });
    expect(connectionStatusOf(m1, 'a:b')).toEqual(up);
    const m2 = applyDelta(m1, delta({ connectionStatus: { 'a:b': down } }));
    expect(connectionStatusOf(m2, 'a:b')).toEqual(down);
    expect(connectionStatusOf(m1, 'a:b')).toEqual(up);
    expect(m2.connections).toBe(m1.connections);
    expect(m2.status).toBe(m1.status);
    // A metrics-only delta keeps the map itself.
    expect(applyDelta(m2, delta({ metrics: { a: sample(1) } })).connectionStatus).toBe(m2.connectionStatus);
  });

  it('goes with a removed connection', () => {
    const m1 = applySnapshot({ ...snapshot, connectionStatus: { 'a:b': up } });
    const m2 = applyDelta(m1, delta({ removed: { connections: ['a:b'] } }));
    expect(m2.connectionStatus.has('a:b')).toBe(false);
  });
});
