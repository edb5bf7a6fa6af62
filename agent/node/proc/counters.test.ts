import { describe, expect, it } from 'vitest';
import { counterRate, summedRate } from './counters.js';

describe('counterRate', () => {
  it('divides the delta by the elapsed seconds', () => {
    expect(counterRate(1000, 5000, 2)).toBe(2000);
    expect(counterRate(10, 10, 1)).toBe(0);
  });

  it('counts a counter that went backwards (reset or wrap) as 0, never negative', () => {
    expect(counterRate(5000, 100, 1)).toBe(0);
  });

  it('returns 0 for a zero or negative interval instead of Infinity or NaN', () => {
    expect(counterRate(0, 100, 0)).toBe(0);
    expect(counterRate(0, 100, -1)).toBe(0);
    expect(counterRate(0, 100, Number.NaN)).toBe(0);
  });
});

describe('summedRate', () => {
  it('sums per-name deltas', () => {
    const prev = new Map([['eth0', 1000], ['eth1', 0]]);
    const cur = new Map([['eth0', 3000], ['eth1', 500]]);
    expect(summedRate(prev, cur, 2)).toBe(1250);
  });

  it('ignores names that appeared or vanished, and a name whose counter was reset', () => {
    const prev = new Map([['eth0', 1000], ['veth9', 9e12], ['eth1', 7000]]);
    const cur = new Map([['eth0', 2000], ['veth10', 8e12], ['eth1', 10]]);
    expect(summedRate(prev, cur, 1)).toBe(1000);
  });
});
