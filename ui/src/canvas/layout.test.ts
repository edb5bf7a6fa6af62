import { describe, expect, it } from 'vitest';
import { type Block, HEIGHT, PITCH, PLATE, PLATE_H, SIZE, drawOrder, fitView, frontCorner, gridLayout, project, topCentre } from './layout.js';

const blocks = (n: number): Block[] => Array.from({ length: n }, (_, i) => ({ id: `s${String(i).padStart(3, '0')}`, name: `S${i}`, status: 'active' }));

describe('gridLayout', () => {
  it('puts blocks on a square grid, PITCH apart, sorted by id', () => {
    const p = gridLayout([{ id: 'b', name: 'B', status: 'active' }, { id: 'a', name: 'A', status: 'inactive' }, { id: 'c', name: 'C', status: 'unknown' }]);
    expect(p.map((x) => x.id)).toEqual(['a', 'b', 'c']);
    // 3 blocks → 2 columns, 2 rows; the first at the top corner (largest x + y).
    expect(p.map((x) => [x.gx, x.gy])).toEqual([[PITCH, PITCH], [PITCH, 0], [0, PITCH]]);
  });

  it('gives every block its own cell', () => {
    const p = gridLayout(blocks(50));
    expect(new Set(p.map((x) => `${x.gx},${x.gy}`)).size).toBe(50);
  });
});

describe('project', () => {
  it('matches isomer: x goes right-up, y goes left-up, z goes up', () => {
    const v = { scale: 10, originX: 100, originY: 100 };
    expect(project(v, 0, 0, 0)).toEqual({ x: 100, y: 100 });
    const x = project(v, 1, 0, 0);
    expect(x.x).toBeCloseTo(100 + 10 * Math.cos(Math.PI / 6));
    expect(x.y).toBeCloseTo(95);
    const y = project(v, 0, 1, 0);
    expect(y.x).toBeCloseTo(100 - 10 * Math.cos(Math.PI / 6));
    expect(project(v, 0, 0, 1)).toEqual({ x: 100, y: 90 });
  });
});

describe('drawOrder', () => {
  it('draws far blocks (large x + y) first', () => {
    const order = drawOrder(gridLayout(blocks(9))).map((p) => p.gx + p.gy);
    expect(order).toEqual([...order].sort((a, b) => b - a));
  });
});

describe('fitView', () => {
  for (const [n, w, h] of [[1, 800, 380], [2, 800, 380], [7, 1200, 380], [400, 900, 380], [3, 300, 600]] as const) {
    it(`keeps ${n} blocks and their labels inside ${w}×${h}`, () => {
      const placed = gridLayout(blocks(n));
      const v = fitView(placed, w, h, { pad: 10, labelSpace: 20 });
      for (const p of placed) {
        for (const [x, y, z] of [[p.gx - PLATE, p.gy - PLATE, 0], [p.gx + SIZE + PLATE, p.gy + SIZE + PLATE, PLATE_H + HEIGHT],
          [p.gx + SIZE + PLATE, p.gy - PLATE, 0], [p.gx - PLATE, p.gy + SIZE + PLATE, 0]] as const) {
          const q = project(v, x, y, z);
          expect(q.x).toBeGreaterThanOrEqual(10 - 1e-6);
          expect(q.x).toBeLessThanOrEqual(w - 10 + 1e-6);
          expect(q.y).toBeGreaterThanOrEqual(10 - 1e-6);
        }
        expect(frontCorner(v, p).y + 20).toBeLessThanOrEqual(h - 10 + 1e-6);
      }
    });
  }

  it('does not blow up a small fleet beyond maxScale, and centres it', () => {
    const placed = gridLayout(blocks(1));
    const v = fitView(placed, 1000, 1000, { maxScale: 40 });
    expect(v.scale).toBe(40);
    const [p] = placed;
    expect(Math.abs(topCentre(v, p!).x - 500)).toBeLessThan(1);
  });
});
