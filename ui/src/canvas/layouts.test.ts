import { describe, expect, it } from 'vitest';
import { PITCH } from './geometry.js';
import { LAYOUTS, layout } from './layouts.js';
import { Scene } from './scene.js';
import { problems } from '../../test/scene-checks.js';

const servers = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `s${String(i).padStart(4, '0')}`, region: ['eu', 'us', 'ap'][i % 3]! }));
const minGap = (pos: Map<string, { x: number; y: number }>) => {
  const p = [...pos.values()];
  let min = Infinity;
  for (let i = 0; i < p.length; i++) for (let j = i + 1; j < p.length; j++) min = Math.min(min, Math.hypot(p[i]!.x - p[j]!.x, p[i]!.y - p[j]!.y));
  return min;
};

describe('layouts', () => {
  for (const kind of LAYOUTS) {
    it(`${kind}: places every server, apart from the others, the same way every time`, () => {
      const input = { servers: servers(120), connections: [{ from: 's0000', to: 's0001' }], clusters: [{ name: 'c', servers: ['s0003', 's0004'] }] };
      const a = layout(kind, input);
      expect(a.size).toBe(120);
      expect(minGap(a)).toBeGreaterThan(kind === 'force' ? PITCH * 0.4 : PITCH * 0.7);
      expect([...layout(kind, input)]).toEqual([...a]);
    });
  }

  it('circular puts a small fleet on one ring', () => {
    const pos = [...layout('circular', { servers: servers(8), connections: [], clusters: [] }).values()];
    const r = pos.map((p) => Math.hypot(p.x, p.y));
    for (const x of r) expect(x).toBeCloseTo(r[0]!);
  });

  it('region keeps each region in its own area', () => {
    const pos = layout('region', { servers: servers(90), connections: [], clusters: [] });
    const box = (region: string) => {
      const p = servers(90).filter((s) => s.region === region).map((s) => pos.get(s.id)!);
      return { minX: Math.min(...p.map((q) => q.x)), maxX: Math.max(...p.map((q) => q.x)), minY: Math.min(...p.map((q) => q.y)), maxY: Math.max(...p.map((q) => q.y)) };
    };
    const [a, b] = [box('eu'), box('us')];
    const overlap = a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY;
    expect(overlap).toBe(false);
  });

  it('force pulls connected servers closer than unconnected ones', () => {
    const s = servers(40);
    const pos = layout('force', { servers: s, connections: [{ from: 's0000', to: 's0039' }], clusters: [] });
    const d = (a: string, b: string) => Math.hypot(pos.get(a)!.x - pos.get(b)!.x, pos.get(a)!.y - pos.get(b)!.y);
    expect(d('s0000', 's0039')).toBeLessThan(d('s0001', 's0038'));
  });

  it('keeps positions a user placed', () => {
    const pos = layout('grid', { servers: servers(5), connections: [], clusters: [], pinned: { s0002: { x: 99, y: -7 }, ghost: { x: 1, y: 1 } } });
    expect(pos.get('s0002')).toEqual({ x: 99, y: -7 });
    expect(pos.has('ghost')).toBe(false);
  });

  /** A fleet of `n` with a few clusters of different sizes (one server in two clusters), some in no cluster. */
  function fleet(n: number) {
    const s = servers(n);
    const ids = s.map((x) => x.id);
    const clusters = [
      { name: 'shop', servers: ids.slice(0, Math.max(1, Math.floor(n / 4))) },
      { name: 'data', servers: ids.slice(Math.floor(n / 4), Math.floor(n / 4) + Math.max(1, Math.floor(n / 6))) },
      { name: 'edge', servers: [ids[n - 1]!, ids[0]!] },
    ];
    const connections = ids.slice(1).map((id, i) => ({ from: ids[i]!, to: id }));
    return { servers: s, connections, clusters };
  }

  for (const n of [3, 7, 20, 50]) {
    for (const kind of LAYOUTS) {
      it(`${kind} at ${n} servers: no blocks overlap, no floor covers a non-member`, () => {
        const input = fleet(n);
        const positions = layout(kind, input);
        const scene = new Scene({ servers: input.servers.map((x) => ({ id: x.id, name: x.id, type: 'web' })), positions, connections: [], clusters: input.clusters });
        const blocks = scene.ids.map((id, i) => ({ id, wx: scene.x[i]!, wy: scene.y[i]! }));
        expect(problems(blocks, scene.clusters, new Map(input.clusters.map((c) => [c.name, c.servers])))).toEqual([]);
        // Members sit together: a cluster none of whose members is in another has one floor (by
        // region: one per region it spans).
        expect(scene.clusters.filter((a) => a.name === 'data')).toHaveLength(kind === 'region' ? new Set(input.clusters[1]!.servers.map((id) => input.servers.find((x) => x.id === id)!.region)).size : 1);
      });
    }
  }

  it('the check itself finds overlapping blocks and a covering floor', () => {
    const blocks = [{ id: 'a', wx: 0, wy: 0 }, { id: 'b', wx: 1.5, wy: 1.5 }, { id: 'c', wx: 6, wy: 0 }];
    expect(problems(blocks, [{ name: 'f', minX: -1, minY: -1, maxX: 6, maxY: 1 }], new Map([['f', ['a']]]))).toEqual([
      'blocks a and b overlap', 'the floor of f covers b', 'the floor of f covers c',
    ]);
    // Apart by a pitch on one axis: clear.
    expect(problems([{ id: 'a', wx: 0, wy: 0 }, { id: 'b', wx: PITCH, wy: 0 }], [], new Map())).toEqual([]);
  });
});
