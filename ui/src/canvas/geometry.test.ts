import { describe, expect, it } from 'vitest';
import { HEIGHT, PLATE_H, fitTransform, planeBounds, toScreen, toWorld } from './geometry.js';

describe('the projection', () => {
  it('matches isomer: x goes right-up, y goes left-up, z goes up', () => {
    const t = { k: 10, x: 100, y: 100 };
    expect(toScreen(t, 0, 0)).toEqual({ x: 100, y: 100 });
    const x = toScreen(t, 1, 0);
    expect(x.x).toBeCloseTo(100 + 10 * Math.cos(Math.PI / 6));
    expect(x.y).toBeCloseTo(95);
    expect(toScreen(t, 0, 1).x).toBeCloseTo(100 - 10 * Math.cos(Math.PI / 6));
    expect(toScreen(t, 0, 0, 1)).toEqual({ x: 100, y: 90 });
  });

  it('inverts at any height', () => {
    const t = { k: 37, x: -12, y: 410 };
    for (const [x, y, z] of [[0, 0, 0], [3.5, -2, 0.4], [-100, 250, HEIGHT]] as const) {
      const s = toScreen(t, x, y, z);
      const w = toWorld(t, s.x, s.y, z);
      expect(w.x).toBeCloseTo(x);
      expect(w.y).toBeCloseTo(y);
    }
  });
});

describe('fitTransform', () => {
  for (const [n, w, h] of [[1, 800, 380], [7, 1200, 380], [400, 900, 380], [3, 300, 600]] as const) {
    it(`keeps ${n} blocks inside ${w}×${h}`, () => {
      const xs = Array.from({ length: n }, (_, i) => (i % 20) * 2.5), ys = Array.from({ length: n }, (_, i) => Math.floor(i / 20) * 2.5);
      const t = fitTransform(planeBounds(xs, ys), w, h, { pad: 10, labelSpace: 20 });
      xs.forEach((x, i) => {
        for (const [dx, dy, z] of [[-0.7, -0.7, 0], [0.7, 0.7, PLATE_H + HEIGHT], [0.7, -0.7, 0], [-0.7, 0.7, 0]] as const) {
          const p = toScreen(t, x + dx, ys[i]! + dy, z);
          expect(p.x).toBeGreaterThanOrEqual(10 - 1e-6);
          expect(p.x).toBeLessThanOrEqual(w - 10 + 1e-6);
          expect(p.y).toBeGreaterThanOrEqual(10 - 1e-6);
          expect(p.y).toBeLessThanOrEqual(h - 10 - 20 + 1e-6);
        }
      });
    });
  }

  it('does not blow up one server beyond maxK, and centres it', () => {
    const t = fitTransform(planeBounds([0], [0]), 1000, 1000, { maxK: 40 });
    expect(t.k).toBe(40);
    expect(Math.abs(toScreen(t, 0, 0).x - 500)).toBeLessThan(1);
  });
});
