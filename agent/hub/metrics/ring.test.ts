import { describe, expect, it } from 'vitest';
import { BucketRing, GAP } from './ring.js';

/** Column 0 of the whole ring ending at `end`, GAP shown as null. */
const col = (r: BucketRing, end: number, c = 0) => [...r.column(c, end)].map((v) => (v === GAP ? null : v));

describe('BucketRing', () => {
  it('is all gaps while empty and allocates size × width uint16', () => {
    const r = new BucketRing(4, 3);
    expect(r.byteLength).toBe(4 * 3 * 2);
    expect(r.newestBucket()).toBeUndefined();
    expect(col(r, 100)).toEqual([null, null, null, null]);
  });

  it('reads oldest first, each column apart', () => {
    const r = new BucketRing(4, 2);
    r.write(10, [1, 101]);
    r.write(11, [2, 102]);
    r.write(12, [3, 103]);
    expect(col(r, 12)).toEqual([null, 1, 2, 3]);
    expect(col(r, 12, 1)).toEqual([null, 101, 102, 103]);
    // A window ending after the newest shows the buckets not yet written as gaps.
    expect(col(r, 14)).toEqual([2, 3, null, null]);
  });

  it('wraps around, keeping only the newest `size` buckets', () => {
    const r = new BucketRing(3, 1);
    for (let b = 0; b < 10; b++) r.write(b, [b]);
    expect(col(r, 9)).toEqual([7, 8, 9]);
    expect(r.get(6, 0)).toBe(GAP);
    expect(r.get(9, 0)).toBe(9);
  });

  it('blanks skipped buckets so a pause reads as gaps, also across the wrap', () => {
    const r = new BucketRing(5, 1);
    for (let b = 0; b < 4; b++) r.write(b, [b + 1]);
    r.write(6, [7]); // 4 and 5 skipped; slots 4 and 0 held old values
    expect(col(r, 6)).toEqual([3, 4, null, null, 7]);
    r.write(100, [9]); // longer than the ring: everything else is gone
    expect(col(r, 100)).toEqual([null, null, null, null, 9]);
  });

  it('overwrites a bucket it holds and refuses one older than it holds', () => {
    const r = new BucketRing(3, 1);
    r.write(5, [1]);
    r.write(6, [2]);
    expect(r.write(6, [3])).toBe(true);
    expect(r.write(5, [4])).toBe(true);
    expect(r.write(3, [5])).toBe(false);
    expect(col(r, 6)).toEqual([null, 4, 3]);
    expect(r.newestBucket()).toBe(6);
  });
});
