/**
 * Idle sockets cannot shut agents out: 300 TCP connections to the agent port that never start
 * TLS, held open from one address (127.0.0.2; every one the hub closes is opened again), while a
 * real agent from another address (127.0.0.1) enrolls and reports, on the real built hub.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Hub, type Proc, startAgent, startHub, waitFor } from './harness.js';

const IDLE = 300;
let hub: Hub;
let agent: Proc | undefined;
let holding = false;
const idle = new Set<Socket>();
let opened = 0;

/** Opens idle connections from 127.0.0.2 until IDLE are open, and again whenever one closes (a million at most). */
function hold(port: number): void {
  while (holding && idle.size < IDLE && opened < 1_000_000) {
    const s = connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' });
    opened++;
    idle.add(s);
    s.on('error', () => {});
    // Reopened on the next turn: a refused connection closes at once, and this loop is bounded by IDLE per turn.
    s.once('close', () => {
      idle.delete(s);
      if (holding) setImmediate(() => hold(port));
    });
  }
}

beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  holding = false;
  for (const s of idle) s.destroy();
  await agent?.stop();
  await hub?.stop();
});

describe('the agent port under idle connections from one address', () => {
  it('still lets a real agent from another address enroll and report', async () => {
    holding = true;
    hold(Number(new URL(hub.agentUrl).port));
    await waitFor('300 idle connections open', () => idle.size === IDLE);
    agent = await startAgent(hub, { id: 'busy-port' });
    const server = await waitFor('the agent to report', async () => {
      const r = await hub.api('GET', '/api/servers/busy-port');
      return r.status === 200 && r.body.metrics ? r.body : null;
    }).catch((e) => { throw new Error(`${e}\n--- hub ---\n${hub.output()}\n--- agent ---\n${agent?.output()}`); });
    expect(server.status).toMatch(/^(active|warning)$/);
    // The idle connections were there all along: the hub kept closing them and they kept coming.
    expect(idle.size).toBeGreaterThan(0);
    expect(opened).toBeGreaterThan(IDLE);
    expect(hub.output()).toMatch(/agent port: .*127\.0\.0\.2.*closed a new connection/);
  });
});
