import { describe, expect, it } from 'vitest';
import type { Cluster, Server, State } from '../../protocol/types.js';
import { mayLeave } from './leave-checks.js';
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
  const db: Cluster = { name: 'data', servers: ['db1', 'w1'] };
  it('refuses a server that may be a Galera member or a Gluster brick holder until those checks exist', () => {
    const v = mayLeave(state, db, 'db1');
    expect(v.ok).toBe(false);
    expect(v.reasons[0]).toMatch(/db1 may be a Galera member of data, .*cannot yet check .*majority.*refused/);
    expect(mayLeave({ servers: [...servers, server('fs1', 'filesystem')], clusters: [] }, db, 'fs1').reasons[0]).toMatch(/fs1 may hold a Gluster brick of data.*never removed/);
    // A cluster carrying Galera or Gluster settings (added by those features) refuses every member.
    const withGalera = { ...db, galera: { nodes: ['db1'] } } as unknown as Cluster;
    expect(mayLeave(state, withGalera, 'w1').ok).toBe(false);
    expect(mayLeave(state, db, 'w1')).toMatchObject({ ok: true, steps: [] });
  });

  it('drains a backend server of a load-balanced cluster and never removes a load balancer', () => {
    expect(mayLeave(state, shop, 'w1')).toMatchObject({ ok: true, steps: [{ action: 'drain', serverId: 'w1' }] });
    expect(mayLeave(state, shop, 'lb1').reasons).toEqual(['lb1 is a load balancer of shop: scale-in removes only backend servers']);
  });

  it('a database instance in the group is skipped, not chosen', () => {
    const data: Cluster = { name: 'data', servers: ['db1', 'w1'] };
    const m = groupMembers(state, data, { ...group, instances: [inst('i-00000001'), inst('i-00000004')] });
    const p = planScaleIn(state, data, m, { min: 0, max: 5 });
    expect('plan' in p && p.serverId).toBe('w1');
    expect(p.candidates[0]!.verdict).toMatch(/^skipped: db1 may be a Galera member/);
  });
});
