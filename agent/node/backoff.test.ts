import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelay } from './backoff.js';

const top = () => 0.999999;

describe('backoffDelay', () => {
  it('doubles the ceiling with every attempt up to the cap', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffDelay(a, { baseMs: 500, capMs: 30_000, random: top }));
    expect(ceilings).toEqual([499, 999, 1999, 3999, 7999, 15999, 29999, 29999, 29999]);
  });

  it('draws uniformly between 0 and the ceiling (full jitter)', () => {
    expect(backoffDelay(3, { baseMs: 1000, random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { baseMs: 1000, random: () => 0.5 })).toBe(4000);
    const seen = Array.from({ length: 200 }, () => backoffDelay(4, { baseMs: 1000 }));
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...seen)).toBeLessThan(16_000);
    expect(new Set(seen).size).toBeGreaterThan(100);
  });

  it('never draws below a floor, which the cap still bounds', () => {
    expect([0, 3, 5].map((a) => backoffDelay(a, { baseMs: 500, floorMs: 8000, random: top }))).toEqual([7999, 7999, 15999]);
    expect(backoffDelay(0, { floorMs: 60_000, capMs: 30_000, random: top })).toBe(29999);
  });

  it('stays at the cap for huge attempt counts', () => {
    expect(backoffDelay(5000, { capMs: 30_000, random: top })).toBe(29999);
  });
});

describe('Backoff', () => {
  it('grows with failures and starts over after reset', () => {
    const b = new Backoff({ baseMs: 100, random: top });
    expect([b.next(), b.next(), b.next()]).toEqual([99, 199, 399]);
    b.reset();
    expect(b.next()).toBe(99);
  });
});
