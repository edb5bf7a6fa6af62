import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AgentHello, MetricsSample } from '../protocol/types.js';
import { check, validators } from '../protocol/validate.js';
import { startLink, type Link, type LinkOptions } from './link.js';

const SAMPLE: MetricsSample = {
  ts: 1, cpu: 1.5, mem: { total: 100, used: 50, swapTotal: 0, swapUsed: 0 }, disks: [{ mount: '/', total: 10, used: 5 }],
  diskIO: { readBps: 0, writeBps: 0 }, net: { rxBps: 0, txBps: 0 }, load: [0, 0, 0], uptime: 5, tcp: 3,
};
const HELLO: AgentHello = {
  v: 1, type: 'hello', credential: 'secret', serverId: 'node1', agentVersion: 'dev',
  inventory: { hostname: 'h', os: 'Linux', kernel: '6', arch: 'x64', cpuModel: 'cpu', cores: 1, memTotal: 100 },
};
const welcome = (intervalMs = 100) => JSON.stringify({ v: 1, type: 'welcome', serverId: 'node1', intervalMs });

/** A minimal hub: validates what the agent sends and records it per connection. */
class FakeHub {
  wss: WebSocketServer;
  connections: Array<{ ws: WebSocket; frames: unknown[]; invalid: string[] }> = [];
  onHello: (ws: WebSocket) => void = (ws) => ws.send(welcome());

  constructor(port = 0) {
    this.wss = new WebSocketServer({ port, host: '127.0.0.1' });
    this.wss.on('connection', (ws) => {
      const conn = { ws, frames: [] as unknown[], invalid: [] as string[] };
      this.connections.push(conn);
      ws.on('message', (data) => {
        const frame: unknown = JSON.parse(String(data));
        const first = conn.frames.length === 0;
        const r = first ? check(validators.agentFirstFrame, frame) : check(validators.agentMessage, frame);
        if (!r.ok) conn.invalid.push(r.error);
        conn.frames.push(frame);
        if (first) this.onHello(ws);
      });
    });
  }

  static async start(port = 0): Promise<FakeHub> {
    const hub = new FakeHub(port);
    await new Promise((r) => hub.wss.once('listening', r));
    return hub;
  }

  get url(): string {
    return `ws://127.0.0.1:${portOf(this.wss)}/agent`;
  }

  metrics(i = this.connections.length - 1): unknown[] {
    return (this.connections[i]?.frames ?? []).slice(1);
  }

  close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    return new Promise((r) => this.wss.close(() => r()));
  }
}

function portOf(wss: WebSocketServer): number {
  const addr = wss.address();
  return addr !== null && typeof addr === 'object' ? addr.port : 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, fn: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

let hub: FakeHub | undefined;
let link: Link | undefined;
const logs: string[] = [];

function start(over: Partial<LinkOptions> = {}): Link {
  link = startLink({
    url: hub!.url, firstFrame: () => HELLO, sample: async () => ({ ...SAMPLE, ts: Date.now() }),
    log: (l) => logs.push(l), backoff: { baseMs: 50, capMs: 200 }, ...over,
  });
  return link;
}

afterEach(async () => {
  await link?.stop();
  await hub?.close();
  link = hub = undefined;
  logs.length = 0;
});

describe('startLink', () => {
  it('says hello, then sends valid metrics every welcome.intervalMs', async () => {
    hub = await FakeHub.start();
    start();
    await until('5 metrics frames', () => hub!.metrics().length >= 5);
    const conn = hub.connections[0]!;
    expect(conn.frames[0]).toEqual(HELLO);
    expect(conn.invalid).toEqual([]);
    expect(hub.metrics()[0]).toMatchObject({ v: 1, type: 'metrics', sample: { cpu: 1.5, tcp: 3 } });
    expect(logs).toEqual([`connected to ${hub.url} as node1`]);
  });

  it('sends nothing but hello until the welcome', async () => {
    hub = await FakeHub.start();
    hub.onHello = () => {};
    start();
    await until('hello', () => hub!.connections[0]?.frames.length === 1);
    await sleep(300);
    expect(hub.connections[0]!.frames).toHaveLength(1);
  });

  it('refuses invalid frames from the hub: a bad welcome starts nothing, a good one then does', async () => {
    hub = await FakeHub.start();
    hub.onHello = (ws) => {
      ws.send(JSON.stringify({ v: 1, type: 'welcome', serverId: 'node1', intervalMs: 5 })); // below the minimum
      ws.send('not json');
      ws.send(JSON.stringify({ v: 2, type: 'welcome', serverId: 'node1', intervalMs: 100 }));
      setTimeout(() => ws.send(welcome(100)), 300);
    };
    start();
    await sleep(250);
    expect(hub.metrics()).toEqual([]);
    expect(logs).toEqual([expect.stringMatching(/^ignoring an invalid frame from the hub: \/intervalMs/)]);
    await until('metrics after the valid welcome', () => hub!.metrics().length >= 2);
    expect(hub.connections).toHaveLength(1);
  });

  it('logs an error frame refusing one metrics frame, and keeps sending', async () => {
    hub = await FakeHub.start();
    start();
    await until('metrics', () => hub!.metrics().length > 0);
    const conn = hub.connections[0]!;
    for (let i = 0; i < 3; i++) conn.ws.send(JSON.stringify({ v: 1, type: 'error', code: 'invalid_message', message: '/sample/cpu must be <= 100' }));
    const before = hub.metrics().length;
    await until('more metrics on the same socket', () => hub!.metrics().length >= before + 3);
    expect(hub.connections).toHaveLength(1);
    expect(logs).toEqual([expect.stringMatching(/^connected/), 'the hub refused: invalid_message: /sample/cpu must be <= 100']);
  });

  it('logs an error frame answering its hello, closes, and reconnects after a backoff', async () => {
    hub = await FakeHub.start();
    let refuse = true;
    hub.onHello = (ws) => {
      if (refuse) ws.send(JSON.stringify({ v: 1, type: 'error', code: 'bad-key', message: 'wrong agent key' }));
      else ws.send(welcome());
      refuse = false;
    };
    start();
    await until('a second connection sending metrics', () => hub!.connections.length === 2 && hub!.metrics(1).length > 0);
    expect(hub.metrics(0)).toEqual([]);
    expect(logs[0]).toMatch(/^cannot connect to .*the hub refused: bad-key: wrong agent key.*retrying in \d+\.\d s$/);
    expect(logs[1]).toMatch(/^connected to/);
  });

  it('tells onRefused why the hub refused it, and stops for good when told to', async () => {
    hub = await FakeHub.start();
    hub.onHello = (ws) => ws.send(JSON.stringify({ v: 1, type: 'error', code: 'unauthorized', message: 'unknown or revoked agent credential' }));
    const refusals: unknown[] = [];
    const statuses: string[] = [];
    start({ onRefused: (r) => { refusals.push(r); return refusals.length === 2; }, onStatus: (s) => statuses.push(s) });
    await until('the second refusal', () => refusals.length === 2 && statuses.at(-1) === 'closed');
    expect(refusals).toEqual([{ code: 'unauthorized', message: 'unknown or revoked agent credential' }, { code: 'unauthorized', message: 'unknown or revoked agent credential' }]);
    const dials = hub.connections.length;
    await sleep(400); // the backoff here is at most 200 ms: a retry would have dialled by now
    expect(hub.connections.length).toBe(dials);
    expect(statuses.filter((s) => s === 'dialing')).toHaveLength(2);
  });

  it('hears of a newer connection for its identity (close 4409) as a refusal', async () => {
    hub = await FakeHub.start();
    const refusals: unknown[] = [];
    start({ onRefused: (r) => { refusals.push(r); return true; } });
    await until('metrics', () => hub!.metrics().length > 0);
    hub.connections[0]!.ws.close(4409, 'replaced by a newer connection for the same server');
    await until('the refusal', () => refusals.length === 1);
    expect(refusals[0]).toEqual({ code: 'replaced', message: 'replaced by a newer connection for the same server' });
  });

  it('reconnects when the hub comes back, without replaying samples taken while it was away', async () => {
    hub = await FakeHub.start();
    let taken = 0;
    start({ sample: async () => { taken++; return { ...SAMPLE, ts: Date.now() }; } });
    await until('metrics', () => hub!.metrics().length > 0);
    const port = Number(new URL(hub.url).port);
    await hub.close();
    await sleep(500);
    const takenWhileAway = taken;
    hub = await FakeHub.start(port);
    await until('reconnected', () => hub!.metrics().length >= 1);
    await sleep(150);
    // At most the ticks since the welcome: nothing from before was queued.
    expect(hub.metrics().length).toBeLessThanOrEqual(3);
    expect(taken - takenWhileAway).toBeLessThanOrEqual(3);
    expect(logs.filter((l) => l.startsWith('disconnected from the hub'))).toHaveLength(1);
    expect(logs.filter((l) => l.startsWith('connected to'))).toHaveLength(2);
  });

  it('spreads its first reconnect over the window the hub named in its welcome', async () => {
    hub = await FakeHub.start();
    const retries: number[] = [];
    hub.onHello = (ws) => ws.send(JSON.stringify({ v: 1, type: 'welcome', serverId: 'node1', intervalMs: 100, reconnectSpreadMs: 3000 }));
    start({ backoff: { baseMs: 50, capMs: 10_000, random: () => 0.999 }, onStatus: (s, ms) => { if (s === 'closed' && ms !== undefined) retries.push(ms); } });
    await until('metrics', () => hub!.metrics().length > 0);
    hub.connections[0]!.ws.close(1012, 'hub restarting');
    await until('the retry planned', () => retries.length === 1);
    // Without the spread the first retry's ceiling would be baseMs (50 ms).
    expect(retries[0]).toBe(2997);
  });

  it('skips samples while the socket buffer is full instead of queueing them', async () => {
    // A hub that stops reading: the kernel buffers fill, then ws.bufferedAmount grows.
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    let received = 0;
    let paused: (() => void) | undefined;
    wss.on('connection', (ws, req) => {
      ws.once('message', () => {
        ws.send(welcome(100));
        req.socket.pause();
        paused = () => req.socket.resume();
      });
      ws.on('message', () => { received++; });
    });
    await new Promise((r) => wss.once('listening', r));
    let ticks = 0;
    const big = 'x'.repeat(4 * 1024 * 1024);
    link = startLink({
      url: `ws://127.0.0.1:${portOf(wss)}/agent`, firstFrame: () => HELLO,
      sample: async () => { ticks++; return { ...SAMPLE, disks: [{ mount: big, total: 1, used: 1 }] }; },
    });
    await until('a paused hub', () => paused !== undefined);
    await sleep(2000);
    paused!();
    const ticksWhilePaused = ticks;
    await sleep(500);
    await link.stop();
    link = undefined;
    wss.close();
    expect(ticksWhilePaused).toBeGreaterThanOrEqual(15);
    // hello + the few frames the kernel buffers absorbed, not one per tick.
    expect(received - 1).toBeLessThan(ticksWhilePaused / 2);
  });
});

describe('probe targets and latency on the link', () => {
  it('hands valid probe-target lists over, [] once the socket closes, and sends latency only while welcomed', async () => {
    hub = await FakeHub.start();
    const target = { connectionId: 'node1:db', address: '127.0.0.1', port: 3306 };
    hub.onHello = (ws) => {
      ws.send(welcome());
      ws.send(JSON.stringify({ v: 1, type: 'probe-targets', targets: [{ ...target, port: 0 }] })); // invalid: ignored
      ws.send(JSON.stringify({ v: 1, type: 'probe-targets', targets: [target] }));
    };
    const lists: unknown[] = [];
    const latency = { v: 1 as const, type: 'latency' as const, results: [{ connectionId: 'node1:db', ms: 0.25 }] };
    const l = start({ onProbeTargets: (t) => lists.push(t) });
    expect(l.send(latency)).toBe(false); // not connected yet: dropped
    await until('the list', () => lists.length === 1);
    expect(lists).toEqual([[target]]);
    expect(logs.filter((x) => x.startsWith('ignoring an invalid frame from the hub'))).toHaveLength(1);
    expect(l.send(latency)).toBe(true);
    await until('the latency frame', () => hub!.metrics().some((f) => (f as { type: string }).type === 'latency'));
    expect(hub.connections[0]!.invalid).toEqual([]);
    await hub.close();
    await until('the list to be cleared', () => lists.length >= 2);
    // Cleared once when the welcomed socket closed; failed redials after it clear nothing more.
    await new Promise((r) => setTimeout(r, 500));
    expect(lists.slice(1)).toEqual([[]]);
    expect(l.send(latency)).toBe(false);
  });
});
