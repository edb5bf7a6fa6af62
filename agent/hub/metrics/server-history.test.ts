import { describe, expect, it } from 'vitest';
import { HISTORY_SERIES } from '../../protocol/history.js';
import type { MetricsSample } from '../../protocol/types.js';
import { check, validators } from '../../protocol/validate.js';
import { HISTORY_BYTES, MINUTE_POINTS, SECOND_POINTS, ServerHistory, emptyHistory } from './server-history.js';

const sample = (cpu: number, over: Partial<MetricsSample> = {}): MetricsSample => ({
  ts: 1, cpu, mem: { total: 200, used: 50, swapTotal: 0, swapUsed: 0 },
  disks: [{ mount: '/', total: 100, used: 10 }, { mount: '/var', total: 100, used: 70 }],
  diskIO: { readBps: 4096, writeBps: 1e6 }, net: { rxBps: 1500, txBps: 2.5e9 }, load: [0.75, 0.5, 0.25], uptime: 5, tcp: 1, ...over,
});

/** A minute boundary, so tests can place frames in known minutes. */
const M = 28_333_333 * 60_000;

/** The last `n` cpu points of the 15 min window read at `now`. */
const tail = (h: ServerHistory, now: number, n: number) => h.read('15m', now).series.cpu.slice(-n);

describe('ServerHistory at 1 s', () => {
  it('puts frames 1 s apart on consecutive points even when they jitter across second boundaries', () => {
    const h = new ServerHistory();
    const jitter = [3, -3, 2, -2, 4, -1, 1, -4];
    // Starting 1 ms before a whole second: flooring to seconds would make gaps and collisions here.
    jitter.forEach((j, i) => h.record(sample(i), M + 999 + i * 1000 + j));
    expect(tail(h, M + 999 + 7 * 1000 + 200, 9)).toEqual([null, 0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('leaves one gap per missed second and replaces a point with a frame under 0.5 s later', () => {
    const h = new ServerHistory();
    h.record(sample(1), M);
    h.record(sample(2), M + 1000);
    h.record(sample(3), M + 4000); // 2 and 3 s missing
    h.record(sample(4), M + 4300); // replaces 3
    h.record(sample(5), M + 5300);
    expect(tail(h, M + 5400, 7)).toEqual([null, 1, 2, null, null, 4, 5]);
  });

  it('ends at the newest point until the next frame is overdue, then shows the silence as gaps', () => {
    const h = new ServerHistory();
    h.record(sample(7), M + 250);
    for (const [after, end, nulls] of [[900, 0, 0], [1400, 0, 0], [1600, 1000, 1], [5000, 4000, 4]] as const) {
      const body = h.read('15m', M + 250 + after);
      expect(body.end).toBe(M + 250 + end);
      expect(body.series.cpu.slice(-1 - nulls)).toEqual([7, ...new Array(nulls).fill(null)]);
    }
    expect(h.read('15m', M + 250 + 20 * 60_000).series.cpu.every((v) => v === null)).toBe(true);
  });

  it('keeps the last 900 s, oldest first, and stores every series', () => {
    const h = new ServerHistory();
    for (let i = 0; i < 1000; i++) h.record(sample(i % 100), M + i * 1000);
    const body = h.read('15m', M + 999_000);
    expect(check(validators.history, body)).toEqual({ ok: true, value: body });
    expect(body).toMatchObject({ window: '15m', stepMs: 1000, end: M + 999_000 });
    for (const name of HISTORY_SERIES) expect(body.series[name]).toHaveLength(SECOND_POINTS);
    expect(body.series.cpu.slice(0, 3)).toEqual([0, 1, 2]); // frame 100
    expect(body.series.cpu.at(-1)).toBe(99);
    const last = Object.fromEntries(HISTORY_SERIES.map((n) => [n, body.series[n].at(-1) as number]));
    expect(last).toMatchObject({ mem: 25, disk: 70 }); // percentages are exact to 0.5
    // Magnitudes: within half a code of a scale at most 19 % above the value.
    for (const [name, v] of [['load1', 0.75], ['netRx', 1500], ['netTx', 2.5e9], ['diskRead', 4096], ['diskWrite', 1e6]] as const) {
      expect(Math.abs(last[name]! / v - 1), name).toBeLessThan(0.003);
    }
  });
});

describe('ServerHistory at 1 min', () => {
  it('averages the frames of each minute and shows minutes without frames as gaps', () => {
    const h = new ServerHistory();
    [10, 20, 30].forEach((cpu, i) => h.record(sample(cpu), M + i * 1000));
    h.record(sample(50), M + 2 * 60_000 + 500);
    const body = h.read('24h', M + 2 * 60_000 + 30_000);
    expect(body).toMatchObject({ window: '24h', stepMs: 60_000, end: M + 2 * 60_000 });
    expect(body.series.cpu).toHaveLength(MINUTE_POINTS);
    expect(body.series.cpu.slice(-4)).toEqual([null, 20, null, 50]);
  });

  it('shows the running average of the current minute, and ends at the previous minute before its first frame', () => {
    const h = new ServerHistory();
    h.record(sample(10), M + 1000);
    expect(h.read('24h', M + 1500).series.cpu.at(-1)).toBe(10);
    h.record(sample(40), M + 2000);
    expect(h.read('24h', M + 2500).series.cpu.at(-1)).toBe(25);
    const next = h.read('24h', M + 60_000 + 100);
    expect(next.end).toBe(M);
    expect(next.series.cpu.at(-1)).toBe(25);
  });
});

describe('emptyHistory', () => {
  it('is all gaps at full length, ending at the last whole step', () => {
    const b = emptyHistory('24h', M + 90_000);
    expect(b).toMatchObject({ window: '24h', stepMs: 60_000, end: M });
    expect(b.series.load1).toHaveLength(MINUTE_POINTS);
    expect(b.series.load1.every((v) => v === null)).toBe(true);
    expect(emptyHistory('15m', M + 1500).end).toBe(M);
  });
});

describe('memory', () => {
  it('holds the documented bytes per server: 900 + 1440 points × 8 series × 1 byte, scales and the minute sums', () => {
    // 8 sums × 8 bytes; codes; (15 + 1) and (24 + 1) blocks of 60 points × 5 magnitude series.
    expect(HISTORY_BYTES).toBe(8 * 8 + (900 + 1440) * 8 + (16 + 25) * 5);
    expect(HISTORY_BYTES).toBe(18_989);
    expect(HISTORY_BYTES / 37_504).toBeLessThan(0.51); // the uint16 layout it replaced
    expect(new ServerHistory().byteLength).toBe(HISTORY_BYTES);
  });
});
