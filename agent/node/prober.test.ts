/**
 * The probe schedule on fake timers (deterministic), with an injected connect: a prompt first
 * round, one frame per round every interval, no overlapping rounds, nothing queued.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentLatency, ProbeTarget } from '../protocol/types.js';
import type { Connect } from './probe.js';
import { Prober, type ProberOptions } from './prober.js';

const T: ProbeTarget[] = [{ connectionId: 'a:b', address: '127.0.0.1', port: 1 }, { connectionId: 'a:c', address: '127.0.0.1', port: 2 }];
const instant: Connect = async (_a, port) => port;
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

let prober: Prober | undefined;
beforeEach(() => { vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }); });
afterEach(() => {
  prober?.stop();
  vi.useRealTimers();
});

/** A prober whose frames land in `sent` (while `up()` says the hub is there). */
function start(o: Partial<ProberOptions> = {}, up = () => true) {
  const sent: { at: number; frame: AgentLatency }[] = [];
  prober = new Prober({ connect: instant, intervalMs: 10_000, minGapMs: 1000, send: (frame) => up() && sent.push({ at: performance.now(), frame }) > 0, ...o });
  return sent;
}

describe('Prober', () => {
  it('probes a new list at once, then every interval, one frame per round', async () => {
    const sent = start();
    prober!.setTargets(T);
    await advance(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.frame).toEqual({ v: 1, type: 'latency', results: [{ connectionId: 'a:b', ms: 1 }, { connectionId: 'a:c', ms: 2 }] });
    await advance(9_990);
    expect(sent).toHaveLength(1);
    await advance(20_010);
    expect(sent.map((s) => Math.round(s.at - sent[0]!.at))).toEqual([0, 10_000, 20_000, 30_000]);
  });

  it('stops probing on an empty list and after stop()', async () => {
    let calls = 0;
    const sent = start({ connect: async () => { calls++; return 1; } });
    prober!.setTargets(T);
    await advance(1);
    prober!.setTargets([]);
    await advance(60_000);
    expect(calls).toBe(2);
    expect(sent).toHaveLength(1);
    prober!.setTargets(T);
    prober!.stop();
    await advance(60_000);
    expect(calls).toBe(2);
  });

  it('never runs two rounds at once, and starts rounds minGapMs apart however often the list changes', async () => {
    let inFlight = 0;
    let most = 0;
    const starts: number[] = [];
    const slow: Connect = async () => {
      most = Math.max(most, ++inFlight);
      starts.push(performance.now());
      await new Promise((r) => setTimeout(r, 400));
      inFlight--;
      return 1;
    };
    start({ connect: slow, concurrency: 1 });
    for (let i = 0; i < 10; i++) {
      prober!.setTargets([T[0]!]);
      await advance(200);
    }
    await advance(3000);
    expect(most).toBe(1);
    // Changes for 2 s: a round at once, then one a second while the list keeps changing, then the interval.
    expect(starts.map((t) => Math.round(t - starts[0]!))).toEqual([0, 1000, 2000]);
  });

  it('drops a round the link cannot send, and queues nothing for later', async () => {
    let hub = false;
    const sent = start({}, () => hub);
    prober!.setTargets(T);
    await advance(25_000); // three rounds with no hub
    expect(sent).toHaveLength(0);
    hub = true;
    await advance(10_000);
    // Only the round since the hub came back, with one result per target.
    expect(sent).toHaveLength(1);
    expect(sent[0]!.frame.results).toHaveLength(2);
  });

  it('times out a hung connect within the round', async () => {
    const sent = start({ connect: () => new Promise(() => {}), timeoutMs: 2000 });
    prober!.setTargets(T);
    await advance(1999);
    expect(sent).toHaveLength(0);
    await advance(1);
    expect(sent[0]!.frame.results).toEqual([{ connectionId: 'a:b', ms: null, error: 'timeout' }, { connectionId: 'a:c', ms: null, error: 'timeout' }]);
  });
});
