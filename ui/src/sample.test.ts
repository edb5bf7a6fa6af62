import { describe, expect, it } from 'vitest';
import type { MetricsSample } from '../../agent/protocol/types.js';
import { diskPercent, memPercent } from './sample.js';

const s = (over: Partial<MetricsSample>): MetricsSample => ({
  ts: 0, cpu: 0, mem: { total: 0, used: 0, swapTotal: 0, swapUsed: 0 }, disks: [], diskIO: { readBps: 0, writeBps: 0 },
  net: { rxBps: 0, txBps: 0 }, load: [0, 0, 0], uptime: 0, tcp: 0, ...over,
});

describe('sample', () => {
  it('memPercent is used over total, 0 when total is unknown', () => {
    expect(memPercent(s({ mem: { total: 8, used: 2, swapTotal: 0, swapUsed: 0 } }))).toBe(25);
    expect(memPercent(s({}))).toBe(0);
  });

  it('diskPercent is the fullest mount', () => {
    const disks = [{ mount: '/', total: 100, used: 30 }, { mount: '/var', total: 10, used: 9 }, { mount: '/x', total: 0, used: 0 }];
    expect(diskPercent(s({ disks }))).toBe(90);
    expect(diskPercent(s({}))).toBe(0);
  });
});
