import { describe, expect, it } from 'vitest';
import { cpuPercent, parseCpuTimes } from './cpu.js';

const STAT_A = `cpu  4640 10 2176 113918 253 0 39 82 7 0
cpu0 1953 0 934 57605 16 0 11 35 0 0
cpu1 2686 0 1242 56312 237 0 28 46 0 0
intr 12345 0 0
ctxt 99
`;
// One second later on 2 cores (200 jiffies): 50 user, 10 system, 130 idle, 10 iowait.
const STAT_B = `cpu  4690 10 2186 114048 263 0 39 82 9 0
cpu0 1953 0 934 57605 16 0 11 35 0 0
`;

describe('parseCpuTimes', () => {
  it('reads the aggregate line and counts iowait as idle, guest not twice', () => {
    expect(parseCpuTimes(STAT_A)).toEqual({ idle: 113918 + 253, total: 4640 + 10 + 2176 + 113918 + 253 + 0 + 39 + 82 });
  });

  it('accepts old kernels with fewer columns', () => {
    expect(parseCpuTimes('cpu 10 0 10 80\n')).toEqual({ idle: 80, total: 100 });
  });

  it('refuses text without the aggregate line', () => {
    expect(() => parseCpuTimes('cpu0 1 2 3 4\n')).toThrow(/aggregate/);
  });
});

describe('cpuPercent', () => {
  it('is the busy share of the jiffies between two snapshots', () => {
    expect(cpuPercent(parseCpuTimes(STAT_A), parseCpuTimes(STAT_B))).toBeCloseTo(30, 10);
  });

  it('is 0 when no time passed or the counters went backwards', () => {
    const a = parseCpuTimes(STAT_A);
    expect(cpuPercent(a, a)).toBe(0);
    expect(cpuPercent(parseCpuTimes(STAT_B), a)).toBe(0);
  });

  it('stays within 0–100 when iowait steps backwards', () => {
    expect(cpuPercent({ idle: 100, total: 1000 }, { idle: 90, total: 1010 })).toBe(100);
  });
});
