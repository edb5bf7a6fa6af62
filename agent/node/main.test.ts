// The built agent (dist/agent.mjs, made by `npm run build`) as a process: arguments, exit codes,
// the hello it sends, and a clean stop on SIGTERM/SIGINT.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { check, validators } from '../protocol/validate.js';
import { ROOT, requireBuild, startAgent, waitFor } from '../test/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'uc-agent-main-'));
writeFileSync(join(dir, 'agent.key'), '  the-agent-key\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runAgent(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [requireBuild('agent.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 10_000 });
}

/** A hub that welcomes every agent and keeps what they send. */
async function fakeHub() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const frames: unknown[] = [];
  let closed = 0;
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const frame: unknown = JSON.parse(String(data));
      if (frames.length === 0) ws.send(JSON.stringify({ v: 1, type: 'welcome', serverId: 'web1', intervalMs: 200 }));
      frames.push(frame);
    });
    ws.on('close', () => { closed++; });
  });
  const addr = wss.address();
  const port = addr !== null && typeof addr === 'object' ? addr.port : 0;
  return { frames, closed: () => closed, agentUrl: `ws://127.0.0.1:${port}/agent`, close: () => new Promise((r) => wss.close(r)) };
}

describe('dist/agent.mjs', () => {
  it('exits 2 with a clear message on bad arguments', () => {
    const r = runAgent(['--key-file', join(dir, 'agent.key')], { UC_HUB: '' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^agent: missing --hub \(or UC_HUB\)\n/);
    expect(r.stderr).toContain('usage: agent --hub');
    const bad = runAgent(['--hub', 'ws://127.0.0.1:1/agent', '--key-file', join(dir, 'agent.key'), '--type', 'nope']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--type must be one of/);
  });

  it('exits 2 when the key file cannot be read', () => {
    const r = runAgent(['--hub', 'ws://127.0.0.1:1/agent', '--key-file', join(dir, 'missing.key')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^agent: cannot read key file .*missing\.key: ENOENT/);
  });

  it('says hello with the trimmed key and its inventory, streams metrics, and exits 0 on SIGTERM', async () => {
    const hub = await fakeHub();
    const agent = startAgent({ agentUrl: hub.agentUrl, dataDir: dir }, { id: 'web1', type: 'web' });
    try {
      await waitFor('3 metrics frames', () => hub.frames.length >= 4);
      const hello = check(validators.agentHello, hub.frames[0]);
      expect(hello).toMatchObject({ ok: true, value: { key: 'the-agent-key', serverId: 'web1', serverType: 'web' } });
      const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
      expect(hello.ok && hello.value.agentVersion).toBe(version);
      for (const f of hub.frames.slice(1)) expect(check(validators.agentMessage, f)).toMatchObject({ ok: true });
      await agent.stop('SIGTERM');
      expect(agent.proc.exitCode).toBe(0);
      await waitFor('the hub to see the socket close', () => hub.closed() === 1);
      // One line at start and one per connect; nothing per sample.
      const lines = agent.output().trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(/agent: connected to ws:\/\/127\.0\.0\.1:\d+\/agent as web1$/);
    } finally {
      await agent.stop('SIGKILL');
      await hub.close();
    }
  });

  it('exits 0 on SIGINT even while it cannot reach the hub', async () => {
    const agent = startAgent({ agentUrl: 'ws://127.0.0.1:1/agent', dataDir: dir }, { id: 'lonely' });
    try {
      await waitFor('a failed connection attempt', () => agent.output().includes('cannot connect to ws://127.0.0.1:1/agent'));
      await agent.stop('SIGINT');
      expect(agent.proc.exitCode).toBe(0);
    } finally {
      await agent.stop('SIGKILL');
    }
  });
});
