import { describe, expect, it } from 'vitest';
import type { Cluster, GaleraNodeStatus, Server, State } from '../../protocol/types.js';
import { galeraBackends, lbClustersServing } from './lb-backend.js';
import { GaleraLive, backendState, summarize } from './live.js';

const server = (id: string, type: Server['type'] = 'database', n = 1): Server => ({ id, name: id, type, address: `10.0.0.${n}`, region: '', labels: {}, ports: [] });
const state: Pick<State, 'servers' | 'connections' | 'clusters'> = {
  servers: [server('db1', 'database', 11), server('db2', 'database', 12), server('db3', 'database', 13), server('web1', 'web', 5), server('lb1', 'loadbalancer', 20)],
  connections: [{ id: 'lb1:db2', from: 'lb1', to: 'db2', type: 'database' }],
  clusters: [
    { name: 'db', servers: ['db1', 'db2', 'db3', 'web1'], galera: { writer: 'db2', lbPort: 3307 } },
    { name: 'edge', servers: ['lb1'], loadBalancer: { frontends: [] } },
  ],
};
const db = state.clusters[0] as Cluster;
const synced: GaleraNodeStatus = { running: true, state: 'Synced', primary: true, clusterSize: 3 };

describe('the Galera view', () => {
  it('tells HAProxy ready only for a Synced node in a Primary component', () => {
    expect(backendState(synced, false)).toBe('ready');
    expect(backendState(synced, true)).toBe('maint');
    expect(backendState({ running: true, state: 'Donor/Desynced', primary: true }, false)).toBe('maint');
    expect(backendState({ running: true, state: 'non-Primary', primary: false }, false)).toBe('maint');
    expect(backendState({ running: false, state: 'down' }, false)).toBe('maint');
    expect(backendState(undefined, false)).toBe('ready');
  });

  it('summarizes the cluster for its floor', () => {
    const n = (serverId: string, status?: GaleraNodeStatus, stale = false) => ({ serverId, stale, ...(status ? { status } : {}) });
    expect(summarize([n('a', synced), n('b', synced), n('c', synced)])).toEqual({ summary: 'Primary 3/3', tone: 'ok' });
    expect(summarize([n('a', synced), n('b', synced), n('c', { running: false, state: 'down' })])).toEqual({ summary: 'Primary 2/3 · c down', tone: 'warn' });
    expect(summarize([n('a', synced), n('b', { running: true, state: 'Joining', primary: true }), n('c', synced, true)])).toEqual({ summary: 'Primary 1/3 · b Joining, c no report', tone: 'warn' });
    expect(summarize([n('a', { running: true, state: 'non-Primary', primary: false }), n('b', { running: false, state: 'down' })])).toEqual({ summary: 'no Primary component · a non-Primary, b down', tone: 'bad' });
    expect(summarize([n('a', { running: false, state: 'down' }), n('b', { running: false, state: 'down' })])).toEqual({ summary: 'every node down: recovery needed', tone: 'bad' });
    expect(summarize([])).toMatchObject({ tone: 'idle' });
  });

  it('picks the writer: the first healthy node in writer order; a stale report is not trusted', () => {
    const live = new GaleraLive();
    live.record('db1', 'db', synced, 1000);
    live.record('db2', 'db', { running: true, state: 'Joined', primary: true }, 1000);
    live.record('db3', 'db', synced, 1000);
    const v = live.view(state, db, new Set(), 2000);
    expect(v.writer).toBe('db1');
    expect(v.nodes.map((x) => x.backend)).toEqual(['ready', 'maint', 'ready']);
    expect(live.view(state, db, new Set(['db1']), 2000).writer).toBe('db3');
    expect(live.view(state, db, new Set(), 60_000).nodes.every((x) => x.stale)).toBe(true);
  });

  it('gives a load balancer with a database connection a TCP frontend and the members in writer order, the others backups', () => {
    expect(lbClustersServing(state, 'db').map((c) => c.name)).toEqual(['edge']);
    const part = galeraBackends(state, () => ({ cluster: 'db', summary: '', tone: 'ok', nodes: [{ serverId: 'db3', stale: false, backend: 'maint' }] }))(state.servers[4]!);
    expect(part.frontends).toEqual([{ name: 'galera-db', port: 3307, mode: 'tcp', backend: 'galera-db' }]);
    expect(part.backends[0]!.servers.map((s) => `${s.name} ${s.address} ${s.state}${s.backup ? ' backup' : ''}`)).toEqual([
      'db2 10.0.0.12 ready', 'db1 10.0.0.11 ready backup', 'db3 10.0.0.13 maint backup',
    ]);
    expect(galeraBackends(state, () => undefined)(state.servers[3]!)).toEqual({ frontends: [], backends: [] });
  });
});

describe('Galera alert metrics', () => {
  it('hold for a non-Primary node, a node not Synced (down included) and flow control in percent; no data without a status', async () => {
    const { galeraMetricSources } = await import('./alert-metrics.js');
    const { CLEAR, NO_DATA, conditionValue, thresholded } = await import('../alerts/condition.js');
    const statuses: Record<string, GaleraNodeStatus> = {
      a: synced, b: { running: true, state: 'non-Primary', primary: false }, c: { running: false, state: 'down' }, d: { ...synced, flowControlPaused: 0.25 },
    };
    const src = galeraMetricSources((id) => statuses[id]);
    expect(['a', 'b', 'c', 'x'].map((id) => src['galera_non_primary']!(id))).toEqual([CLEAR, 0, CLEAR, NO_DATA]);
    expect(['a', 'b', 'c', 'x'].map((id) => src['galera_not_synced']!(id))).toEqual([CLEAR, 0, 0, NO_DATA]);
    expect(['a', 'd', 'c'].map((id) => src['galera_flow_control']!(id))).toEqual([NO_DATA, 25, NO_DATA]);
    const rule = { id: 'fc', name: 'fc', metric: 'galera_flow_control' as const, threshold: 10, forSeconds: 0, enabled: true, actions: [] };
    expect(thresholded(rule, src['galera_flow_control']!('d'))).toBe(25);
    expect(thresholded({ ...rule, threshold: 30 }, src['galera_flow_control']!('d'))).toBe(CLEAR);
    // Not a metric samples carry: only its source can tell.
    expect(conditionValue({ ...rule, metric: 'galera_not_synced' as never }, 'active', undefined)).toBe(NO_DATA);
  });
});

describe('Galera in /metrics', () => {
  it('exposes each fresh node\'s state and the cluster\'s counts, nothing for a silent node', async () => {
    const { galeraFamilies } = await import('./prometheus.js');
    const { renderExposition } = await import('../prometheus/exposition.js');
    const live = new GaleraLive();
    const now = Date.now();
    live.record('db1', 'db', { ...synced, flowControlPaused: 0.125, recvQueue: 2, lastCommitted: 77 }, now);
    live.record('db2', 'db', { running: true, state: 'non-Primary', primary: false, clusterSize: 1 }, now);
    live.record('db3', 'db', synced, now - 60_000);
    const text = renderExposition(galeraFamilies(state, (c) => live.view(state, c)));
    expect(text).toContain('uc_galera_node_synced{cluster="db",server="db1"} 1\n');
    expect(text).toContain('uc_galera_node_state{cluster="db",server="db2",state="non-Primary"} 1\n');
    expect(text).toContain('uc_galera_node_flow_control_paused_ratio{cluster="db",server="db1"} 0.125\n');
    expect(text).toContain('uc_galera_node_last_committed{cluster="db",server="db1"} 77\n');
    expect(text).toContain('uc_galera_cluster_synced_nodes{cluster="db"} 1\n');
    expect(text).toContain('uc_galera_cluster_nodes{cluster="db"} 3\n');
    expect(text).not.toContain('server="db3"');
  });
});

describe('late reports', () => {
  it('takes a report that sat in a dead link\'s buffer as of when it was read, whatever the agent\'s clock', () => {
    const live = new GaleraLive();
    const skew = -42_000; // the agent's clock runs 42 s behind
    for (let t = 1000; t <= 5000; t += 1000) live.record('db3', 'db', synced, t + 20, t + skew);
    expect(live.status('db3', 5100)).toEqual(synced);
    // The link was down 15 s: what was read then arrives now, and is not taken for news.
    live.record('db3', 'db', synced, 20_100, 6000 + skew);
    expect(live.status('db3', 20_200)).toBeUndefined();
    // A fresh report after it is.
    const np = { running: true, state: 'non-Primary' as const, primary: false };
    live.record('db3', 'db', np, 20_300, 20_280 + skew);
    expect(live.status('db3', 20_400)).toEqual(np);
  });
});
