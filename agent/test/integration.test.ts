/**
 * The real hub and three real agent processes, watched through the browser socket the way the
 * UI uses it: login → ticket → snapshot → deltas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Delta, HubToBrowser, Snapshot } from '../protocol/types.js';
import { check, validators } from '../protocol/validate.js';
import { type Hub, type Proc, joinToken, startAgent, startHub, waitFor } from './harness.js';

let hub: Hub;
const agents = new Map<string, Proc>();
const IDS = ['alpha', 'beta', 'gamma'];

/** A browser-like client: every frame it receives is validated against the protocol. */
class BrowserClient {
  frames: HubToBrowser[] = [];
  closed?: { code: number; reason: string };
  private ws: WebSocket;

  constructor(url: string, firstFrame: unknown) {
    this.ws = new WebSocket(url);
    this.ws.on('open', () => this.ws.send(JSON.stringify(firstFrame)));
    this.ws.on('message', (data) => {
      const checked = check(validators.hubToBrowser, JSON.parse(data.toString()));
      if (!checked.ok) throw new Error(`hub sent an invalid frame: ${checked.error}`);
      this.frames.push(checked.value);
    });
    this.ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  snapshot(): Snapshot | undefined {
    return this.frames.find((f): f is Snapshot => f.type === 'snapshot');
  }

  deltas(): Delta[] {
    return this.frames.filter((f): f is Delta => f.type === 'delta');
  }

  close(): void {
    this.ws.close();
  }
}

async function ticket(): Promise<string> {
  const r = await hub.api('POST', '/api/ticket');
  expect(r.status).toBe(200);
  return r.body.ticket;
}

beforeAll(async () => {
  hub = await startHub();
  for (const id of IDS) agents.set(id, await startAgent(hub, { id }));
  await waitFor('all three agents to report', async () => {
    const { body } = await hub.api('GET', '/api/servers');
    return IDS.every((id) => body.some((s: { id: string; metrics: unknown }) => s.id === id && s.metrics));
  }, 20_000).catch((e) => {
    throw new Error(`${e}\n--- hub ---\n${hub.output()}\n--- alpha ---\n${agents.get('alpha')?.output()}`);
  });
});

afterAll(async () => {
  await Promise.all([...agents.values()].map((a) => a.stop()));
  await hub?.stop();
});

describe('hub with three agents', () => {
  it('streams live metrics from every agent to a browser client', async () => {
    const client = new BrowserClient(hub.wsUrl, { v: 1, type: 'auth', ticket: await ticket() });
    const snap = await waitFor('a snapshot', () => client.snapshot());
    expect(snap.servers.map((s) => s.id).sort()).toEqual(IDS);
    for (const id of IDS) expect(snap.status[id]).toMatch(/^(active|warning)$/);
    // Each agent's samples keep arriving, with a new timestamp each time.
    const seen = new Map<string, Set<number>>(IDS.map((id) => [id, new Set()]));
    await waitFor('3 fresh samples from each agent', () => {
      for (const d of client.deltas()) for (const [id, m] of Object.entries(d.metrics ?? {})) seen.get(id)?.add(m.ts);
      return IDS.every((id) => seen.get(id)!.size >= 3);
    }, 15_000);
    const sample = client.deltas().flatMap((d) => Object.values(d.metrics ?? {}))[0]!;
    expect(sample.mem.total).toBeGreaterThan(0);
    expect(sample.uptime).toBeGreaterThan(0);
    expect(sample.disks.length).toBeGreaterThan(0);
    client.close();
  });

  it('sends at most 4 deltas a second', async () => {
    const client = new BrowserClient(hub.wsUrl, { v: 1, type: 'auth', ticket: await ticket() });
    await waitFor('a snapshot', () => client.snapshot());
    const start = Date.now();
    await new Promise((r) => setTimeout(r, 3000));
    const n = client.deltas().length;
    const seconds = (Date.now() - start) / 1000;
    expect(n).toBeGreaterThan(0);
    expect(n / seconds).toBeLessThanOrEqual(4.5);
    client.close();
  });

  it('sends model changes as deltas', async () => {
    const client = new BrowserClient(hub.wsUrl, { v: 1, type: 'auth', ticket: await ticket() });
    await waitFor('a snapshot', () => client.snapshot());
    expect((await hub.api('POST', '/api/connections', { from: 'alpha', to: 'beta', type: 'http' })).status).toBe(201);
    const d = await waitFor('the new connection', () => client.deltas().find((x) => x.connections?.some((c) => c.id === 'alpha:beta')));
    expect(d.connections?.[0]).toMatchObject({ from: 'alpha', to: 'beta', type: 'http' });
    client.close();
  });

  it('turns a killed agent inactive', async () => {
    const client = new BrowserClient(hub.wsUrl, { v: 1, type: 'auth', ticket: await ticket() });
    await waitFor('a snapshot', () => client.snapshot());
    agents.get('gamma')!.proc.kill('SIGKILL');
    await waitFor('gamma to turn inactive on the socket', () => client.deltas().some((d) => d.status?.['gamma'] === 'inactive'), 15_000);
    expect((await hub.api('GET', '/api/servers/gamma')).body.status).toBe('inactive');
    expect((await hub.api('GET', '/api/servers/alpha')).body.status).toMatch(/^(active|warning)$/);
    client.close();
  });
});

describe('socket trust', () => {
  it('refuses a forged ticket, a reused ticket and a frame that is not a ticket', async () => {
    const forged = new BrowserClient(hub.wsUrl, { v: 1, type: 'auth', ticket: 'eyJ1c2VyIjoiYWRtaW4ifQ.forged' });
    await waitFor('the forged ticket to be refused', () => forged.closed);
    expect(forged.closed?.code).toBe(4401);
    expect(forged.snapshot()).toBeUndefined();

    const t = await ticket();
    const first = new BrowserClient(hub.wsUrl, { v: 1, type: 'auth', ticket: t });
    await waitFor('a snapshot', () => first.snapshot());
    const replay = new BrowserClient(hub.wsUrl, { v: 1, type: 'auth', ticket: t });
    await waitFor('the replayed ticket to be refused', () => replay.closed);
    expect(replay.frames[0]).toMatchObject({ type: 'error', message: 'ticket already used' });
    first.close();

    const junk = new BrowserClient(hub.wsUrl, { hello: 'there' });
    await waitFor('junk to be refused', () => junk.closed);
    expect(junk.frames[0]).toMatchObject({ type: 'error', code: 'invalid_message' });
  });

  it('refuses a forged join token and creates no server for it', async () => {
    const real = await joinToken(hub);
    const forged = real.replace(/\.([A-Za-z0-9_-]{43})\./, `.${'A'.repeat(43)}.`);
    const intruder = await startAgent(hub, { id: 'intruder', token: forged });
    await waitFor('the hub to refuse the forged token', () => /wrong secret for token/.test(hub.output()));
    await intruder.stop();
    expect((await hub.api('GET', '/api/servers/intruder')).status).toBe(404);
  });
});
