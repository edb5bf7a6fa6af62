import { describe, expect, it } from 'vitest';
import type { Diagnostics } from '../protocol/types.js';
import { diagnose, diagnoseReport, type DiagnoseInput } from './diagnose.js';

const NOW = Date.UTC(2025, 5, 1);
const iso = (ms: number) => new Date(ms).toISOString();
const agent = (id: string, over: Partial<Diagnostics['agents'][number]> = {}): Diagnostics['agents'][number] =>
  ({ serverId: id, name: id, connected: true, status: 'active', lastReportAt: iso(NOW - 1000), clockSkewMs: 12, version: '0.1.0', ...over });
const diag = (over: Partial<Diagnostics> = {}): Diagnostics => ({
  version: '0.1.0', now: NOW, uptimeSec: 60,
  stateFile: { path: '/data/state.json', bytes: 4096, revision: 7, writable: true },
  disk: { path: '/data', freeBytes: 20 * 2 ** 30, totalBytes: 40 * 2 ** 30 },
  gatewaySocket: null,
  agentPort: { url: 'wss://127.0.0.1:10443/agent', caFingerprint: 'a'.repeat(64), certNotAfter: iso(NOW + 400 * 864e5), caNotAfter: iso(NOW + 3650 * 864e5) },
  agents: [agent('web1')],
  ...over,
});
const input = (over: Partial<DiagnoseInput> = {}): DiagnoseInput => ({
  hubUrl: 'http://127.0.0.1:8080', health: { ok: true, version: '0.1.0' }, diagnostics: diag(), tls: { ok: true, certNotAfter: iso(NOW + 400 * 864e5) }, now: NOW, ...over,
});
const levels = (i: DiagnoseInput) => Object.fromEntries(diagnose(i).map((c) => [c.name, c.level]));

describe('diagnose', () => {
  it('is healthy when everything is in order', () => {
    const checks = diagnose(input());
    expect(checks.map((c) => c.name)).toEqual(['hub', 'hub clock', 'agent port (TLS)', 'CA', 'gateway socket', 'state file', 'disk space', 'agent web1']);
    expect(checks.every((c) => c.level === 'ok')).toBe(true);
    expect(checks.at(-1)!.detail).toBe('reporting (active), last report just now, clock +12 ms from the hub, version 0.1.0');
    expect(diagnoseReport(checks)).toMatch(/\nhealthy, nothing to report\n$/);
  });

  it('stops at an unreachable hub, and says when diagnostics need an administrator', () => {
    expect(diagnose(input({ health: { ok: false, error: 'cannot reach the hub' } }))).toEqual([{ name: 'hub', level: 'fail', detail: 'cannot reach the hub' }]);
    expect(levels(input({ diagnostics: { error: 'permission denied' } }))).toEqual({ hub: 'ok', 'hub diagnostics': 'fail' });
  });

  it('fails on TLS, a socket in the wrong state, an unwritable state file or a full disk', () => {
    const l = levels(input({
      tls: { ok: false, error: 'the hub did not present the CA' },
      diagnostics: diag({
        gatewaySocket: { path: '/var/hub.sock', exists: true, mode: '0666', listening: true },
        stateFile: { path: '/data/state.json', bytes: 10, revision: 1, writable: false, error: 'EACCES' },
        disk: { path: '/data', freeBytes: 10 * 2 ** 20, totalBytes: 40 * 2 ** 30 },
      }),
    }));
    expect(l).toMatchObject({ 'agent port (TLS)': 'fail', 'gateway socket': 'fail', 'state file': 'fail', 'disk space': 'fail' });
    expect(diagnoseReport(diagnose(input({ tls: { ok: false, error: 'x' } })))).toMatch(/\nunhealthy: 1 failed\n$/);
  });

  it('warns about certificates that expire soon and low disk, and fails an expired one', () => {
    const soon = levels(input({ tls: { ok: true, certNotAfter: iso(NOW + 5 * 864e5) }, diagnostics: diag({ disk: { path: '/', freeBytes: 300 * 2 ** 20, totalBytes: 4 * 2 ** 30 } }) }));
    expect(soon).toMatchObject({ 'agent port (TLS)': 'warn', 'disk space': 'warn' });
    expect(levels(input({ tls: { ok: true, certNotAfter: iso(NOW - 1) } }))['agent port (TLS)']).toBe('fail');
  });

  it('judges each agent by connection, last report and clock skew', () => {
    const l = levels(input({
      diagnostics: diag({
        agents: [
          agent('ok1'), agent('gone', { connected: false, lastReportAt: iso(NOW - 3_600_000) }), agent('quiet', { lastReportAt: iso(NOW - 60_000) }),
          agent('drift', { clockSkewMs: -5000 }), agent('far', { clockSkewMs: 45_000 }),
        ],
      }),
    }));
    expect(l).toMatchObject({ 'agent ok1': 'ok', 'agent gone': 'warn', 'agent quiet': 'warn', 'agent drift': 'warn', 'agent far': 'fail' });
    expect(diagnose(input({ diagnostics: diag({ agents: [agent('gone', { connected: false, lastReportAt: iso(NOW - 3_600_000) })] }) })).at(-1)!.detail)
      .toBe('not connected, last report 60 min ago, version 0.1.0');
    expect(levels(input({ diagnostics: diag({ agents: [] }) })).agents).toBe('warn');
  });
});
