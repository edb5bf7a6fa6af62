import { describe, expect, it } from 'vitest';
import type { MetricsSample, Server } from '../../protocol/types.js';
import { Live } from './live.js';
import { deriveStatus } from './status.js';

const sample = (over: Partial<MetricsSample> = {}): MetricsSample => ({
  ts: 1, cpu: 10, mem: { total: 100, used: 50, swapTotal: 0, swapUsed: 0 }, disks: [{ mount: '/', total: 100, used: 10 }],
  diskIO: { readBps: 0, writeBps: 0 }, net: { rxBps: 0, txBps: 0 }, load: [0, 0, 0], uptime: 5, tcp: 1, ...over,
});
const server = (id: string, agent = true): Server => ({
  id, name: id, type: 'web', address: '10.0.0.1', region: '', labels: {}, ports: [],
  ...(agent ? { agent: { version: '1', inventory: { hostname: id, os: '', kernel: '', arch: '', cpuModel: '', cores: 1, memTotal: 1 } } } : {}),
});

describe('deriveStatus', () => {
  const now = 100_000;
  it('is unknown without any agent, inactive when disconnected or stale', () => {
    expect(deriveStatus({ hasAgent: false, connected: false }, now)).toBe('unknown');
    expect(deriveStatus({ hasAgent: true, connected: false, lastSeen: now, sample: sample() }, now)).toBe('inactive');
    expect(deriveStatus({ hasAgent: true, connected: true, lastSeen: now - 6000, sample: sample() }, now)).toBe('inactive');
  });
  it('is active under the thresholds and warning at them', () => {
    const a = { hasAgent: true, connected: true, lastSeen: now };
    expect(deriveStatus({ ...a, sample: sample() }, now)).toBe('active');
    expect(deriveStatus({ ...a, sample: sample({ cpu: 95 }) }, now)).toBe('warning');
    expect(deriveStatus({ ...a, sample: sample({ mem: { total: 100, used: 91, swapTotal: 0, swapUsed: 0 } }) }, now)).toBe('warning');
    expect(deriveStatus({ ...a, sample: sample({ disks: [{ mount: '/', total: 10, used: 9.5 }] }) }, now)).toBe('warning');
  });
});

describe('Live', () => {
  it('reports only what changed since the last drain', () => {
    const live = new Live();
    live.syncModel({ servers: [server('a'), server('b', false)] }, 0);
    expect([...live.drain().status]).toEqual([['a', 'inactive'], ['b', 'unknown']]);
    live.connected('a', 0);
    live.record('a', sample(), 0);
    const first = live.drain();
    expect(first.status.get('a')).toBe('active');
    expect(first.metrics.get('a')?.cpu).toBe(10);
    live.record('a', sample({ cpu: 11 }), 500);
    const second = live.drain();
    expect(second.status.size).toBe(0);
    expect(second.metrics.get('a')?.cpu).toBe(11);
    live.tick(7000);
    expect(live.drain().status.get('a')).toBe('inactive');
  });

  it('feeds every recorded sample into the history and drops a removed server\'s history', () => {
    const live = new Live();
    live.syncModel({ servers: [server('a'), server('b')] }, 0);
    live.record('a', sample({ cpu: 42 }), 10_000);
    live.record('b', sample(), 10_000);
    expect(live.history.read('a', '15m', 10_100).series.cpu.at(-1)).toBe(42);
    live.syncModel({ servers: [server('b')] }, 10_200);
    live.record('a', sample(), 10_250); // its agent still connected: not kept
    expect(live.history.size).toBe(1);
    expect(live.history.read('a', '15m', 10_300).series.cpu.every((v) => v === null)).toBe(true);
  });

  it('ignores samples for servers that no longer exist and forgets removed ones', () => {
    const live = new Live();
    live.syncModel({ servers: [server('a')] }, 0);
    live.drain();
    live.syncModel({ servers: [] }, 0);
    live.record('a', sample(), 0);
    expect(live.drain().metrics.size).toBe(0);
    expect(live.sample('a')).toBeUndefined();
  });

  it('knows an agent is connected whatever happens to its server record meanwhile', () => {
    const live = new Live();
    live.syncModel({ servers: [server('a')] }, 0);
    live.connected('a', 0);
    // The record goes and comes back (a restore, an import) while the agent's socket stays.
    live.syncModel({ servers: [] }, 100);
    expect(live.connectedCount()).toBe(0);
    live.syncModel({ servers: [server('a')] }, 200);
    live.record('a', sample(), 300);
    expect(live.isConnected('a')).toBe(true);
    expect(live.status('a', 400)).toBe('active');
    expect(live.connectedCount()).toBe(1);
    // Once it disconnects while its record is gone, nothing is left of it.
    live.syncModel({ servers: [] }, 500);
    live.disconnected('a', 600);
    live.syncModel({ servers: [server('a')] }, 700);
    expect(live.isConnected('a')).toBe(false);
    expect(live.status('a', 800)).toBe('inactive');
  });
});
