import { describe, expect, it } from 'vitest';
import type { Connection } from '../../protocol/types.js';
import { ConnectionLatency } from './connection-latency.js';
import { PROBE_FRESH_MS, connectionLive } from './connection-status.js';

const conn = (from: string, to: string): Connection => ({ id: `${from}:${to}`, from, to, type: 'standard' });

describe('connectionLive', () => {
  it('is connected with the time after a fresh success, disconnected after a fresh failure, unknown otherwise', () => {
    expect(connectionLive(undefined, 0)).toEqual({ status: 'unknown', latencyMs: null });
    expect(connectionLive({ at: 0, ms: 0.5 }, PROBE_FRESH_MS)).toEqual({ status: 'connected', latencyMs: 0.5 });
    expect(connectionLive({ at: 0, ms: null, error: 'ECONNREFUSED' }, 1000)).toEqual({ status: 'disconnected', latencyMs: null });
    expect(connectionLive({ at: 0, ms: 0.5 }, PROBE_FRESH_MS + 1)).toEqual({ status: 'unknown', latencyMs: null });
    expect(connectionLive({ at: 0, ms: null }, PROBE_FRESH_MS + 1)).toEqual({ status: 'unknown', latencyMs: null });
  });
});

describe('ConnectionLatency', () => {
  const model = { connections: [conn('a', 'b'), conn('b', 'c'), conn('a', 'c')] };

  it('takes results only for connections the reporting server starts', () => {
    const l = new ConnectionLatency();
    l.syncModel(model);
    const refused = l.record('a', [{ connectionId: 'a:b', ms: 1.5 }, { connectionId: 'b:c', ms: 9 }, { connectionId: 'gone:x', ms: 1 }], 0);
    expect(refused).toEqual(['b:c']);
    expect(l.view('a:b', 0)).toEqual({ status: 'connected', latencyMs: 1.5 });
    expect(l.view('b:c', 0)).toEqual({ status: 'unknown', latencyMs: null });
    expect(l.view('gone:x', 0).status).toBe('unknown');
  });

  it('reports only changes since the last drain, and a silent agent\'s connections turning unknown once', () => {
    const l = new ConnectionLatency();
    l.syncModel(model);
    l.record('a', [{ connectionId: 'a:b', ms: 1 }, { connectionId: 'a:c', ms: null, error: 'ECONNREFUSED' }], 0);
    expect(Object.fromEntries(l.drain())).toEqual({
      'a:b': { status: 'connected', latencyMs: 1 }, 'a:c': { status: 'disconnected', latencyMs: null },
    });
    // The same results again: nothing to report. A new time: only that one.
    l.record('a', [{ connectionId: 'a:b', ms: 1 }, { connectionId: 'a:c', ms: null, error: 'ECONNREFUSED' }], 10_000);
    expect(l.drain().size).toBe(0);
    l.record('a', [{ connectionId: 'a:b', ms: 2 }, { connectionId: 'a:c', ms: null }], 20_000);
    expect([...l.drain()]).toEqual([['a:b', { status: 'connected', latencyMs: 2 }]]);
    l.tick(20_000 + PROBE_FRESH_MS);
    expect(l.drain().size).toBe(0);
    l.tick(20_001 + PROBE_FRESH_MS);
    expect(Object.fromEntries(l.drain())).toEqual({ 'a:b': { status: 'unknown', latencyMs: null }, 'a:c': { status: 'unknown', latencyMs: null } });
    l.tick(60_000 + PROBE_FRESH_MS);
    expect(l.drain().size).toBe(0);
    expect([...l.known(60_000)]).toEqual([]);
  });

  it('forgets removed connections, pending changes included', () => {
    const l = new ConnectionLatency();
    l.syncModel(model);
    l.record('a', [{ connectionId: 'a:b', ms: 1 }, { connectionId: 'a:c', ms: 1 }], 0);
    l.syncModel({ connections: [conn('a', 'c'), conn('b', 'c')] });
    expect([...l.drain().keys()]).toEqual(['a:c']);
    expect(l.view('a:b', 0).status).toBe('unknown');
    expect([...l.known(0)]).toEqual([['a:c', { status: 'connected', latencyMs: 1 }]]);
  });
});
