import { describe, expect, it } from 'vitest';
import type { Cluster, GaleraNodeStatus, GlusterStatus, Server, State } from '../../protocol/types.js';
import { type LeaveFacts, NO_FACTS, mayLeave } from './leave-checks.js';
import { type Member, groupMembers, readMetrics, scaleInCandidates } from './members.js';
import { planScaleIn } from './scale-in.js';

const server = (id: string, type: Server['type'], instanceId?: string): Server => ({
  id, name: id, type, address: '10.0.0.1', region: '', labels: {}, ports: [],
  ...(instanceId ? { agent: { version: '1', inventory: { hostname: id, os: '', kernel: '', arch: '', cpuModel: '', cores: 1, memTotal: 1, instanceId } } } : {}),
});
const servers = [server('lb1', 'loadbalancer'), server('w1', 'web', 'i-00000001'), server('w2', 'web', 'i-00000002'), server('w3', 'web', 'i-00000003'), server('db1', 'database', 'i-00000004')];
const state: Pick<State, 'servers' | 'clusters' | 'agentCredentials'> = {
  servers,
  clusters: [],
  agentCredentials: [
    { serverId: 'w1', hash: 'x', enrolledAt: '2026-01-01T00:00:01Z' },
    { serverId: 'w2', hash: 'x', enrolledAt: '2026-01-01T00:00:02Z' },
    { serverId: 'w3', hash: 'x', enrolledAt: '2026-01-01T00:00:03Z' },
    { serverId: 'db1', hash: 'x', enrolledAt: '2026-01-01T00:00:04Z' },
  ],
};
const shop: Cluster = { name: 'shop', servers: ['lb1', 'w1', 'w2', 'w3'], loadBalancer: { frontends: [{ name: 'www', port: 80 }] } };
const inst = (instanceId: string, extra: Partial<Member> = {}) => ({ instanceId, lifecycle: 'InService', health: 'Healthy', protected: false, ...extra });
const group = { name: 'g', min: 1, max: 5, desired: 4, instances: [inst('i-00000001'), inst('i-00000002'), inst('i-00000003'), inst('i-0000000f')] };

describe('group members', () => {
  it('matches instances to the cluster\'s servers by the instance id their agent reported', () => {
    const m = groupMembers(state, shop, group);
    expect(m.map((x) => [x.instanceId, x.serverId ?? null])).toEqual([['i-00000001', 'w1'], ['i-00000002', 'w2'], ['i-00000003', 'w3'], ['i-0000000f', null]]);
  });

  it('averages the metric over the members past their warm-up; sessions per backend server over fresh load balancers', () => {
    const members = groupMembers(state, shop, group);
    const now = Date.parse('2026-01-01T00:00:10Z');
    const sample = (cpu: number) => ({ ts: 0, cpu, mem: { total: 100, used: cpu / 2, swapTotal: 0, swapUsed: 0 }, disks: [], diskIO: { readBps: 0, writeBps: 0 }, net: { rxBps: 0, txBps: 0 }, load: [0, 0, 0], uptime: 1, tcp: 0 });
    const cpu: Record<string, number> = { w1: 80, w2: 40, w3: 10 };
    const live = { sample: (id: string) => (cpu[id] !== undefined ? sample(cpu[id]!) : undefined), isConnected: (id: string) => id in cpu };
    const lb = { cluster: 'shop', vip: null, vipHolders: [], nodes: [
      { serverId: 'lb1', reportedAt: '', stale: false, vips: [], servers: [{ backend: 'web', server: 'w1', status: 'UP', weight: 10, sessions: 6 }, { backend: 'web', server: 'w2', status: 'UP', weight: 10, sessions: 2 }, { backend: 'web', server: 'w3', status: 'UP', weight: 10, sessions: 9 }] },
      { serverId: 'lb2', reportedAt: '', stale: true, vips: [], servers: [{ backend: 'web', server: 'w1', status: 'UP', weight: 10, sessions: 100 }] },
    ] };
    // w3 enrolled 7 s ago: with an 8 s warm-up it does not count yet.
    const r = readMetrics(members, { warmupSeconds: 8 }, live, lb, now);
    expect(r.cpu).toEqual({ metric: 'cpu', value: 60, servers: 2, warming: 1 });
    expect(r.mem.value).toBe(30);
    expect(r.sessions).toEqual({ metric: 'sessions', value: 4, servers: 2, warming: 1 });
    expect(readMetrics(members, { warmupSeconds: 1 }, live, lb, now).cpu.value).toBeCloseTo(43.33, 1);
  });
});

describe('scale-in planning', () => {
  const members = groupMembers(state, shop, group);
  it('takes an instance no agent reported first, then the newest (or the oldest) not protected', () => {
    expect(scaleInCandidates(members, {}).map((c) => c.serverId ?? c.instanceId)).toEqual(['i-0000000f', 'w3', 'w2', 'w1']);
    expect(scaleInCandidates(members, { scaleInOrder: 'oldest' }).map((c) => c.serverId ?? c.instanceId)).toEqual(['i-0000000f', 'w1', 'w2', 'w3']);
    const withAgents = members.filter((m) => m.serverId);
    const p = planScaleIn(state, shop, withAgents, { min: 1, max: 5, protectedServers: ['w3'] });
    expect('plan' in p && p.serverId).toBe('w2');
    expect(p.candidates).toEqual([
      { instanceId: 'i-00000003', serverId: 'w3', verdict: 'skipped: protected from scale-in by the policy' },
      { instanceId: 'i-00000002', serverId: 'w2', verdict: 'chosen' },
      { instanceId: 'i-00000001', serverId: 'w1', verdict: 'not needed' },
    ]);
  });

  it('drains a load-balanced server before it terminates the instance, then forgets the server', () => {
    const p = planScaleIn(state, shop, members.filter((m) => m.serverId === 'w1'), { min: 1, max: 5 });
    if (!('plan' in p)) throw new Error(p.refused);
    expect(p.plan).toMatchObject({ kind: 'scale.in', flag: 'scale', cluster: 'shop' });
    expect(p.plan.steps.map((s) => s.action)).toEqual(['check', 'drain', 'terminate', 'forget']);
    expect(p.plan.steps.every((s) => s.args?.['instanceId'] === 'i-00000001')).toBe(true);
  });

  it('refuses when every candidate is protected, in the group or leaving', () => {
    const p = planScaleIn(state, shop, [inst('i-00000001', { serverId: 'w1', protected: true }), inst('i-00000002', { serverId: 'w2', lifecycle: 'Terminating' })], { min: 0, max: 5 });
    expect('refused' in p && p.refused).toBe('scale-in of shop refused: no instance may leave now (w1: skipped: protected from scale-in in the group; w2: skipped: it is Terminating)');
  });
});

describe('leave checks', () => {
  const synced: GaleraNodeStatus = { running: true, state: 'Synced', primary: true, clusterSize: 3 };
  const dbs = [server('db1', 'database', 'i-00000004'), server('db2', 'database', 'i-00000005'), server('db3', 'database', 'i-00000006')];
  const galera: Cluster = { name: 'data', servers: ['db1', 'db2', 'db3'], galera: {} };
  const withDbs = { servers: [...servers.filter((s) => s.id !== 'db1'), ...dbs], clusters: [galera] };
  const facts = (status: Record<string, GaleraNodeStatus | undefined>, more: Partial<LeaveFacts> = {}): LeaveFacts => ({ ...NO_FACTS, galera: (id) => status[id], ...more });
  const allSynced = facts({ db1: synced, db2: synced, db3: synced });

  it('lets a Galera member leave gracefully while the others stay a majority of Synced nodes', () => {
    const v = mayLeave(withDbs, galera, 'db3', allSynced);
    expect(v.ok).toBe(true);
    expect(v.steps.map((s) => `${s.action} ${s.serverId}`)).toEqual(['galera-drain db3', 'galera-leave db3']);
    expect(v.after).toEqual([expect.objectContaining({ action: 'galera-peers', args: { galeraCluster: 'data' } })]);
    expect(v.evidence.find((e) => e.check === 'galera')).toMatchObject({ verdict: 'ok', why: 'leaves Galera gracefully; data: 2 of the 2 others Synced (db1, db2)' });
  });

  it('refuses a Galera member whose leaving would break the majority, with the figures', () => {
    const oneDown = facts({ db1: synced, db2: synced, db3: { running: false, state: 'down' } });
    const v = mayLeave(withDbs, galera, 'db2', oneDown);
    expect(v.reasons).toEqual(['db2 is a Galera node of data, and the 2 nodes left would have only 1 Synced (db1): they would have no majority: refused']);
    expect(v.evidence.find((e) => e.check === 'galera')?.figures).toEqual({ data: { members: 3, left: 2, synced: 1, syncedNodes: ['db1'], notSynced: ['db3 down'] } });
    // The node that is down may go: the two that stay are Synced.
    expect(mayLeave(withDbs, galera, 'db3', oneDown).ok).toBe(true);
    // Two nodes: the one left alone would be a majority of itself, but not while the other leaves.
    const two = { ...withDbs, clusters: [{ ...galera, servers: ['db1', 'db2'] }] };
    expect(mayLeave(two, two.clusters[0]!, 'db2', allSynced).reasons[0]).toMatch(/^db2 is a Galera node of data, and without db2, only 1 of 2 nodes would be Synced \(db1\): the cluster would lose its majority: refused$/);
    // The last node never goes; without live facts nothing goes.
    const one = { ...withDbs, clusters: [{ ...galera, servers: ['db1'] }] };
    expect(mayLeave(one, one.clusters[0]!, 'db1', allSynced).reasons[0]).toMatch(/db1 is the cluster's last node/);
    expect(mayLeave(withDbs, galera, 'db3').reasons[0]).toMatch(/only 0 Synced/);
  });

  it('refuses a Galera member of another cluster that is busy with an operation', () => {
    const web: Cluster = { name: 'web', servers: ['db3'] };
    const state = { ...withDbs, clusters: [galera, web] };
    const busy = facts({ db1: synced, db2: synced, db3: synced }, { busy: (c) => (c === 'data' ? 'Rolling restart of data' : undefined) });
    expect(mayLeave(state, web, 'db3', busy).reasons).toEqual(['db3 is a Galera node of data, which is busy with "Rolling restart of data": refused']);
    expect(mayLeave(state, galera, 'db3', busy).ok).toBe(true);
  });

  const fs = [1, 2, 3, 4].map((n) => ({ ...server(`fs${n}`, 'filesystem', `i-0000001${n}`), address: `10.0.1.${n}` }));
  const files: Cluster = { name: 'files', servers: fs.map((s) => s.id), gluster: { volumes: [{ name: 'vol0' }] } };
  const brick = (n: number) => ({ host: `10.0.1.${n}`, path: `/data/glusterfs/vol0/brick1`, online: true });
  const gstatus: GlusterStatus = {
    peers: fs.map((s, i) => ({ uuid: `u${i}`, hostname: i ? s.address : 'localhost', connected: true, ...(i ? {} : { self: true }) })),
    volumes: [{ name: 'vol0', started: true, type: 'Replicate', replica: 3, arbiter: 0, bricks: [brick(1), brick(2), brick(3)], options: {} }],
  };
  const gfacts = (status: GlusterStatus | undefined) => facts({}, { gluster: (c) => (c === 'files' ? status : undefined) });
  const gstate = { servers: [...servers, ...fs], clusters: [files] };

  it('refuses a Gluster brick holder, naming its bricks', () => {
    expect(mayLeave(gstate, files, 'fs2', gfacts(gstatus)).reasons).toEqual([
      'fs2 holds Gluster brick of files (vol0 10.0.1.2:/data/glusterfs/vol0/brick1): a brick holder is never scaled in; move its bricks to another server first (Replace node, POST /api/clusters/files/gluster/replace {"from":"fs2","to":"…"}), then scale in',
    ]);
    expect(mayLeave(gstate, files, 'fs4', gfacts(undefined)).reasons).toEqual(['fs4 is a Gluster peer of files, and no fresh Gluster status says which bricks it holds: refused']);
  });

  it('lets a Gluster peer without bricks go, detached from the pool once gone', () => {
    const v = mayLeave(gstate, files, 'fs4', gfacts(gstatus));
    expect(v).toMatchObject({ ok: true, steps: [], after: [{ action: 'gluster-detach', args: { glusterCluster: 'files', host: '10.0.1.4' } }] });
    // A file-system server of no Gluster cluster is no brick holder.
    expect(mayLeave({ servers: gstate.servers, clusters: [{ name: 'other', servers: ['fs4'] }] }, { name: 'other', servers: ['fs4'] }, 'fs4', gfacts(undefined))).toMatchObject({ ok: true, after: [] });
  });

  it('drains a backend server of a load-balanced cluster and never removes a load balancer', () => {
    expect(mayLeave(state, shop, 'w1')).toMatchObject({ ok: true, steps: [{ action: 'drain', serverId: 'w1' }] });
    expect(mayLeave(state, shop, 'lb1').reasons).toEqual(['lb1 is a load balancer of shop: scale-in removes only backend servers']);
  });

  it('plans a Galera member\'s scale-in: leave before the termination, the peer lists after; skips one that may not leave', () => {
    const group4 = { ...group, instances: [inst('i-00000004'), inst('i-00000005'), inst('i-00000006')] };
    const st = { ...withDbs, agentCredentials: ['db1', 'db2', 'db3'].map((serverId, i) => ({ serverId, hash: 'x', enrolledAt: `2026-01-01T00:00:0${i}Z` })) };
    const m = groupMembers(st, galera, group4);
    const p = planScaleIn(st, galera, m, { min: 0, max: 5 }, undefined, allSynced);
    if (!('plan' in p)) throw new Error(p.refused);
    expect(p.plan.steps.map((s) => `${s.action} ${s.serverId}`)).toEqual(['check db3', 'galera-drain db3', 'galera-leave db3', 'terminate db3', 'forget db3', 'galera-peers db3']);
    for (const s of p.plan.steps.filter((x) => x.action.startsWith('galera-'))) expect(s.args).toEqual({ galeraCluster: 'data', instanceId: 'i-00000006' });
    const db2Down = facts({ db1: synced, db2: { running: false, state: 'down' }, db3: synced });
    const q = planScaleIn(st, galera, m, { min: 0, max: 5 }, undefined, db2Down);
    expect('plan' in q && q.serverId).toBe('db2');
    expect(q.candidates[0]!.verdict).toMatch(/^skipped: db3 is a Galera node of data, and the 2 nodes left would have only 1 Synced \(db1\)/);
  });
});
