import { describe, expect, it } from 'vitest';
import { BLOCK, BucketRing, RingLayout } from './ring.js';

/** A ring of `size` buckets of percent columns (whole numbers store exactly). */
const percents = (size: number, width = 1) => new BucketRing(new RingLayout(size, new Array<boolean>(width).fill(false)));
const col = (r: BucketRing, end: number, c = 0) => r.column(c, end);

describe('BucketRing', () => {
  it('is all gaps while empty and allocates one byte per point plus one per block and magnitude column', () => {
    const r = percents(4, 3);
    expect(r.byteLength).toBe(4 * 3);
    expect(new RingLayout(900, [false, true, true]).byteLength).toBe(900 * 3 + 16 * 2);
    expect(r.newestBucket()).toBeUndefined();
    expect(col(r, 100)).toEqual([null, null, null, null]);
  });

  it('reads oldest first, each column apart', () => {
    const r = percents(4, 2);
    r.write(10, [1, 51]);
    r.write(11, [2, 52]);
    r.write(12, [3, 53.5]);
    expect(col(r, 12)).toEqual([null, 1, 2, 3]);
    expect(col(r, 12, 1)).toEqual([null, 51, 52, 53.5]);
    // A window ending after the newest shows the buckets not yet written as gaps.
    expect(col(r, 14)).toEqual([2, 3, null, null]);
  });

  it('wraps around, keeping only the newest `size` buckets', () => {
    const r = percents(3);
    for (let b = 0; b < 10; b++) r.write(b, [b]);
    expect(col(r, 9)).toEqual([7, 8, 9]);
    expect(r.get(6, 0)).toBeNull();
    expect(r.get(9, 0)).toBe(9);
  });

  it('blanks skipped buckets so a pause reads as gaps, also across the wrap', () => {
    const r = percents(5);
    for (let b = 0; b < 4; b++) r.write(b, [b + 1]);
    r.write(6, [7]); // 4 and 5 skipped; slots 4 and 0 held old values
    expect(col(r, 6)).toEqual([3, 4, null, null, 7]);
    r.write(100, [9]); // longer than the ring: everything else is gone
    expect(col(r, 100)).toEqual([null, null, null, null, 9]);
  });

  it('overwrites a bucket it holds and refuses one older than it holds', () => {
    const r = percents(3);
    r.write(5, [1]);
    r.write(6, [2]);
    expect(r.write(6, [3])).toBe(true);
    expect(r.write(5, [4])).toBe(true);
    expect(r.write(3, [5])).toBe(false);
    expect(col(r, 6)).toEqual([null, 4, 3]);
    expect(r.newestBucket()).toBe(6);
  });

  it('refuses a buffer of the wrong size', () => {
    expect(() => new BucketRing(new RingLayout(4, [true]), new Uint8Array(4))).toThrow(/needs 6 bytes from 0, not 4/);
    expect(() => new BucketRing(new RingLayout(4, [true]), new Uint8Array(10), 5)).toThrow(/needs 6 bytes from 5, not 5/);
  });

  it('shares a buffer with other rings without touching their bytes', () => {
    const bytes = new Uint8Array(2 + 2 * 6 + 2).fill(7);
    const layout = new RingLayout(4, [true]);
    const [a, b] = [new BucketRing(layout, bytes, 2), new BucketRing(layout, bytes, 8)];
    for (let i = 0; i < 9; i++) {
      a.write(i, [100]);
      b.write(i * 3, [200]);
    }
    expect(a.column(0, 8)).toEqual([100, 100, 100, 100]);
    expect(b.column(0, 24)).toEqual([200, null, null, 200]); // 21 and 24
    expect([bytes[0], bytes[1], bytes[14], bytes[15]]).toEqual([7, 7, 7, 7]);
  });
});

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * Writes `values` as consecutive buckets from `first` into a ring of one magnitude column and
 * returns the worst error of what it reads back, as a fraction of the largest value of the
 * point's block (blocks of BLOCK buckets), over the buckets the ring still holds.
 */
function worstError(size: number, values: number[], first = 0, overwrite = false): number {
  const r = new BucketRing(new RingLayout(size, [true]));
  const rnd = random(7);
  values.forEach((v, i) => {
    r.write(first + i, [v]);
    // Rewriting a held bucket (the newest minute is rewritten on every frame) must not break the block.
    if (overwrite && i > 0 && rnd() < 0.3) r.write(first + i - 1, [values[i - 1]!]);
  });
  const end = first + values.length - 1;
  const read = r.column(0, end);
  let worst = 0;
  read.forEach((got, i) => {
    const bucket = end - size + 1 + i;
    const at = bucket - first;
    if (at < 0) return expect(got).toBeNull();
    const start = Math.max(0, Math.floor(bucket / BLOCK) * BLOCK - first);
    const blockMax = Math.max(...values.slice(start, Math.floor(bucket / BLOCK) * BLOCK - first + BLOCK));
    expect(got).not.toBeNull();
    const err = Math.abs(got! - values[at]!);
    worst = Math.max(worst, blockMax === 0 ? err : err / blockMax);
  });
  return worst;
}

describe('BucketRing magnitudes', () => {
  const rnd = random(42);
  const series: Record<string, number[]> = {
    'rising ramp (a rescale every few points)': Array.from({ length: 2000 }, (_, i) => 1 + i * 7.3),
    'exponential ramp (a rescale on every point)': Array.from({ length: 2000 }, (_, i) => 1.05 ** (i % 600)),
    'slow ramp (many one-step rescales)': Array.from({ length: 2000 }, (_, i) => 1000 * 2 ** ((i % 60) / 4)),
    'noise with spikes': Array.from({ length: 2000 }, () => (rnd() < 0.02 ? 1e9 * rnd() : 1e5 * rnd())),
    'zeros and bursts': Array.from({ length: 2000 }, (_, i) => (Math.floor(i / 37) % 3 === 0 ? 0 : 5e6 * rnd())),
    'huge values (~1e13)': Array.from({ length: 2000 }, () => 1e13 * (0.5 + rnd())),
    'tiny load averages': Array.from({ length: 2000 }, () => 0.05 * rnd()),
    'random walk': (() => { let v = 1e6; return Array.from({ length: 2000 }, () => (v *= Math.exp((rnd() - 0.5) * 0.4))); })(),
  };

  for (const [name, values] of Object.entries(series)) {
    it(`stay within 2 % of their block's largest value: ${name}`, () => {
      for (const [size, first] of [[900, 0], [1440, 12_345], [900, 59]] as const) {
        expect(worstError(size, values, first)).toBeLessThan(0.02);
        expect(worstError(size, values, first, true)).toBeLessThan(0.02);
      }
    });
  }

  it('start every block from the smallest scale, so a spike does not coarsen the blocks after it', () => {
    // 180 buckets keep 4 blocks' scales: block 4 (buckets 240–299) reuses the spike's.
    const r = new BucketRing(new RingLayout(180, [true]));
    const value = (b: number) => (b === 30 ? 1e12 : 100 + (b % 7));
    for (let b = 0; b < 400; b++) r.write(b, [value(b)]);
    r.column(0, 399).forEach((v, i) => expect(Math.abs(v! - value(220 + i))).toBeLessThan(0.3));
    // The bucket of the spike keeps its value while held.
    const s = new BucketRing(new RingLayout(180, [true]));
    for (let b = 0; b < 100; b++) s.write(b, [b === 30 ? 1e12 : 100]);
    expect(s.get(30, 0)! / 1e12).toBeCloseTo(1, 2);
    expect(s.get(29, 0)).toBe(0); // 100 is under 1e-10 of the block's scale
    expect(s.get(99, 0)).toBeCloseTo(100, 0);
  });

  it('keep the blocks it still shows when it wraps into them', () => {
    // 100 buckets over blocks of 60: the newest block starts while the rows it reuses still show an older block.
    const r = new BucketRing(new RingLayout(100, [true]));
    for (let b = 0; b < 130; b++) r.write(b, [b < 60 ? 1e9 : 10]);
    const got = r.column(0, 129);
    expect(got.slice(0, 30).every((v) => Math.abs(v! / 1e9 - 1) < 0.01)).toBe(true); // buckets 30–59
    expect(got.slice(30).every((v) => Math.abs(v! - 10) < 0.05)).toBe(true); // 60–129
  });
});
