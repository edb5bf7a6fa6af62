/**
 * Probe targets and latency frames on the real agent socket of an in-process hub, with two raw
 * agents enrolled by join tokens: who gets which list when, what a latency frame may update, and
 * where the result shows (REST and the browser socket).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { HubToBrowser } from '../../protocol/types.js';
import { check, checkHubToAgent, validators } from '../../protocol/validate.js';
import { waitFor } from '../../test/harness.js';
import { type TestHub, startTestHub } from '../test-hub.js';

let t: TestHub;
const logs: string[] = [];
const inventory = { hostname: 'h', os: 'Linux', kernel: '6', arch: 'x64', cpuModel: 'cpu', cores: 1, memTotal: 1 };

interface RawAgent { ws: WebSocket; frames: Record<string, unknown>[]; targets(): unknown[][] }

/** A raw agent: enrolls with a fresh join token and keeps every (validated) frame the hub sends. */
async function enroll(id: string): Promise<RawAgent> {
  const { body } = await t.call<{ token: string }>('POST', '/api/join-tokens', {});
  // The test trusts its own in-process hub; real agents pin the CA from the token.
  const ws = new WebSocket(`wss://127.0.0.1:${t.hub.agentPort}/agent`, { rejectUnauthorized: false });
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (d) => {
    const frame = JSON.parse(String(d)) as Record<string, unknown>;
    const checked = checkHubToAgent(frame);
    if (!checked.ok) throw new Error(`the hub sent an invalid frame: ${checked.error}`);
    frames.push(frame);
  });
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ v: 1, type: 'enroll', token: body.token, serverId: id, agentVersion: 'test', inventory }));
  await waitFor(`${id}'s welcome`, () => frames.some((f) => f['type'] === 'welcome'));
  return { ws, frames, targets: () => frames.filter((f) => f['type'] === 'probe-targets').map((f) => f['targets'] as unknown[]) };
}

let a: RawAgent;
let b: RawAgent;
const connections = async () => (await t.call<Record<string, unknown>[]>('GET', '/api/connections')).body;

beforeAll(async () => {
  t = await startTestHub((m) => logs.push(m));
  a = await enroll('a');
  b = await enroll('b');
});
afterAll(async () => {
  a?.ws.close();
  b?.ws.close();
  await t?.stop();
});

describe('probe targets', () => {
  it('follow the welcome (empty at first), then the model, to the agent they concern only', async () => {
    await waitFor('both first lists', () => a.targets().length === 1 && b.targets().length === 1);
    expect(a.frames.map((f) => f['type'])).toEqual(['enrolled', 'welcome', 'probe-targets']);
    expect(a.targets()[0]).toEqual([]);

    expect((await t.call('POST', '/api/connections', { from: 'a', to: 'b', type: 'database' })).status).toBe(201);
    await waitFor('a\'s new list', () => a.targets().length === 2);
    expect(a.targets()[1]).toEqual([{ connectionId: 'a:b', address: '127.0.0.1', port: 3306 }]);

    expect((await t.call('PATCH', '/api/servers/b', { ports: [15432] })).status).toBe(200);
    await waitFor('a\'s list with b\'s port', () => a.targets().length === 3);
    expect(a.targets()[2]).toEqual([{ connectionId: 'a:b', address: '127.0.0.1', port: 15432 }]);
    // A change that moves no target (a label) sends nothing; b never had anything to probe.
    expect((await t.call('PATCH', '/api/servers/b', { labels: { tier: 'x' } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(a.targets()).toHaveLength(3);
    expect(b.targets()).toEqual([[]]);
  });
});

describe('latency frames', () => {
  it('update the connections their agent starts, on REST and the browser socket', async () => {
    expect((await connections())[0]).toEqual({ id: 'a:b', from: 'a', to: 'b', type: 'database', status: 'unknown', latencyMs: null });
    a.ws.send(JSON.stringify({ v: 1, type: 'latency', results: [{ connectionId: 'a:b', ms: 0.7 }] }));
    await waitFor('a:b connected', async () => (await connections())[0]?.['status'] === 'connected');
    expect((await connections())[0]).toMatchObject({ status: 'connected', latencyMs: 0.7 });

    const { body } = await t.call<{ ticket: string }>('POST', '/api/ticket');
    const browser = new WebSocket(t.wsUrl);
    const frames: HubToBrowser[] = [];
    browser.on('message', (d) => {
      const checked = check(validators.hubToBrowser, JSON.parse(String(d)));
      if (!checked.ok) throw new Error(`the hub sent an invalid frame: ${checked.error}`);
      frames.push(checked.value);
    });
    browser.on('open', () => browser.send(JSON.stringify({ v: 1, type: 'auth', ticket: body.ticket })));
    const snap = await waitFor('the snapshot', () => frames.find((f) => f.type === 'snapshot'));
    expect(snap.type === 'snapshot' && snap.connectionStatus).toEqual({ 'a:b': { status: 'connected', latencyMs: 0.7 } });

    a.ws.send(JSON.stringify({ v: 1, type: 'latency', results: [{ connectionId: 'a:b', ms: null, error: 'ECONNREFUSED' }] }));
    await waitFor('the delta', () => frames.some((f) => f.type === 'delta' && f.connectionStatus?.['a:b']?.status === 'disconnected'));
    expect((await connections())[0]).toMatchObject({ status: 'disconnected', latencyMs: null });
    browser.close();
  });

  it('from another agent are ignored and logged', async () => {
    const before = await connections();
    b.ws.send(JSON.stringify({ v: 1, type: 'latency', results: [{ connectionId: 'a:b', ms: 5 }] }));
    await waitFor('the log line', () => logs.some((l) => l === "agent 'b': ignored latency for 1 connection(s) it does not start (a:b)"));
    expect(await connections()).toEqual(before);
  });
});
