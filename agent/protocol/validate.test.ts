import { describe, expect, it } from 'vitest';
import { check, isHost, validators } from './validate.js';

describe('isHost', () => {
  it.each(['192.168.1.10', '10.0.0.1', '::1', 'fe80::1', '2001:db8::8a2e:370:7334', 'web1', 'db.example.com', 'a-b.c'])('accepts %s', (h) => {
    expect(isHost(h)).toBe(true);
  });
  it.each(['', '999.1.1.1', '1.2.3', 'a..b', '-bad', 'bad-', 'has space', 'x'.repeat(64), '1:::2', '1::2::3', 'a/b', "'; DROP"])('refuses %j', (h) => {
    expect(isHost(h)).toBe(false);
  });
});

describe('check', () => {
  it('names the unknown property, the missing one, the allowed values', () => {
    expect(check(validators.serverCreate, { name: 'x', type: 'web', extra: 1 })).toEqual({ ok: false, error: '(body) has an unknown property "extra"' });
    expect(check(validators.serverCreate, { type: 'web' })).toEqual({ ok: false, error: '(body) is missing "name"' });
    const r = check(validators.connectionCreate, { from: 'a', to: 'b', type: 'x' });
    expect(r.ok === false && r.error).toMatch(/^\/type must be one of: standard, http, database, cache, monitoring$/);
  });

  it('accepts the documented example bodies', () => {
    expect(check(validators.serverCreate, { id: 'web1', name: 'Web Server 1', type: 'web', ip: '192.168.1.10', region: 'us-east-1' }).ok).toBe(true);
    expect(check(validators.connectionCreate, { from: 'web1', to: 'db1', type: 'database' }).ok).toBe(true);
    expect(check(validators.clusterCreate, { name: 'production-cluster', servers: ['web1', 'db1', 'cache1'] }).ok).toBe(true);
  });

  it('refuses messages of another protocol version or type', () => {
    expect(check(validators.browserMessage, { v: 2, type: 'auth', ticket: 't' }).ok).toBe(false);
    expect(check(validators.agentMessage, { v: 1, type: 'hello', sample: {} }).ok).toBe(false);
  });

  it('bounds metrics: negative counters and CPU over 100 % are refused', () => {
    const sample = {
      ts: 1, cpu: 5, mem: { total: 10, used: 5, swapTotal: 0, swapUsed: 0 }, disks: [], diskIO: { readBps: 0, writeBps: 0 },
      net: { rxBps: 0, txBps: 0 }, load: [0, 0, 0], uptime: 1, tcp: 3,
    };
    expect(check(validators.agentMessage, { v: 1, type: 'metrics', sample }).ok).toBe(true);
    expect(check(validators.agentMessage, { v: 1, type: 'metrics', sample: { ...sample, cpu: 101 } }).ok).toBe(false);
    expect(check(validators.agentMessage, { v: 1, type: 'metrics', sample: { ...sample, tcp: -1 } }).ok).toBe(false);
    expect(check(validators.agentMessage, { v: 1, type: 'metrics', sample: { ...sample, load: [1, 2] } }).ok).toBe(false);
  });
});
