/** The browser socket's history requests against a real in-process hub, over a real WebSocket. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { BrowserError, HistoryBody, HistoryMessage, HubToBrowser, MetricsSample } from '../../protocol/types.js';
import { check, validators } from '../../protocol/validate.js';
import { basic, startTestHub, type TestHub } from '../test-hub.js';
import { HISTORY_PER_S } from './browser-requests.js';

let t: TestHub;
const sample = (cpu: number): MetricsSample => ({
  ts: 1, cpu, mem: { total: 100, used: 40, swapTotal: 0, swapUsed: 0 }, disks: [],
  diskIO: { readBps: 0, writeBps: 0 }, net: { rxBps: 0, txBps: 0 }, load: [0, 0, 0], uptime: 5, tcp: 1,
});

/** A browser-like client that validates every frame the hub sends and lets a test wait for one. */
class Client {
  readonly frames: HubToBrowser[] = [];
  closed?: number;
  private readonly ws: WebSocket;
  private waiters: (() => void)[] = [];

  constructor(url: string, first: unknown) {
    this.ws = new WebSocket(url);
    this.ws.on('open', () => this.ws.send(JSON.stringify(first)));
    this.ws.on('message', (data) => {
      const checked = check(validators.hubToBrowser, JSON.parse(data.toString()));
      if (!checked.ok) throw new Error(`the hub sent an invalid frame: ${checked.error}`);
      this.frames.push(checked.value);
      this.wake();
    });
    this.ws.on('close', (code) => {
      this.closed = code;
      this.wake();
    });
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** The answers to requests: frames other than the snapshot and deltas (which come on their own schedule). */
  answers(): (HistoryMessage | BrowserError)[] {
    return this.frames.filter((f): f is HistoryMessage | BrowserError => f.type === 'history' || f.type === 'error');
  }

  /** Each answer as [type, serverId] or [type, serverId, code]. */
  summary(): string[][] {
    return this.answers().map((f) => (f.type === 'error' ? [f.type, f.serverId ?? '', f.code] : [f.type, f.serverId]));
  }

  /** Resolves once `ready()` holds, failing after 10 s. */
  async until(what: string, ready: () => boolean): Promise<void> {
    const end = Date.now() + 10_000;
    while (!ready()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(this.answers()).slice(0, 500)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

/** A client past its ticket and snapshot, as `auth` (admin by default). */
async function connect(auth?: string): Promise<Client> {
  const r = await t.call<{ ticket: string }>('POST', '/api/ticket', undefined, auth);
  expect(r.status).toBe(200);
  const c = new Client(t.wsUrl, { v: 1, type: 'auth', ticket: r.body.ticket });
  await c.until('the snapshot', () => c.frames.some((f) => f.type === 'snapshot'));
  return c;
}

const ask = (serverId: string, window?: string) => ({ v: 1, type: 'history', serverId, ...(window ? { window } : {}) });

beforeAll(async () => {
  t = await startTestHub();
  for (const id of ['web1', 'db1']) expect((await t.call('POST', '/api/servers', { id, name: id, type: 'web', ip: '10.0.0.1' })).status).toBe(201);
  expect((await t.call('POST', '/api/clusters', { name: 'prod', servers: ['web1'] })).status).toBe(201);
  const acl = { view: true, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false, scope: ['prod'] };
  expect((await t.call('POST', '/api/users', { name: 'scoped', password: 'password-scoped', acl })).status).toBe(201);
  const now = Date.now();
  for (let i = 0; i < 3; i++) t.hub.svc.live.record('web1', sample(20 + i), now - (2 - i) * 1000);
});
afterAll(() => t.stop());

describe('history on the browser socket', () => {
  it('answers a request after the ticket with the same body as the REST API', async () => {
    const c = await connect();
    c.send(ask('web1', '24h'));
    c.send(ask('web1'));
    await c.until('two answers', () => c.answers().length === 2);
    const [day, recent] = c.answers();
    expect(day).toMatchObject({ v: 1, type: 'history', serverId: 'web1', window: '24h', stepMs: 60_000 });
    expect(recent).toMatchObject({ v: 1, type: 'history', serverId: 'web1', window: '15m', stepMs: 1000 });
    const rest = (await t.call<HistoryBody>('GET', '/api/servers/web1/history')).body;
    for (const body of [recent as HistoryMessage, rest]) {
      expect(body.series.cpu).toHaveLength(900);
      expect(body.series.cpu.filter((v) => v !== null)).toEqual([20, 21, 22]);
    }
    c.close();
  });

  it('answers an invalid request with an error frame and keeps the socket open', async () => {
    const c = await connect();
    c.send(ask('web1', '1h'));
    c.send('{"v":1,');
    c.send(ask('web1'));
    await c.until('three answers', () => c.answers().length === 3);
    expect(c.summary()).toEqual([['error', '', 'invalid_message'], ['error', '', 'invalid_json'], ['history', 'web1']]);
    expect(c.closed).toBeUndefined();
    c.close();
  });

  it('answers not_found for a server out of the user\'s scope or unknown, as for REST', async () => {
    const c = await connect(basic('scoped', 'password-scoped'));
    c.send(ask('db1'));
    c.send(ask('nope'));
    c.send(ask('web1'));
    await c.until('three answers', () => c.answers().length === 3);
    expect(c.summary()).toEqual([['error', 'db1', 'not_found'], ['error', 'nope', 'not_found'], ['history', 'web1']]);
    c.close();
  });

  it('limits history requests per socket and closes after too many invalid frames', async () => {
    const c = await connect();
    const n = 3 * HISTORY_PER_S;
    for (let i = 0; i < n; i++) c.send(ask('web1'));
    await c.until(`${n} answers`, () => c.answers().length === n);
    const answered = c.answers().filter((f) => f.type === 'history').length;
    // A burst sent at once falls in one or two one-second windows.
    expect(answered).toBeGreaterThanOrEqual(HISTORY_PER_S);
    expect(answered).toBeLessThanOrEqual(2 * HISTORY_PER_S);
    expect(c.summary().filter(([, , code]) => code === 'rate_limited')).toHaveLength(n - answered);
    for (let i = 0; i < 10; i++) c.send({ v: 1, type: 'nonsense' });
    await c.until('the close', () => c.closed !== undefined);
    expect(c.closed).toBe(4400);
  });

  it('accepts only the auth frame first', async () => {
    const c = new Client(t.wsUrl, ask('web1'));
    await c.until('the close', () => c.closed !== undefined);
    expect(c.closed).toBe(4401);
    expect(c.frames).toMatchObject([{ type: 'error', code: 'unauthorized' }]);
  });
});

describe('operations on the browser socket', () => {
  it('streams an operation to the users who see its cluster, and puts it in the next snapshot', async () => {
    expect((await t.call('POST', '/api/clusters', { name: 'hidden', servers: ['db1'] })).status).toBe(201);
    const admin = await connect();
    const scoped = await connect(basic('scoped', 'password-scoped'));
    const ops = t.hub.svc.operations;
    const plan = (cluster: string) => ({ cluster, kind: 'test.run', title: `run on ${cluster}`, flag: 'apply' as const, steps: [{ action: 'a', title: 'step' }] });
    const inScope = await ops.start(plan('prod'), 'admin', async (_s, ctx) => ctx.evidence({ seen: 1 }));
    const outOfScope = await ops.start(plan('hidden'), 'admin', async () => {});
    await ops.finished(inScope.id);
    await ops.finished(outOfScope.id);
    const ended = (c: Client, id: string) => c.frames.some((f) => f.type === 'operation' && f.operation.id === id && f.operation.state === 'done');
    await admin.until('both operations done', () => ended(admin, inScope.id) && ended(admin, outOfScope.id));
    await scoped.until('its operation done', () => ended(scoped, inScope.id));
    expect(scoped.frames.some((f) => f.type === 'operation' && f.operation.cluster === 'hidden')).toBe(false);

    const later = await connect(basic('scoped', 'password-scoped'));
    const snap = later.frames.find((f) => f.type === 'snapshot');
    expect(snap?.type === 'snapshot' && snap.operations?.map((o) => [o.id, o.state, o.steps[0]?.evidence])).toEqual([[inScope.id, 'done', { seen: 1 }]]);
    for (const c of [admin, scoped, later]) c.close();
  });
});
