import { describe, expect, it } from 'vitest';
import { parseLoadavg } from './loadavg.js';

describe('parseLoadavg', () => {
  it('reads the three averages and ignores the task counts', () => {
    expect(parseLoadavg('0.52 1.41 12.30 1/123 4567\n')).toEqual([0.52, 1.41, 12.3]);
  });

  it('gives 0 for missing or garbled fields rather than NaN', () => {
    expect(parseLoadavg('0.5 x\n')).toEqual([0.5, 0, 0]);
  });
});
