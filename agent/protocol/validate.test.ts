import { describe, expect, it } from 'vitest';
import { check, checkHubToAgent, isHost, validators } from './validate.js';

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
    expect(r.ok === false && r.error).toMatch(/^\/type must be one of: standard, http, database, cache, monitoring, filesystem$/);
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

describe('alert rule bodies', () => {
  const ok = { name: 'Hot', metric: 'cpu', threshold: 80, forSeconds: 60, actions: [{ type: 'webhook', url: 'https://hooks.example.com/x?y=1' }, { type: 'email', to: 'ops@example.com' }, { type: 'hook', name: 'scale_up' }] };

  it('accepts metric rules with a threshold and down rules without one', () => {
    expect(check(validators.alertRuleCreate, ok).ok).toBe(true);
    expect(check(validators.alertRuleCreate, { id: 'r1', name: 'Down', metric: 'down', forSeconds: 30, actions: [{ type: 'email', to: 'root' }], scope: ['prod'] }).ok).toBe(true);
  });

  it('says which part of a bad rule is wrong', () => {
    const err = (body: unknown) => { const r = check(validators.alertRuleCreate, body); return r.ok ? 'ok' : r.error; };
    expect(err({ ...ok, threshold: undefined })).toBe('(body) is missing "threshold"');
    expect(err({ name: 'D', metric: 'down', threshold: 5, forSeconds: 1, actions: [] })).toBe('(body) has an unknown property "threshold"');
    expect(err({ ...ok, metric: 'load' })).toBe("/metric has an unknown value 'load'");
    expect(err({ ...ok, actions: [{ type: 'webhook', url: 'file:///etc/passwd' }] })).toBe('/actions/0/url must be an http:// or https:// URL');
    expect(err({ ...ok, actions: [{ type: 'email', to: 'a@b.com\nBcc: c@d.com' }] })).toBe('/actions/0/to must be an e-mail address');
    expect(err({ ...ok, actions: [{ type: 'sms', to: '123' }] })).toBe("/actions/0/type has an unknown value 'sms'");
    expect(err({ ...ok, actions: [{ type: 'hook', name: 'reboot' }] })).toBe('/actions/0/name must be one of: scale_up, failover');
  });

  it('takes only http(s) URLs and single plain addresses', () => {
    for (const url of ['javascript:alert(1)', 'ftp://x/y', 'http://', 'not a url', 'data:text/plain,x']) {
      expect(check(validators.alertRuleInput, { ...ok, actions: [{ type: 'webhook', url }] }).ok, url).toBe(false);
    }
    for (const to of ['a@b.com, c@d.com', 'A <a@b.com>', 'a@b.com\r\n', '', 'a@-b.com']) {
      expect(check(validators.alertRuleInput, { ...ok, actions: [{ type: 'email', to }] }).ok, to).toBe(false);
    }
  });
});

describe('checkHubToAgent', () => {
  it('validates each frame type against its own schema and names the types it knows', () => {
    expect(checkHubToAgent({ v: 1, type: 'welcome', serverId: 'a', intervalMs: 1000, reconnectSpreadMs: 2000 })).toMatchObject({ ok: true });
    expect(checkHubToAgent({ v: 1, type: 'welcome', serverId: 'a', intervalMs: 5 })).toEqual({ ok: false, error: '/intervalMs must be >= 100' });
    expect(checkHubToAgent({ v: 1, type: 'error', code: 'x', message: 'y' })).toMatchObject({ ok: true });
    const unknown = { ok: false, error: '/type must be one of: welcome, error, enrolled, job, probe-targets, gluster-watch' };
    expect(checkHubToAgent({ v: 1, type: 'toString' })).toEqual(unknown);
    expect(checkHubToAgent('welcome')).toEqual(unknown);
    expect(checkHubToAgent(null)).toEqual(unknown);
  });
});
