import { describe, expect, it } from 'vitest';
import type { Connection } from '../../protocol/types.js';
import { ConnectionLatency } from '../latency/connection-latency.js';
import { changedConnectionStatus, snapshotConnectionStatus } from './connection-frames.js';

const conn = (from: string, to: string): Connection => ({ id: `${from}:${to}`, from, to, type: 'standard' });
const connections = [conn('a', 'b'), conn('a', 'c'), conn('b', 'c')];

function latency(): ConnectionLatency {
  const l = new ConnectionLatency();
  l.syncModel({ connections });
  l.record('a', [{ connectionId: 'a:b', ms: 1 }, { connectionId: 'a:c', ms: null }], 0);
  return l;
}

describe('snapshotConnectionStatus', () => {
  it('carries every probed connection the user sees, and leaves out the unknown ones', () => {
    const l = latency();
    expect(snapshotConnectionStatus(l, null, 0)).toEqual({ 'a:b': { status: 'connected', latencyMs: 1 }, 'a:c': { status: 'disconnected', latencyMs: null } });
    expect(snapshotConnectionStatus(l, new Set(['a:c', 'b:c']), 0)).toEqual({ 'a:c': { status: 'disconnected', latencyMs: null } });
  });
});

describe('changedConnectionStatus', () => {
  it('sends the changes the user may see, and the known state of connections that came into view', () => {
    const l = latency();
    const changes = l.drain();
    expect(changedConnectionStatus(changes, null, undefined, l, 0)).toEqual({ 'a:b': { status: 'connected', latencyMs: 1 }, 'a:c': { status: 'disconnected', latencyMs: null } });
    expect(changedConnectionStatus(changes, new Set(['b:c']), undefined, l, 0)).toBeUndefined();
    expect(changedConnectionStatus(new Map(), new Set(['a:b']), [conn('a', 'b'), conn('b', 'c')], l, 0)).toEqual({ 'a:b': { status: 'connected', latencyMs: 1 } });
    expect(changedConnectionStatus(new Map(), null, undefined, l, 0)).toBeUndefined();
  });
});
