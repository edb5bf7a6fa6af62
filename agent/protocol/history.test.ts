import { describe, expect, it } from 'vitest';
import { check, validators } from './validate.js';

describe('history messages', () => {
  it('accepts a history request after auth, with or without a window', () => {
    expect(check(validators.browserMessage, { v: 1, type: 'history', serverId: 'web1', window: '24h' }).ok).toBe(true);
    expect(check(validators.browserMessage, { v: 1, type: 'history', serverId: 'web1' }).ok).toBe(true);
    expect(check(validators.browserMessage, { v: 1, type: 'auth', ticket: 't' }).ok).toBe(true);
  });

  it('explains what is wrong with a request in terms of its own type', () => {
    const err = (m: unknown) => { const r = check(validators.browserMessage, m); return r.ok ? 'ok' : r.error; };
    expect(err({ v: 1, type: 'history', serverId: 'web1', window: '1h' })).toBe('/window must be one of: 15m, 24h');
    expect(err({ v: 1, type: 'history', serverId: '../x' })).toBe('/serverId has characters that are not allowed');
    expect(err({ v: 1, type: 'history' })).toBe('(body) is missing "serverId"');
    expect(err({ v: 1, type: 'subscribe' })).toBe("/type has an unknown value 'subscribe'");
    expect(err({ v: 1 })).toBe('(body) is missing "type"');
  });

  it('types the answer: the REST body, and on the socket with v, type and serverId', () => {
    const series = Object.fromEntries(['cpu', 'mem', 'disk', 'netRx', 'netTx', 'load1', 'diskRead', 'diskWrite'].map((k) => [k, [null, 1.5]]));
    const body = { window: '15m', stepMs: 1000, end: 1000, series };
    expect(check(validators.history, body).ok).toBe(true);
    expect(check(validators.history, { ...body, series: { ...series, cpu: ['x'] } }).ok).toBe(false);
    expect(check(validators.history, { ...body, stepMs: 5 }).ok).toBe(false);
    expect(check(validators.hubToBrowser, { v: 1, type: 'history', serverId: 'web1', ...body }).ok).toBe(true);
    expect(check(validators.hubToBrowser, { v: 1, type: 'error', code: 'not_found', message: 'm', serverId: 'web1' }).ok).toBe(true);
  });
});
