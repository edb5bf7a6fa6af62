import { describe, expect, it } from 'vitest';
import { axisTop, niceTop, tickLabel, timeTicks } from './chart.js';

describe('chart axes', () => {
  it('rounds the top up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0.3, 1, 1.2, 2.2, 3, 7, 12, 4096].map((v) => niceTop(v, 0.1))).toEqual([0.5, 1, 2, 2.5, 5, 10, 20, 5000]);
  });
  it('keeps percentages at 100 and gives loads and rates a floor', () => {
    expect(axisTop('pct', [[12, null, 99]])).toBe(100);
    expect(axisTop('load', [[0.2, null]])).toBe(1);
    expect(axisTop('load', [[3.4]])).toBe(5);
    expect(axisTop('rate', [[null], [300_000, 10]])).toBe(500 * 1024);
    expect(tickLabel('rate', 500 * 1024)).toBe('500 KB/s');
    expect(axisTop('rate', [[150 * 1024 ** 2]])).toBe(200 * 1024 ** 2);
    expect(axisTop('rate', [[0, 12]])).toBe(1000);
    expect(tickLabel('pct', 50)).toBe('50 %');
  });
  it('marks the time axis the same way for every chart of a window', () => {
    expect(timeTicks('15m').map((t) => t.label)).toEqual(['−15 min', '−10', '−5', 'now']);
    expect(timeTicks('24h').map((t) => t.at)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
});
