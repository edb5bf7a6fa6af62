import { describe, expect, it } from 'vitest';
import { GAP, MAGNITUDE_MAX, decodeMagnitude, encodeMagnitude, percentCodec, rescale, scaleFor, scaleOf } from './codec.js';

describe('percentCodec', () => {
  it('keeps 0.5 % steps (within 0.25 %), clamps to 0–100 and never produces the gap code', () => {
    const roundTrip = (v: number) => percentCodec.decode(percentCodec.encode(v));
    expect([0, 12.5, 99.5, 100].map(roundTrip)).toEqual([0, 12.5, 99.5, 100]);
    for (let v = 0; v <= 100; v += 0.01) expect(Math.abs(roundTrip(v) - v)).toBeLessThanOrEqual(0.25 + 1e-9);
    expect(roundTrip(130)).toBe(100);
    expect(roundTrip(-1)).toBe(0);
    expect(roundTrip(Number.NaN)).toBe(0);
    expect(percentCodec.encode(100)).toBe(200);
  });
});

describe('magnitude codes', () => {
  it('pick the smallest grid scale at or above the value, 19 % apart, from 0.001 to beyond 1e16', () => {
    for (const v of [0, 1e-4, 0.001, 0.75, 1, 3.7, 1500, 2.5e9, 1e13, 1e16]) {
      const k = scaleFor(v);
      expect(scaleOf(k)).toBeGreaterThanOrEqual(v);
      if (k > 0) expect(scaleOf(k - 1)).toBeLessThan(v);
    }
    expect(scaleOf(1) / scaleOf(0)).toBeCloseTo(2 ** 0.25, 12);
    expect(scaleOf(scaleFor(1e30))).toBe(scaleOf(254)); // beyond the grid: the largest scale
    expect(scaleFor(Number.NaN)).toBe(0);
  });

  it('encode within half a code of the scale, clamp to it, and never produce the gap code', () => {
    for (const v of [0, 0.01, 0.75, 999, 1234.5, 1.25e6, 9.9e9, 4e12]) {
      const k = scaleFor(v);
      const code = encodeMagnitude(v, k);
      expect(code).toBeLessThanOrEqual(MAGNITUDE_MAX);
      expect(Math.abs(decodeMagnitude(code, k) - v)).toBeLessThanOrEqual(scaleOf(k) / MAGNITUDE_MAX / 2 + scaleOf(k) * 1e-3);
    }
    expect(encodeMagnitude(1e30, 10)).toBe(MAGNITUDE_MAX);
    expect(encodeMagnitude(-5, 10)).toBe(0);
    expect(MAGNITUDE_MAX).toBeLessThan(GAP);
  });

  it('round again to a larger scale by the ratio of the scales', () => {
    const k = scaleFor(1000);
    const code = encodeMagnitude(1000, k);
    expect(rescale(code, k, k + 4)).toBe(Math.round(code / 2)); // 4 steps: twice the scale
    expect(rescale(MAGNITUDE_MAX, k, k)).toBe(MAGNITUDE_MAX);
  });

  it('decode to short numbers (4 significant digits) and 0 exactly', () => {
    expect(decodeMagnitude(0, 100)).toBe(0);
    expect(String(decodeMagnitude(200, scaleFor(123_456_789)))).toMatch(/^\d{1,4}0*$/);
    expect(decodeMagnitude(MAGNITUDE_MAX, scaleFor(1))).toBe(1);
  });
});
