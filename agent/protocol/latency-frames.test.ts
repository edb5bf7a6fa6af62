/** The probe-targets (hub → agent) and latency (agent → hub) frames, and the browser's connectionStatus map. */
import { describe, expect, it } from 'vitest';
import { MAX_PROBE_TARGETS } from './agent-messages.js';
import { check, checkHubToAgent, validators } from './validate.js';

const err = (r: { ok: boolean; error?: string }) => (r.ok ? 'ok' : r.error);

describe('probe-targets', () => {
  const frame = (targets: unknown[]) => ({ v: 1, type: 'probe-targets', targets });

  it('accepts a list of connection, address and port, and an empty one', () => {
    expect(err(checkHubToAgent(frame([{ connectionId: 'a:b', address: '127.0.0.1', port: 22 }, { connectionId: 'a:c', address: 'db.example.com', port: 3306 }])))).toBe('ok');
    expect(err(checkHubToAgent(frame([])))).toBe('ok');
  });

  it('refuses a bad port, a bad address and a list over the bound', () => {
    const t = { connectionId: 'a:b', address: '127.0.0.1', port: 22 };
    expect(checkHubToAgent(frame([{ ...t, port: 0 }])).ok).toBe(false);
    expect(checkHubToAgent(frame([{ ...t, port: 70000 }])).ok).toBe(false);
    expect(checkHubToAgent(frame([{ ...t, address: 'a b' }])).ok).toBe(false);
    expect(checkHubToAgent(frame(Array.from({ length: MAX_PROBE_TARGETS + 1 }, () => t))).ok).toBe(false);
  });
});

describe('latency', () => {
  const frame = (results: unknown[]) => ({ v: 1, type: 'latency', results });

  it('accepts a time, or null with a reason', () => {
    expect(err(check(validators.agentMessage, frame([{ connectionId: 'a:b', ms: 0.42 }, { connectionId: 'a:c', ms: null, error: 'ECONNREFUSED' }])))).toBe('ok');
  });

  it('refuses a negative or absurd time, a missing time and a long reason', () => {
    expect(check(validators.agentMessage, frame([{ connectionId: 'a:b', ms: -1 }])).ok).toBe(false);
    expect(check(validators.agentMessage, frame([{ connectionId: 'a:b', ms: 60_001 }])).ok).toBe(false);
    expect(check(validators.agentMessage, frame([{ connectionId: 'a:b' }])).ok).toBe(false);
    expect(check(validators.agentMessage, frame([{ connectionId: 'a:b', ms: null, error: 'x'.repeat(65) }])).ok).toBe(false);
  });

  it('stays under the hub\'s 64 KiB frame limit at its largest', () => {
    const id = 'x'.repeat(63) + ':' + 'y'.repeat(63);
    const results = Array.from({ length: MAX_PROBE_TARGETS }, () => ({ connectionId: id, ms: null, error: 'e'.repeat(64) }));
    expect(check(validators.agentMessage, frame(results)).ok).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(frame(results)))).toBeLessThan(64 * 1024);
  });
});

describe('connectionStatus on the browser socket', () => {
  const acl = { view: true, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false, scope: '*' };
  const snapshot = { v: 1, type: 'snapshot', user: { name: 'u', acl }, servers: [], connections: [], clusters: [], status: {}, metrics: {} };

  it('is optional in a snapshot and a delta, and holds status and latency', () => {
    expect(err(check(validators.hubToBrowser, snapshot))).toBe('ok');
    expect(err(check(validators.hubToBrowser, { ...snapshot, connectionStatus: { 'a:b': { status: 'connected', latencyMs: 0.3 } } }))).toBe('ok');
    expect(err(check(validators.hubToBrowser, { v: 1, type: 'delta', connectionStatus: { 'a:b': { status: 'unknown', latencyMs: null } } }))).toBe('ok');
    expect(check(validators.hubToBrowser, { v: 1, type: 'delta', connectionStatus: { 'a:b': { status: 'up', latencyMs: 1 } } }).ok).toBe(false);
    expect(check(validators.hubToBrowser, { v: 1, type: 'delta', connectionStatus: { 'a:b': { status: 'connected' } } }).ok).toBe(false);
  });
});
