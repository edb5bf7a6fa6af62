import { describe, expect, it } from 'vitest';
import { COS, FLOOR_MARGIN } from './geometry.js';
import { Scene } from './scene.js';

const positions = new Map([['a', { x: 0, y: 0 }], ['b', { x: 2.5, y: 0 }], ['c', { x: 100, y: 100 }]]);
const make = () => new Scene({
  servers: [{ id: 'a', name: 'A', type: 'web' }, { id: 'b', name: 'B', type: 'database' }, { id: 'c', name: 'C', type: 'dns' }],
  positions,
  connections: [{ id: 'a:b', from: 'a', to: 'b', type: 'http' }, { id: 'a:c', from: 'a', to: 'c', type: 'standard' }, { id: 'a:x', from: 'a', to: 'x', type: 'standard' }],
  clusters: [{ name: 'pair', servers: ['a', 'b'] }, { name: 'empty', servers: ['x'] }],
});

describe('Scene', () => {
  it('keeps servers back to front and drops links to unknown servers and empty clusters', () => {
    const s = make();
    expect([...s.order].map((i) => s.ids[i])).toEqual(['c', 'b', 'a']);
    expect(s.linkIds).toEqual(['a:b', 'a:c']);
    expect(s.clusters.map((c) => c.name)).toEqual(['pair']);
    expect(s.clusters[0]!.minX).toBeLessThan(0);
    expect(s.clusters[0]!.maxX).toBeGreaterThan(2.5);
  });

  it('gives members placed apart a floor piece each, the name on the biggest, and never covers another server', () => {
    const pos = new Map([['a', { x: 0, y: 0 }], ['b', { x: 2.5, y: 0 }], ['c', { x: 30, y: 0 }], ['x', { x: 15, y: 0 }]]);
    const s = new Scene({
      servers: ['a', 'b', 'c', 'x'].map((id) => ({ id, name: id, type: 'web' as const })), positions: pos, connections: [],
      clusters: [{ name: 'split', servers: ['a', 'b', 'c'] }],
    });
    expect(s.clusters.map((c) => [c.name, c.labelled, c.minX < 0 && c.maxX > 2.5, c.minX < 30 && c.maxX > 30])).toEqual([['split', true, true, false], ['split', false, false, true]]);
    // The view fits the floors, not only the blocks.
    expect(s.bounds!.minX).toBeCloseTo(COS * -2 * FLOOR_MARGIN);
  });

  it('hit-tests and box-queries with the quadtree', () => {
    const s = make();
    expect(s.ids[s.hit({ x: 2.2, y: 0.4 }, 1)!]).toBe('b');
    expect(s.hit({ x: 5, y: 5 }, 1)).toBeUndefined();
    expect(s.within({ minX: -1, minY: -1, maxX: 3, maxY: 1 }).map((i) => s.ids[i]).sort()).toEqual(['a', 'b']);
  });

  it('finds the links that may cross a plane box, each once', () => {
    const s = make();
    // a:c runs from the plane origin far up (its far end is at plane y −100).
    expect(s.linksIn({ minX: -1, minY: -60, maxX: 1, maxY: -40 }).map((j) => s.linkIds[j])).toEqual(['a:c']);
    const near = s.linksIn({ minX: -1, minY: -1, maxX: 1, maxY: 1 }).map((j) => s.linkIds[j]).sort();
    expect(near).toEqual(['a:b', 'a:c']);
  });

  it('patches statuses and metrics, reporting only what changed', () => {
    const s = make();
    const st: Record<string, 'active' | 'inactive' | 'unknown'> = { a: 'active', b: 'unknown', c: 'unknown' };
    const live = { status: (id: string) => st[id] ?? 'unknown', load: (id: string) => (id === 'a' ? [12, 34] as const : undefined), link: (id: string) => (id === 'a:b' ? 'connected' as const : 'unknown' as const) };
    expect(s.applyLive(live)).toEqual({ changed: [0], links: true });
    expect([s.cpu[0], s.mem[0], Number.isNaN(s.cpu[1]!)]).toEqual([12, 34, true]);
    expect(s.applyLive(live)).toEqual({ changed: [], links: false });
    st['c'] = 'inactive';
    expect(s.applyLive(live)).toEqual({ changed: [2], links: false });
  });
});
