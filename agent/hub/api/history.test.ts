/** GET /api/servers/{id}/history against a real in-process hub over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, HistoryBody, MetricsSample } from '../../protocol/types.js';
import { check, validators } from '../../protocol/validate.js';
import { basic, startTestHub, type TestHub } from '../test-hub.js';

let t: TestHub;
const none = { view: false, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false };
const sample = (cpu: number): MetricsSample => ({
  ts: 1, cpu, mem: { total: 100, used: 40, swapTotal: 0, swapUsed: 0 }, disks: [{ mount: '/', total: 100, used: 55 }],
  diskIO: { readBps: 0, writeBps: 0 }, net: { rxBps: 100, txBps: 200 }, load: [1, 1, 1], uptime: 5, tcp: 1,
});
/** Hub time of the last sample fed to web1. */
let lastAt = 0;

beforeAll(async () => {
  t = await startTestHub();
  for (const id of ['web1', 'db1', 'quiet']) expect((await t.call('POST', '/api/servers', { id, name: id, type: 'web', ip: '10.0.0.1' })).status).toBe(201);
  expect((await t.call('POST', '/api/clusters', { name: 'prod', servers: ['web1', 'quiet'] })).status).toBe(201);
  for (const [name, acl] of [['scoped', { ...none, view: true, scope: ['prod'] }], ['blind', { ...none, scope: '*' }]] as const) {
    expect((await t.call('POST', '/api/users', { name, password: `password-${name}`, acl })).status).toBe(201);
  }
  // What the agent gateway does for every metrics frame, at 1 s steps ending now.
  lastAt = Date.now();
  for (let i = 0; i < 5; i++) t.hub.svc.live.record('web1', sample(10 + i), lastAt - (4 - i) * 1000);
});
afterAll(() => t.stop());

const as = (name: string) => basic(name, `password-${name}`);

describe('GET /api/servers/{id}/history', () => {
  it('answers the last 15 min at 1 s by default: 900 points per series, oldest first, gaps as null', async () => {
    const r = await t.call<HistoryBody>('GET', '/api/servers/web1/history');
    expect(r.status).toBe(200);
    expect(check(validators.history, r.body).ok).toBe(true);
    expect(r.body).toMatchObject({ window: '15m', stepMs: 1000 });
    expect(r.body.series.cpu).toHaveLength(900);
    // The request may come a little after the last sample: steps since then are trailing gaps.
    const behind = (r.body.end - lastAt) / 1000;
    expect(Number.isInteger(behind) && behind >= 0).toBe(true);
    const cpu = r.body.series.cpu;
    expect(cpu.slice(cpu.length - 6 - behind, cpu.length - behind)).toEqual([null, 10, 11, 12, 13, 14]);
    expect(r.body.series.mem.filter((v) => v !== null)).toEqual([40, 40, 40, 40, 40]);
    expect(r.body.series.disk.filter((v) => v !== null)).toEqual([55, 55, 55, 55, 55]);
  });

  it('answers 24 h at 1 min: 1440 points of per-minute averages', async () => {
    const r = await t.call<HistoryBody>('GET', '/api/servers/web1/history?window=24h');
    expect(r.status).toBe(200);
    expect(check(validators.history, r.body).ok).toBe(true);
    expect(r.body).toMatchObject({ window: '24h', stepMs: 60_000 });
    expect(r.body.end % 60_000).toBe(0);
    expect(r.body.series.load1).toHaveLength(1440);
    // The five samples fall in one minute or straddle two: one average per minute.
    const byMinute = new Map<number, number[]>();
    for (let i = 0; i < 5; i++) {
      const m = Math.floor((lastAt - (4 - i) * 1000) / 60_000);
      byMinute.set(m, [...(byMinute.get(m) ?? []), 10 + i]);
    }
    const expected = [...byMinute.values()].map((v) => v.reduce((a, b) => a + b) / v.length);
    expect(r.body.series.cpu.filter((v) => v !== null)).toEqual(expected);
  });

  it('answers all gaps for a server that never sent a sample', async () => {
    const r = await t.call<HistoryBody>('GET', '/api/servers/quiet/history');
    expect(r.status).toBe(200);
    expect(r.body.series.cpu).toHaveLength(900);
    expect(r.body.series.cpu.every((v) => v === null)).toBe(true);
  });

  it('refuses other windows (400), unknown servers (404) and users without view (403)', async () => {
    for (const q of ['?window=1h', '?window=', '?window=15M']) {
      const r = await t.call<ApiError>('GET', `/api/servers/web1/history${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error).toEqual({ code: 'bad_request', message: 'window must be one of: 15m, 24h' });
    }
    expect((await t.call<ApiError>('GET', '/api/servers/ghost/history')).status).toBe(404);
    expect((await t.call<ApiError>('GET', '/api/servers/web1/history', undefined, as('blind'))).status).toBe(403);
    expect((await t.call('POST', '/api/servers/web1/history')).status).toBe(405);
  });

  it('shows a scoped user only the servers of its clusters', async () => {
    expect((await t.call('GET', '/api/servers/web1/history', undefined, as('scoped'))).status).toBe(200);
    const hidden = await t.call<ApiError>('GET', '/api/servers/db1/history', undefined, as('scoped'));
    expect(hidden).toEqual({ status: 404, body: { error: { code: 'not_found', message: "no server with id 'db1'" } } });
  });

  it('drops the history of a removed server: a new server with the same id starts empty', async () => {
    t.hub.svc.live.record('db1', sample(99), Date.now());
    expect((await t.call<HistoryBody>('GET', '/api/servers/db1/history')).body.series.cpu.some((v) => v === 99)).toBe(true);
    expect((await t.call('DELETE', '/api/servers/db1')).status).toBe(204);
    expect((await t.call('GET', '/api/servers/db1/history')).status).toBe(404);
    expect((await t.call('POST', '/api/servers', { id: 'db1', name: 'db1', type: 'database', ip: '10.0.0.2' })).status).toBe(201);
    const again = await t.call<HistoryBody>('GET', '/api/servers/db1/history');
    expect(again.body.series.cpu.every((v) => v === null)).toBe(true);
  });
});
