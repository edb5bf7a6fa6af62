import { describe, expect, it } from 'vitest';
import type { GlusterClusterView } from '../../agent/protocol/types.js';
import { brickLines, glusterMarks } from './gluster.js';

const brick = (serverId: string, extra: Partial<GlusterClusterView['volumes'][number]['bricks'][number]> = {}) => ({
  serverId, name: `10.0.0.${serverId.slice(-1)}:/b/vol0`, online: true, healPending: 0, splitBrain: 0, sizeTotal: 2e9, sizeFree: 1e9, usedPct: 50, ...extra,
});
const view = (bricks: ReturnType<typeof brick>[], summary: string, healthy: boolean): GlusterClusterView => ({
  cluster: 'gl', reporter: 'g1', reportedAt: null, stale: false, peers: [], mounts: [], summary, healthy,
  volumes: [{ name: 'vol0', started: true, type: 'Replicate', replica: 3, arbiter: 0, bricks, splitBrainFiles: [], summary, healthy }],
});

describe('gluster marks', () => {
  it('badges each server by its bricks and puts the summary on the cluster floor', () => {
    const ok = glusterMarks([view([brick('g1'), brick('g2'), brick('g3')], 'vol0 3/3 healthy', true)]);
    expect(ok.blocks.map((b) => `${b.id} ${b.text} ${b.tone}`)).toEqual(['g1 vol0 ✓ ok', 'g2 vol0 ✓ ok', 'g3 vol0 ✓ ok']);
    expect(ok.floors).toEqual([{ cluster: 'gl', kind: 'gluster-floor', text: 'vol0 3/3 healthy', tone: 'ok' }]);
    const bad = glusterMarks([view([brick('g1', { healPending: 12 }), brick('g2'), brick('g3', { online: false, healPending: null })], 'vol0 2/3 1 brick offline, 12 to heal', false)]);
    expect(bad.blocks.map((b) => `${b.id} ${b.text} ${b.tone}`)).toEqual(['g1 vol0 12 to heal warn', 'g2 vol0 ✓ ok', 'g3 vol0 offline bad']);
    expect(bad.floors![0]!.tone).toBe('bad');
    expect(brickLines([view([brick('g1')], '', true)], 'g1')).toEqual(['vol0 /b/vol0: online · 0 to heal · 50 % used, 1.0 GB free']);
  });
});
