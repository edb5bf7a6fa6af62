import { describe, expect, it } from 'vitest';
import { parseUptime } from './uptime.js';

describe('parseUptime', () => {
  it('reads seconds since boot', () => {
    expect(parseUptime('607.72 1139.18\n')).toBe(607.72);
  });

  it('gives 0 for garbage', () => {
    expect(parseUptime('')).toBe(0);
  });
});
