import { describe, expect, it } from 'vitest';
import type { Acl, MetricsSample, Server } from '../../protocol/types.js';
import { check, validators } from '../../protocol/validate.js';
import { FULL_ACL, READ_ONLY_ACL } from '../auth/acl.js';
import { FleetHistory } from '../metrics/fleet-history.js';
import { BrowserRequests, HISTORY_PER_S, MAX_INVALID } from './browser-requests.js';

const server = (id: string): Server => ({ id, name: id, type: 'web', address: '10.0.0.1', region: '', labels: {}, ports: [] });
const sample: MetricsSample = {
  ts: 1, cpu: 33, mem: { total: 100, used: 50, swapTotal: 0, swapUsed: 0 }, disks: [], diskIO: { readBps: 0, writeBps: 0 },
  net: { rxBps: 0, txBps: 0 }, load: [0, 0, 0], uptime: 5, tcp: 1,
};
const NOW = 1_700_000_000_000;

/** A socket's requests over a model of web1 (in cluster "prod", with one sample) and db1 (in no cluster). */
function setup(acl: Acl = FULL_ACL) {
  const history = new FleetHistory();
  history.record('web1', sample, NOW - 100);
  const state = { servers: [server('web1'), server('db1')], clusters: [{ name: 'prod', servers: ['web1'] }] };
  const sent: Record<string, unknown>[] = [];
  const closed: [number, string][] = [];
  const requests = new BrowserRequests({ store: { state }, live: { history } }, acl, {
    send: (data) => {
      const frame = JSON.parse(data) as Record<string, unknown>;
      const checked = check(validators.hubToBrowser, frame);
      if (!checked.ok) throw new Error(`invalid frame: ${checked.error}`);
      sent.push(frame);
    },
    close: (code, reason) => closed.push([code, reason]),
  });
  const frame = (msg: unknown, now = NOW) => requests.receive(Buffer.from(typeof msg === 'string' ? msg : JSON.stringify(msg)), false, now);
  return { sent, closed, frame, requests };
}

const ask = (serverId: string, window?: string) => ({ v: 1, type: 'history', serverId, ...(window ? { window } : {}) });

describe('BrowserRequests', () => {
  it('answers a history request with the REST body, 15m by default', () => {
    const { sent, frame } = setup();
    frame(ask('web1'));
    frame(ask('web1', '24h'));
    expect(sent[0]).toMatchObject({ v: 1, type: 'history', serverId: 'web1', window: '15m', stepMs: 1000 });
    expect((sent[0] as { series: { cpu: unknown[] } }).series.cpu.at(-1)).toBe(33);
    expect(sent[1]).toMatchObject({ type: 'history', window: '24h', stepMs: 60_000 });
  });

  it('answers not_found, naming the server, for an unknown one and one out of scope', () => {
    const { sent, frame } = setup({ ...READ_ONLY_ACL, scope: ['prod'] });
    frame(ask('ghost'));
    frame(ask('db1'));
    frame(ask('web1'));
    expect(sent.map((f) => [f['type'], f['code'], f['serverId']])).toEqual([
      ['error', 'not_found', 'ghost'], ['error', 'not_found', 'db1'], ['history', undefined, 'web1'],
    ]);
  });

  it('answers an invalid frame with an error and stays open, up to MAX_INVALID of them', () => {
    const { sent, closed, frame, requests } = setup();
    frame(ask('web1', '1h'));
    expect(sent[0]).toMatchObject({ type: 'error', code: 'invalid_message', message: "/window must be one of: 15m, 24h" });
    frame('not json');
    requests.receive(Buffer.from([1, 2]), true);
    frame({ v: 1, type: 'auth', ticket: 'again' });
    frame({ v: 1, type: 'subscribe' });
    expect(sent.slice(1).map((f) => f['code'])).toEqual(['invalid_json', 'invalid_json', 'invalid_message', 'invalid_message']);
    expect(closed).toEqual([]);
    frame(ask('web1'));
    expect(sent.at(-1)).toMatchObject({ type: 'history' });
    for (let i = 5; i < MAX_INVALID + 3; i++) frame({});
    expect(closed).toEqual([[4400, 'too many invalid frames']]);
    expect(sent.filter((f) => f['type'] === 'error')).toHaveLength(MAX_INVALID);
  });

  it(`answers ${HISTORY_PER_S} requests a second, refuses more with rate_limited, and closes on a flood`, () => {
    const { sent, closed, frame } = setup();
    for (let i = 0; i < 15; i++) frame(ask('web1'), NOW);
    expect(sent.filter((f) => f['type'] === 'history')).toHaveLength(HISTORY_PER_S);
    expect(sent.slice(HISTORY_PER_S).every((f) => f['code'] === 'rate_limited' && f['serverId'] === 'web1')).toBe(true);
    frame(ask('web1'), NOW + 1000);
    expect(sent.at(-1)).toMatchObject({ type: 'history' });
    expect(closed).toEqual([]);
    for (let i = 0; i < 100; i++) frame(ask('web1'), NOW + 1500);
    expect(closed).toEqual([[4429, 'too many history requests']]);
  });
});
