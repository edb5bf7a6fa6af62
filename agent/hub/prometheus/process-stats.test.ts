import { describe, expect, it } from 'vitest';
import { ProcessStats } from './process-stats.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const block = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end);
};

describe('ProcessStats', () => {
  it('reads this process\'s memory, CPU time and start time', () => {
    const stats = new ProcessStats();
    try {
      const r = stats.read();
      expect(r.residentBytes).toBeGreaterThan(1e6);
      expect(r.cpuSeconds).toBeGreaterThan(0);
      expect(r.startTimeSeconds).toBeLessThanOrEqual(Date.now() / 1000);
      expect(r.startTimeSeconds).toBeGreaterThan(Date.now() / 1000 - process.uptime() - 5);
    } finally {
      stats.close();
    }
  });

  it('reports NaN before the first check, then the delay since the previous read', async () => {
    const stats = new ProcessStats();
    try {
      expect(stats.read().eventLoop.maxSeconds).toBeNaN();
      await sleep(50);
      stats.read();
      block(300);
      await sleep(50);
      const blocked = stats.read();
      expect(blocked.eventLoop.maxSeconds).toBeGreaterThanOrEqual(0.25);
      expect(blocked.eventLoop.meanSeconds).toBeGreaterThan(0);
      await sleep(50);
      expect(stats.read().eventLoop.maxSeconds).toBeLessThan(0.25);
    } finally {
      stats.close();
    }
  });

  it('sees a block in the same tick as a read (a scrape rendering a big fleet)', async () => {
    const stats = new ProcessStats();
    try {
      await sleep(50);
      block(300);
      stats.read();
      await sleep(50);
      expect(stats.read().eventLoop.maxSeconds).toBeGreaterThanOrEqual(0.25);
    } finally {
      stats.close();
    }
  });
});
