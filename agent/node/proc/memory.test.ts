import { describe, expect, it } from 'vitest';
import { parseMeminfo } from './memory.js';

const K = 1024;

describe('parseMeminfo', () => {
  it('counts used memory as total minus available, and swap as total minus free', () => {
    const text = `MemTotal:       16000000 kB
MemFree:         2000000 kB
MemAvailable:   10000000 kB
Buffers:          100000 kB
Cached:          7000000 kB
SwapCached:            0 kB
SwapTotal:       4000000 kB
SwapFree:        3000000 kB
HugePages_Total:       0
`;
    expect(parseMeminfo(text)).toEqual({ total: 16000000 * K, used: 6000000 * K, swapTotal: 4000000 * K, swapUsed: 1000000 * K });
  });

  it('falls back to free + buffers + cache + reclaimable slab on kernels without MemAvailable', () => {
    const text = 'MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 200 kB\nSReclaimable: 50 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n';
    expect(parseMeminfo(text)).toEqual({ total: 1000 * K, used: 600 * K, swapTotal: 0, swapUsed: 0 });
  });

  it('never reports negative use', () => {
    expect(parseMeminfo('MemTotal: 100 kB\nMemAvailable: 120 kB\n').used).toBe(0);
  });
});
