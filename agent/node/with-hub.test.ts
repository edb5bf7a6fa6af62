// The built agent against the real built hub: what the hub records from its hello, and that it
// comes back by itself after the hub restarts.
import { rmSync } from 'node:fs';
import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { check, validators } from '../protocol/validate.js';
import { freePort, startAgent, startHub, waitFor, type Hub, type Proc } from '../test/harness.js';

const procs: Array<Hub | Proc> = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function latest(hub: Hub, id: string): Promise<{ ts: number } | null> {
  const r = await hub.api('GET', `/api/servers/${id}`);
  return r.status === 200 ? (r.body.metrics as { ts: number } | null) : null;
}

describe('agent with the real hub', () => {
  it('registers with its type and inventory, and resumes after the hub restarts', async () => {
    // Both hubs listen for agents on one port.
    const agentPort = await freePort();
    const env = { AGENT_PORT: String(agentPort) };
    const first = await startHub({ env, keepDataDir: true });
    procs.push(first);
    dirs.push(first.dataDir);
    const agent = await startAgent(first, { id: 'cache-7', type: 'cache' });
    procs.push(agent);

    const sample = await waitFor('metrics at the hub', () => latest(first, 'cache-7'));
    expect(check(validators.agentMessage, { v: 1, type: 'metrics', sample })).toMatchObject({ ok: true });
    const server = (await first.api('GET', '/api/servers/cache-7')).body;
    expect(server.type).toBe('cache');
    expect(server.agent.inventory).toMatchObject({ hostname: os.hostname(), kernel: os.release(), memTotal: os.totalmem() });

    await first.stop();
    await waitFor('the agent to notice', () => agent.output().includes('disconnected from the hub'));
    const second = await startHub({ env, dataDir: first.dataDir });
    procs.push(second);
    const restartedAt = Date.now();
    await waitFor('fresh metrics at the restarted hub', async () => ((await latest(second, 'cache-7'))?.ts ?? 0) > restartedAt, 40_000);
    expect(agent.output().match(/connected to wss:/g)).toHaveLength(2);
  });
});
