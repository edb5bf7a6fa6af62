import { describe, expect, it } from 'vitest';
import { LABEL_H, clusterLabelAt, placeLabels } from './label-layout.js';

const measure = (s: string) => s.length * 7;
const view = { w: 800, h: 600 };
const spot = (key: string, x: number, y: number, name = key) => ({ key, name, below: { x, y }, above: { x, y: y - 60 } });
const overlap = (a: { x: number; y: number; w: number; h: number }, b: typeof a) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('placeLabels', () => {
  it('puts each name whole under its block when there is room', () => {
    const out = placeLabels([spot('a', 100, 100), spot('b', 300, 100)], [], measure, view);
    expect(out.map((l) => [l.key, l.text, l.full, l.y])).toEqual([['a', 'a', true, 100], ['b', 'b', true, 100]]);
  });

  it('moves a name above its block, then shortens it, and never lets two overlap', () => {
    const out = placeLabels([spot('first-name', 100, 100), spot('second-name', 130, 100), spot('third-name-long', 160, 100)], [], measure, view);
    for (let i = 0; i < out.length; i++) for (let j = i + 1; j < out.length; j++) expect(overlap(out[i]!, out[j]!)).toBe(false);
    expect(out.find((l) => l.key === 'second-name')!.y).toBe(40 - LABEL_H);
    const third = out.find((l) => l.key === 'third-name-long');
    if (third) expect(third.full).toBe(false);
  });

  it('puts a cluster name at the first free corner, and finds it under the pointer', () => {
    const out = placeLabels([spot('web', 100, 100)], [{ key: 'shop', name: 'shop', corners: [{ x: 90, y: 110 }, { x: 300, y: 50 }] }], measure, view);
    const c = out.find((l) => l.kind === 'cluster')!;
    expect([c.x, c.y]).toEqual([300, 50 - LABEL_H]);
    expect(clusterLabelAt(out, { x: c.x + 2, y: c.y + 2 })).toBe('shop');
    expect(clusterLabelAt(out, { x: 100, y: 105 })).toBeUndefined();
  });

  it('leaves out names outside the view', () => {
    expect(placeLabels([spot('far', 2000, 100)], [], measure, view)).toEqual([]);
  });
});
