import { describe, expect, it } from 'vitest';
import type { Cluster, Connection, GlusterStatus, Server, VirtualServer } from '../../protocol/types.js';
import { GlusterLive, glusterView } from './live.js';
import { desiredMounts, mountConflict } from './mounts.js';

const server = (id: string, address: string, type: Server['type'] = 'filesystem'): Server => ({ id, name: id, type, address, region: '', labels: {}, ports: [] });
const servers = [server('g1', '10.0.0.1'), server('g2', '10.0.0.2'), server('g3', '10.0.0.3'), server('w1', '10.0.0.9', 'web')];
const cluster: Cluster = { name: 'gl', servers: ['g1', 'g2', 'g3'], gluster: { volumes: [{ name: 'vol0' }], mountPath: '/srv/{cluster}/{volume}' } };
const state = { clusters: [cluster], servers };
const status = (over: { online?: boolean[]; heal?: number[]; split?: string[]; free?: number } = {}): GlusterStatus => ({
  peers: [{ uuid: 'a', hostname: 'localhost', connected: true, self: true }, { uuid: 'b', hostname: '10.0.0.2', connected: true }, { uuid: 'c', hostname: '10.0.0.3', connected: over.online?.[2] ?? true }],
  volumes: [{
    name: 'vol0', started: true, type: 'Replicate', replica: 3, arbiter: 0, options: {},
    bricks: [1, 2, 3].map((n, i) => ({ host: `10.0.0.${n}`, path: '/b', online: over.online?.[i] ?? true, healPending: over.heal?.[i] ?? 0, splitBrain: over.split?.length ?? 0, sizeTotal: 1000, sizeFree: over.free ?? 600 })),
    ...(over.split ? { splitBrainFiles: over.split } : {}),
  }],
});

describe('glusterView', () => {
  it('says `vol0 3/3 healthy`, or what is wrong', () => {
    const v = glusterView(cluster, servers, 'g1', status(), 1000, [], 2000);
    expect([v.summary, v.healthy]).toEqual(['vol0 3/3 healthy', true]);
    expect(v.peers.map((p) => p.serverId)).toEqual(['g1', 'g2', 'g3']);
    expect(v.volumes[0]!.bricks[0]).toMatchObject({ serverId: 'g1', name: '10.0.0.1:/b', usedPct: 40 });
    expect(glusterView(cluster, servers, 'g1', status({ online: [true, true, false], heal: [12, 12, 0] }), 1000, [], 2000).summary)
      .toBe('vol0 2/3 1 brick offline, 12 to heal; peer g3 disconnected');
    expect(glusterView(cluster, servers, 'g1', status({ split: ['/a'], free: 50 }), 1000, [], 2000).volumes[0]!.summary).toBe('vol0 3/3 1 in split-brain, a brick over 90 % full');
    const stale = glusterView(cluster, servers, 'g1', status(), 1000, [], 60_000);
    expect([stale.stale, stale.healthy, stale.volumes[0]!.bricks.every((b) => !b.online)]).toEqual([true, false, true]);
    expect(glusterView(cluster, servers, null, undefined, 0, [], 1).summary).toBe('no Gluster server reachable');
    expect(glusterView(cluster, servers, 'g1', { peers: [], volumes: [], error: 'glusterd is not running' }, 1000, [], 2000).summary).toBe('glusterd unreachable: glusterd is not running');
  });
});

describe('GlusterLive', () => {
  it('names the first connected peer the reporter and moves on when its glusterd stops answering', () => {
    const live = new GlusterLive();
    const up = new Set(['g1', 'g2', 'g3']);
    expect(live.chooseReporters(state, (id) => up.has(id), 0)).toEqual([{ serverId: 'g1', report: true }]);
    expect(live.chooseReporters(state, (id) => up.has(id), 1000)).toEqual([]);
    live.record(state, 'g2', status(), 1000); // not the reporter: ignored
    expect(live.status('gl', 1000)).toBeUndefined();
    live.record(state, 'g1', { peers: [], volumes: [], error: 'glusterd is not running' }, 2000);
    expect(live.chooseReporters(state, (id) => up.has(id), 2500)).toEqual([{ serverId: 'g1', report: false }, { serverId: 'g2', report: true }]);
    up.delete('g2');
    expect(live.chooseReporters(state, (id) => up.has(id), 3000)).toEqual([{ serverId: 'g2', report: false }, { serverId: 'g3', report: true }]);
    expect(live.chooseReporters({ clusters: [], servers }, () => true, 4000)).toEqual([{ serverId: 'g3', report: false }]);
  });

  it('gives the alert metrics per server: offline bricks, split-brain, fullest brick, a backlog that stopped shrinking', () => {
    const live = new GlusterLive();
    live.chooseReporters(state, () => true, 0);
    live.record(state, 'g1', status({ online: [true, true, false], heal: [30, 30, 0], split: ['/a'], free: 50 }), 1000);
    expect(live.metric('gluster_brick_offline', 'g3', undefined, 1000)).toBe(1);
    expect(live.metric('gluster_brick_offline', 'g1', undefined, 1000)).toBe(-1);
    expect(live.metric('gluster_split_brain', 'g1', undefined, 1000)).toBe(1);
    expect(live.metric('gluster_brick_full', 'g1', 90, 1000)).toBe(95);
    expect(live.metric('gluster_brick_full', 'g1', 99, 1000)).toBe(-1);
    expect(live.metric('gluster_brick_offline', 'w1', undefined, 1000)).toBe(-2);
    // The backlog holds at 30: "not shrinking" once the window passed; a shrink clears it.
    expect(live.metric('gluster_heal_stalled', 'g1', undefined, 2000)).toBe(-1);
    live.record(state, 'g1', status({ heal: [30, 30, 0] }), 5000);
    expect(live.metric('gluster_heal_stalled', 'g1', undefined, 5000)).toBe(30);
    live.record(state, 'g1', status({ heal: [29, 29, 0] }), 6000);
    expect(live.metric('gluster_heal_stalled', 'g1', undefined, 6000)).toBe(-1);
    expect(live.metric('gluster_brick_offline', 'g3', undefined, 60_000)).toBe(-2); // stale
  });
});

describe('desiredMounts', () => {
  it('mounts the role\'s volume on the from-server of each filesystem connection to a member, every peer a volfile server', () => {
    const connections: Connection[] = [
      { id: 'w1:g2', from: 'w1', to: 'g2', type: 'filesystem' }, { id: 'w1:g3', from: 'w1', to: 'g3', type: 'filesystem' },
      { id: 'w1:g1', from: 'w1', to: 'g1', type: 'http' },
    ];
    expect([...desiredMounts({ servers, clusters: [cluster], connections })]).toEqual([
      ['w1', [{ cluster: 'gl', volume: 'vol0', servers: ['10.0.0.1', '10.0.0.2', '10.0.0.3'], path: '/srv/gl/vol0' }]],
    ]);
    expect(desiredMounts({ servers, clusters: [{ ...cluster, gluster: undefined } as Cluster], connections }).size).toBe(0);
  });

  it('mounts a virtual server\'s volume at its mount path on every web server of its web cluster, once per path', () => {
    const web: Cluster = { name: 'shop', servers: ['lb', 'w1', 'w2'] };
    const all = [...servers, server('w2', '10.0.0.10', 'web'), server('lb', '10.0.0.11', 'loadbalancer')];
    const vs = (id: string, path: string): VirtualServer => ({
      id, domain: `${id}.example.com`, aliases: [], state: 'active', createdBy: 'root', createdAt: '',
      files: { cluster: 'gl', volume: 'vol0', mountPath: path, directory: `${id}.example.com`, webCluster: 'shop', status: 'pending' },
    });
    const model = { servers: all, clusters: [cluster, web], connections: [{ id: 'w1:g1', from: 'w1', to: 'g1', type: 'filesystem' as const }], virtualServers: [vs('a', '/srv/www'), vs('b', '/srv/www')] };
    const peers = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];
    expect([...desiredMounts(model)]).toEqual([
      ['w1', [{ cluster: 'gl', volume: 'vol0', servers: peers, path: '/srv/gl/vol0' }, { cluster: 'gl', volume: 'vol0', servers: peers, path: '/srv/www' }]],
      ['w2', [{ cluster: 'gl', volume: 'vol0', servers: peers, path: '/srv/www' }]],
    ]);
    // Another volume at a path a web server already uses is refused; the same one is fine.
    expect(mountConflict(model, ['w1', 'w2'], { cluster: 'gl', volume: 'vol0', path: '/srv/www' })).toBeNull();
    expect(mountConflict(model, ['w1', 'w2'], { cluster: 'gl', volume: 'vol1', path: '/srv/gl/vol0' })).toBe('w1 already mounts volume vol0 of cluster gl at /srv/gl/vol0: choose another mount path');
    expect(mountConflict(model, ['w2'], { cluster: 'gl', volume: 'vol1', path: '/srv/gl/vol0' })).toBeNull();
    // Without its record, the mount goes.
    expect([...desiredMounts({ ...model, virtualServers: [] })].map(([id, l]) => `${id} ${l.length}`)).toEqual(['w1 1']);
  });
});
