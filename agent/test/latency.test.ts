/**
 * Connection latency end to end: the real built hub and two real agent processes. Server b's
 * service port is a real TCP listener of this test on 127.0.0.1 (every probe stays on loopback);
 * a's agent measures it once a→b exists, the result shows on REST and the browser socket, and
 * turns `disconnected` once the listener is gone.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ConnectionLive, HubToBrowser } from '../protocol/types.js';
import { check, validators } from '../protocol/validate.js';
import { type Hub, type Proc, freePort, startAgent, startHub, waitFor } from './harness.js';

let hub: Hub;
const agents: Proc[] = [];
let listener: Server | undefined;
const accepted: Socket[] = [];

beforeAll(async () => {
  hub = await startHub();
  for (const id of ['a', 'b']) agents.push(await startAgent(hub, { id }));
  await waitFor('both agents to report', async () => {
    const { body } = await hub.api('GET', '/api/servers');
    return ['a', 'b'].every((id) => body.some((s: { id: string; metrics: unknown }) => s.id === id && s.metrics));
  }, 20_000);
});

afterAll(async () => {
  for (const s of accepted) s.destroy();
  await new Promise((r) => (listener ? listener.close(r) : r(undefined)));
  await Promise.all(agents.map((a) => a.stop()));
  await hub?.stop();
});

/** The browser socket's view of one connection: the snapshot's entry, then every delta's. */
async function watchConnection(id: string): Promise<{ seen: ConnectionLive[]; close(): void }> {
  const { body } = await hub.api('POST', '/api/ticket');
  const ws = new WebSocket(hub.wsUrl);
  const seen: ConnectionLive[] = [];
  ws.on('open', () => ws.send(JSON.stringify({ v: 1, type: 'auth', ticket: body.ticket })));
  ws.on('message', (d) => {
    const checked = check(validators.hubToBrowser, JSON.parse(String(d)));
    if (!checked.ok) throw new Error(`the hub sent an invalid frame: ${checked.error}`);
    const f: HubToBrowser = checked.value;
    const live = f.type === 'snapshot' || f.type === 'delta' ? f.connectionStatus?.[id] : undefined;
    if (live) seen.push(live);
  });
  return { seen, close: () => ws.close() };
}

const connection = async (id: string) => ((await hub.api('GET', '/api/connections')).body as Record<string, unknown>[]).find((c) => c['id'] === id);

describe('latency between connected servers', () => {
  it('is measured on b\'s service port, shown on REST and the browser socket, and turns disconnected when the port closes', async () => {
    const port = await freePort();
    listener = createServer((s) => { accepted.push(s); s.on('error', () => {}); });
    await new Promise<void>((r) => listener!.listen(port, '127.0.0.1', r));
    expect((await hub.api('PATCH', '/api/servers/b', { address: '127.0.0.1', ports: [port] })).status).toBe(200);
    const browser = await watchConnection('a:b');
    expect((await hub.api('POST', '/api/connections', { from: 'a', to: 'b' })).status).toBe(201);

    const up = await waitFor('a:b connected on REST', async () => {
      const c = await connection('a:b');
      return c?.['status'] === 'connected' ? c : null;
    }, 20_000).catch((e) => { throw new Error(`${e}\n--- hub ---\n${hub.output()}\n--- a ---\n${agents[0]!.output()}`); });
    expect(up).toMatchObject({ from: 'a', to: 'b', type: 'standard', latencyMs: expect.any(Number) });
    expect(up['latencyMs'] as number).toBeGreaterThanOrEqual(0);
    expect(accepted.length).toBeGreaterThanOrEqual(1); // the probe really reached the listener
    await waitFor('a:b connected on the browser socket', () => browser.seen.some((s) => s.status === 'connected' && typeof s.latencyMs === 'number'));

    await new Promise((r) => {
      listener!.close(r);
      for (const s of accepted) s.destroy();
    });
    listener = undefined;
    await waitFor('a:b disconnected on REST', async () => (await connection('a:b'))?.['status'] === 'disconnected', 25_000);
    expect(await connection('a:b')).toMatchObject({ latencyMs: null });
    await waitFor('a:b disconnected on the browser socket', () => browser.seen.at(-1)?.status === 'disconnected');
    // b starts no connection: it probes nothing and reports nothing for a's.
    expect(hub.output()).not.toMatch(/ignored latency/);
    for (const agent of agents) expect(agent.output()).not.toMatch(/invalid frame/);
    browser.close();
  });
});
