import { describe, expect, it } from 'vitest';
import type { Cluster, GlusterStatus, Server, VolumeStatus } from '../../protocol/types.js';
import { type Inspection, brickPath, planApply, planExpand, planRemovePeer, planReplace, planSplitBrain, stepCommand } from './plan.js';

const server = (id: string, address: string, type: Server['type'] = 'filesystem'): Server => ({ id, name: id, type, address, region: '', labels: {}, ports: [] });
const servers = [server('g1', '10.0.0.1'), server('g2', '10.0.0.2'), server('g3', '10.0.0.3'), server('g4', '10.0.0.4'), server('w1', '10.0.0.9', 'web')];
const cluster = (gluster: Cluster['gluster'], members = ['g1', 'g2', 'g3', 'w1']): Cluster => ({ name: 'gl', servers: members, ...(gluster ? { gluster } : {}) });
const role = { volumes: [{ name: 'vol0', brickPath: '/b/{server}/{volume}-{n}', options: { 'performance.cache-size': '64MB' } }] };
const brick = (host: string, path: string, extra: Partial<VolumeStatus['bricks'][number]> = {}) => ({ host, path, online: true, healPending: 0, splitBrain: 0, ...extra });
const vol0 = (extra: Partial<VolumeStatus> = {}): VolumeStatus => ({
  name: 'vol0', started: true, type: 'Replicate', replica: 3, arbiter: 0, options: { 'performance.cache-size': '64MB' },
  bricks: ['1', '2', '3'].map((n) => brick(`10.0.0.${n}`, `/b/g${n}/vol0-1`)), ...extra,
});
const pool = (hosts: string[]): GlusterStatus['peers'] => [{ uuid: 'u0', hostname: 'localhost', connected: true, self: true }, ...hosts.map((h, i) => ({ uuid: `u${i + 1}`, hostname: h, connected: true }))];
const inspected = (status: GlusterStatus, paths: Record<string, { path: string; state: 'absent' | 'empty' | 'used'; detail?: string }[]> = {}, ids = ['g1', 'g2', 'g3']) =>
  new Map<string, Inspection>(ids.map((id) => [id, { result: { status, paths: paths[id] ?? [] } }]));
const commands = (o: { steps: Parameters<typeof stepCommand>[0][] }) => o.steps.map((s) => `${s.serverId}: ${stepCommand(s)}`);

describe('planApply', () => {
  it('probes the peers, prepares, creates, sets options, starts and verifies, on the first server', () => {
    const out = planApply(cluster(role), servers, inspected({ peers: pool([]), volumes: [] }));
    expect(out.errors).toEqual([]);
    expect(commands(out)).toEqual([
      'g1: gluster peer probe 10.0.0.2\ngluster peer probe 10.0.0.3',
      'g1: mkdir -p /b/g1', 'g2: mkdir -p /b/g2', 'g3: mkdir -p /b/g3',
      'g1: gluster volume create vol0 replica 3 10.0.0.1:/b/g1/vol0-1 10.0.0.2:/b/g2/vol0-1 10.0.0.3:/b/g3/vol0-1',
      'g1: gluster volume set vol0 performance.cache-size 64MB',
      'g1: gluster volume start vol0',
      'g1: wait until every brick of vol0 is online (gluster volume status vol0)',
    ]);
  });

  it('is a no-op once applied; sets only the options that differ; starts a stopped volume', () => {
    expect(planApply(cluster(role), servers, inspected({ peers: pool(['10.0.0.2', '10.0.0.3']), volumes: [vol0()] }))).toEqual({ steps: [], errors: [] });
    const changed = planApply(cluster({ volumes: [{ ...role.volumes[0]!, options: { 'performance.cache-size': '128MB' } }] }), servers, inspected({ peers: pool(['10.0.0.2', '10.0.0.3']), volumes: [vol0({ started: false })] }));
    expect(commands(changed)).toEqual(['g1: gluster volume set vol0 performance.cache-size 128MB', 'g1: gluster volume start vol0', expect.stringMatching(/^g1: wait until/)]);
  });

  it('writes replica 2 + arbiter as replica 3 arbiter 1, with force when asked', () => {
    const out = planApply(cluster({ volumes: [{ name: 'a', arbiter: true, force: true }] }), servers, inspected({ peers: pool(['10.0.0.2', '10.0.0.3']), volumes: [] }));
    expect(commands(out)).toContain('g1: gluster volume create a replica 3 arbiter 1 10.0.0.1:/data/glusterfs/a/brick1 10.0.0.2:/data/glusterfs/a/brick1 10.0.0.3:/data/glusterfs/a/brick1 force');
  });

  it('refuses, with no steps: a loopback peer, a reused brick path, a used directory, too few servers, an unreachable node', () => {
    const lo = planApply(cluster(role, ['g1', 'g2', 'g3', 'lo']), [...servers, server('lo', 'localhost')], inspected({ peers: pool([]), volumes: [] }, {}, ['g1', 'g2', 'g3', 'lo']));
    expect(lo.steps).toEqual([]);
    expect(lo.errors).toEqual(["lo's address localhost cannot be a Gluster peer (glusterd refuses loopback addresses): give the server its network address"]);
    const reused = planApply(cluster({ volumes: [...role.volumes, { name: 'vol1', brickPath: '/b/{server}/vol0-1' }] }), servers, inspected({ peers: pool(['10.0.0.2', '10.0.0.3']), volumes: [vol0()] }));
    expect(reused.steps).toEqual([]);
    expect(reused.errors[0]).toBe('brick path /b/g1/vol0-1 on g1 is already used by volume vol0 (10.0.0.1:/b/g1/vol0-1): brick directories cannot be reused');
    const nested = planApply(cluster({ volumes: [...role.volumes, { name: 'vol1', brickPath: '/b/{server}/vol0-1/inner' }] }), servers, inspected({ peers: pool(['10.0.0.2', '10.0.0.3']), volumes: [vol0()] }));
    expect(nested.errors).toHaveLength(3);
    const used = planApply(cluster(role), servers, inspected({ peers: pool([]), volumes: [] }, { g2: [{ path: '/b/g2/vol0-1', state: 'used', detail: 'holds .glusterfs' }] }));
    expect(used.errors).toEqual(['brick path /b/g2/vol0-1 on g2 holds .glusterfs']);
    expect(planApply(cluster(role, ['g1', 'g2']), servers, inspected({ peers: pool([]), volumes: [] })).errors[0]).toMatch(/needs 3 filesystem servers in the cluster; gl has 2/);
    const down = new Map([...inspected({ peers: pool([]), volumes: [] })].map(([k, v]) => [k, k === 'g3' ? { error: 'glusterd is not running on this node' } : v]));
    expect(planApply(cluster(role), servers, down).errors).toEqual(['g3: glusterd is not running on this node']);
    expect(planApply(cluster(undefined), servers, new Map()).errors).toEqual(['cluster gl has no Gluster role']);
  });
});

describe('expand, replace, remove a peer, split-brain', () => {
  const status = { peers: pool(['10.0.0.2', '10.0.0.3']), volumes: [vol0()] };
  const g = (id: string) => servers.find((s) => s.id === id)!;

  it('expands by a replica set on the same servers with the next brick number, then rebalances', () => {
    const out = planExpand(cluster(role), servers, g('g1'), inspected(status), 'vol0', ['g1', 'g2', 'g3']);
    expect(commands(out)).toEqual([
      'g1: mkdir -p /b/g1', 'g2: mkdir -p /b/g2', 'g3: mkdir -p /b/g3',
      'g1: gluster volume add-brick vol0 replica 3 10.0.0.1:/b/g1/vol0-2 10.0.0.2:/b/g2/vol0-2 10.0.0.3:/b/g3/vol0-2',
      expect.stringMatching(/^g1: wait until every brick/), 'g1: gluster volume rebalance vol0 start',
      'g1: gluster volume rebalance vol0 status (every second, until completed)',
    ]);
    expect(planExpand(cluster(role), servers, g('g1'), inspected(status), 'vol9', ['g1', 'g2', 'g3']).errors).toEqual(['there is no volume vol9']);
    expect(planExpand(cluster(role), servers, g('g1'), inspected(status), 'vol0', ['g1', 'g2', 'g4']).errors).toEqual(['g4 is not a server of cluster gl']);
  });

  it('moves every brick of a node to a new one, probing it first, then heals', () => {
    const out = planReplace(cluster(role, ['g1', 'g2', 'g3', 'g4']), servers, g('g1'), inspected(status, {}, ['g1', 'g2', 'g4']), 'g3', 'g4');
    expect(commands(out)).toEqual([
      'g1: gluster peer probe 10.0.0.4', 'g4: mkdir -p /b/g4',
      'g1: gluster volume replace-brick vol0 10.0.0.3:/b/g3/vol0-1 10.0.0.4:/b/g4/vol0-1 commit force',
      expect.stringMatching(/^g1: wait until every brick of vol0/), 'g1: gluster volume heal vol0 full',
      'g1: gluster volume heal vol0 info summary (every second, until nothing is left to heal)',
    ]);
    expect(planReplace(cluster(role), servers, g('g1'), inspected(status), 'g3', 'g4').errors[0]).toMatch(/g4 is not a server of cluster gl: add it to the cluster first/);
  });

  it('removes a peer only once it holds no brick', () => {
    expect(planRemovePeer(cluster(role), servers, g('g1'), status, 'g3').errors).toEqual(['g3 still holds bricks of vol0: replace them first (a peer with bricks cannot leave)']);
    const moved = { ...status, peers: [...status.peers, { uuid: 'u9', hostname: '10.0.0.4', connected: false }], volumes: [vol0({ bricks: vol0().bricks.map((b) => (b.host === '10.0.0.3' ? { ...b, host: '10.0.0.2', path: '/b/g2/vol0-2' } : b)) })] };
    expect(commands(planRemovePeer(cluster(role, ['g1', 'g2', 'g3', 'g4']), servers, g('g1'), moved, 'g4'))).toEqual(['g1: gluster peer detach 10.0.0.4 force']);
  });

  it('resolves only a listed file, asks first, names a brick only with source-brick', () => {
    const sb = { ...status, volumes: [vol0({ splitBrainFiles: ['/a.txt'] })] };
    const out = planSplitBrain(sb, g('g1'), 'vol0', '/a.txt', 'bigger-file');
    expect(out.steps.map((s) => s.action)).toEqual(['confirm', 'gluster', 'split-brain-verify']);
    expect(out.steps[0]!.args!['question']).toMatch(/keep the bigger copy/);
    expect(planSplitBrain(sb, g('g1'), 'vol0', '/b.txt', 'bigger-file').errors[0]).toMatch(/is not in split-brain/);
    expect(planSplitBrain(sb, g('g1'), 'vol0', '/a.txt', 'source-brick').errors).toEqual(['source-brick needs the brick whose copy wins']);
    expect(planSplitBrain(sb, g('g1'), 'vol0', '/a.txt', 'source-brick', '10.0.0.9:/x').errors).toEqual(['10.0.0.9:/x is not a brick of vol0']);
    expect(commands(planSplitBrain(sb, g('g1'), 'vol0', '/a.txt', 'source-brick', '10.0.0.2:/b/g2/vol0-1'))[1]).toBe('g1: gluster volume heal vol0 split-brain source-brick 10.0.0.2:/b/g2/vol0-1 /a.txt');
  });

  it('fills the brick path template', () => {
    expect(brickPath({ name: 'v', bricks: { g2: '/x' } }, g('g2'), 1)).toBe('/x');
    expect(brickPath({ name: 'v' }, g('g2'), 3)).toBe('/data/glusterfs/v/brick3');
  });
});
