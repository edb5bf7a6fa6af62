import { describe, expect, it } from 'vitest';
import { magnitudeCodec, percentCodec } from './codec.js';
import { GAP } from './ring.js';

const roundTrip = (c: typeof percentCodec, v: number) => c.decode(c.encode(v));

describe('percentCodec', () => {
  it('keeps 0.01 % steps and clamps to 0–100', () => {
    expect([0, 12.34, 99.99, 100].map((v) => roundTrip(percentCodec, v))).toEqual([0, 12.34, 99.99, 100]);
    expect(roundTrip(percentCodec, 12.3449)).toBe(12.34);
    expect(roundTrip(percentCodec, 130)).toBe(100);
    expect(roundTrip(percentCodec, -1)).toBe(0);
  });
});

describe('magnitudeCodec', () => {
  it('is exact at 0, within 0.001 below 1 and within 0.1 % above, up to terabytes a second', () => {
    expect(roundTrip(magnitudeCodec, 0)).toBe(0);
    for (const v of [0.01, 0.05, 0.5, 0.99]) expect(Math.abs(roundTrip(magnitudeCodec, v) - v)).toBeLessThan(1e-3);
    for (const v of [1, 3.7, 999, 1234.5, 12_345, 1.25e6, 9.9e9, 4e12]) {
      expect(Math.abs(roundTrip(magnitudeCodec, v) - v) / v).toBeLessThan(1e-3);
    }
  });

  it('never produces the gap code, however large the value', () => {
    expect(magnitudeCodec.encode(1e30)).toBe(GAP - 1);
    expect(magnitudeCodec.encode(Number.MAX_VALUE)).toBeLessThan(GAP);
  });

  it('decodes to short numbers (4 significant digits)', () => {
    expect(String(roundTrip(magnitudeCodec, 123_456_789))).toMatch(/^123[45]\d{5}$/);
    expect(roundTrip(magnitudeCodec, 0.5)).toBe(0.5);
  });
});
