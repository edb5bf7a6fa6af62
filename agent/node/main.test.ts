// The built agent (dist/agent.mjs) as a process against a TLS hub of the test's own: arguments
// and exit codes, enrollment with CA pinning (and refusal of a hub with another CA), the stored
// identity, jobs (for another agent, expired, replayed), no listening port, clean stops.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { formatJoinToken } from '../protocol/join-token.js';
import type { Job } from '../protocol/types.js';
import { check, validators } from '../protocol/validate.js';
import { loadOrCreatePki, type HubPki } from '../hub/pki/pki.js';
import { ROOT, requireBuild, startAgent, waitFor } from '../test/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'uc-agent-main-'));
let pki: HubPki;
let otherPki: HubPki;
beforeAll(async () => {
  [pki, otherPki] = await Promise.all([loadOrCreatePki(join(dir, 'pki')), loadOrCreatePki(join(dir, 'other-pki'))]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tokenFor = (p: HubPki) => formatJoinToken({ id: 'a1b2c3d4e5f6', secret: 'S'.repeat(43), caFingerprint: p.caFingerprint });

function runAgent(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [requireBuild('agent.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 15_000 });
}

/** Like runAgent, without blocking this process (whose fake hub must answer meanwhile). */
function runAgentAsync(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [requireBuild('agent.mjs'), ...args], { timeout: 15_000 }, (err, _out, stderr) =>
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stderr }));
  });
}

/** A TLS hub that enrolls every agent, welcomes it, and keeps what it sends. */
async function fakeHub(p: HubPki) {
  const https = createServer({ key: p.keyPem, cert: p.chainPem });
  const wss = new WebSocketServer({ server: https });
  await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
  const frames: Record<string, unknown>[] = [];
  let socket: WebSocket | undefined;
  let closed = 0;
  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      frames.push(frame);
      if (frame['type'] === 'enroll') ws.send(JSON.stringify({ v: 1, type: 'enrolled', serverId: 'web1', credential: 'c'.repeat(43) }));
      if (frame['type'] === 'enroll' || frame['type'] === 'hello') ws.send(JSON.stringify({ v: 1, type: 'welcome', serverId: 'web1', intervalMs: 200 }));
    });
    ws.on('close', () => { closed++; });
  });
  const addr = https.address();
  const port = addr !== null && typeof addr === 'object' ? addr.port : 0;
  return {
    frames, closed: () => closed, agentUrl: `wss://127.0.0.1:${port}/agent`, dataDir: dir,
    send: (f: unknown) => socket!.send(JSON.stringify(f)),
    api: async () => ({ status: 0, body: null }),
    close: () => { wss.clients.forEach((c) => c.terminate()); return new Promise((r) => https.close(r)); },
  };
}

/** TCP ports the process listens on (its own sockets in /proc/net/tcp{,6} in state LISTEN). */
function listeningPorts(pid: number): number[] {
  const inodes = new Set(readdirSync(`/proc/${pid}/fd`).map((fd) => { try { return readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { return ''; } })
    .map((l) => /^socket:\[(\d+)\]$/.exec(l)?.[1]).filter(Boolean));
  const ports: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A' && inodes.has(f[9])) ports.push(parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

describe('dist/agent.mjs', () => {
  it('exits 2 with a clear message on bad arguments', () => {
    const missing = runAgent(['--token', 'x'], { UC_HUB: '' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^agent: missing --hub/);
    const plain = runAgent(['--hub', 'ws://127.0.0.1:1/agent']);
    expect(plain.status).toBe(2);
    expect(plain.stderr).toMatch(/must be a wss:\/\/ URL/);
    const badType = runAgent(['--hub', 'wss://127.0.0.1:1/agent', '--type', 'nope']);
    expect(badType.stderr).toMatch(/--type must be one of/);
  });

  it('exits 2 when it is not enrolled and has no token', () => {
    const r = runAgent(['--hub', 'wss://127.0.0.1:1/agent', '--state-file', join(dir, 'none.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not enrolled yet .*give --token/);
  });

  it('refuses to enroll with a hub that presents another CA than the token pins (man in the middle)', async () => {
    const mitm = await fakeHub(otherPki);
    try {
      const r = await runAgentAsync(['--hub', mitm.agentUrl, '--token', tokenFor(pki), '--state-file', join(dir, 'mitm.json')]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/did not present the CA the join token names.*refusing to enroll/);
      expect(mitm.frames).toEqual([]);
    } finally {
      await mitm.close();
    }
  });

  it('enrolls, keeps its identity root-only, says hello with it next time, and listens on no port', async () => {
    const hub = await fakeHub(pki);
    const stateFile = join(dir, 'web1.json');
    try {
      const agent = await startAgent(hub, { id: 'web1', type: 'web', token: tokenFor(pki), stateFile });
      await waitFor('3 metrics frames', () => hub.frames.length >= 4);
      expect(check(validators.agentFirstFrame, hub.frames[0])).toMatchObject({ ok: true, value: { type: 'enroll', token: tokenFor(pki), serverId: 'web1', serverType: 'web' } });
      const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
      expect(hub.frames[0]!['agentVersion']).toBe(version);
      for (const f of hub.frames.slice(1)) expect(check(validators.agentMessage, f)).toMatchObject({ ok: true });
      expect(statSync(stateFile).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({ serverId: 'web1', credential: 'c'.repeat(43), caPem: pki.caPem });
      expect(listeningPorts(agent.proc.pid!)).toEqual([]);
      await agent.stop('SIGTERM');
      expect(agent.proc.exitCode).toBe(0);

      hub.frames.length = 0;
      const again = await startAgent(hub, { id: 'web1', stateFile });
      await waitFor('a hello', () => hub.frames.length >= 1);
      expect(hub.frames[0]).toMatchObject({ type: 'hello', serverId: 'web1', credential: 'c'.repeat(43) });
      expect(JSON.stringify(hub.frames[0])).not.toContain('uc1.');
      await again.stop('SIGTERM');
    } finally {
      await hub.close();
    }
  });

  it('runs a job for itself once and refuses one for another agent, an expired one and a replay', async () => {
    const hub = await fakeHub(pki);
    const agent = await startAgent(hub, { id: 'web1', stateFile: join(dir, 'web1.json') });
    try {
      await waitFor('the welcome', () => hub.frames.length >= 2);
      const now = Date.now();
      const job = (id: string, over: Partial<Job> = {}): Job => ({ id, serverId: 'web1', kind: 'inventory', issuedAt: now, expiresAt: now + 60_000, ...over });
      const results = () => hub.frames.filter((f) => f['type'] === 'job-result') as { jobId: string; ok: boolean; error?: string; inventory?: unknown }[];
      hub.send({ v: 1, type: 'job', job: job('job-good-0001') });
      hub.send({ v: 1, type: 'job', job: job('job-good-0001') });
      hub.send({ v: 1, type: 'job', job: job('job-other-001', { serverId: 'db1' }) });
      hub.send({ v: 1, type: 'job', job: job('job-old-00001', { issuedAt: now - 600_000, expiresAt: now - 300_000 }) });
      await waitFor('four job results', () => results().length >= 4);
      const byId = (id: string) => results().filter((r) => r.jobId === id);
      expect(byId('job-good-0001').map((r) => r.ok).sort()).toEqual([false, true]);
      expect(byId('job-good-0001').find((r) => !r.ok)?.error).toMatch(/replay/);
      expect(byId('job-good-0001').find((r) => r.ok)?.inventory).toMatchObject({ hostname: expect.any(String) });
      expect(byId('job-other-001')[0]).toMatchObject({ ok: false, error: expect.stringMatching(/for 'db1', not for this agent/) });
      expect(byId('job-old-00001')[0]).toMatchObject({ ok: false, error: expect.stringMatching(/expired/) });
      expect(agent.output()).toMatch(/refused a job: .*replay/);
    } finally {
      await agent.stop('SIGKILL');
      await hub.close();
    }
  });

  it('exits 0 on SIGINT even while it cannot reach the hub', async () => {
    const stateFile = join(dir, 'web1.json');
    const agent = await startAgent({ agentUrl: 'wss://127.0.0.1:1/agent', dataDir: dir, api: async () => ({ status: 0, body: null }) }, { id: 'lonely', stateFile });
    try {
      await waitFor('a failed connection attempt', () => agent.output().includes('cannot connect to wss://127.0.0.1:1/agent'));
      await agent.stop('SIGINT');
      expect(agent.proc.exitCode).toBe(0);
    } finally {
      await agent.stop('SIGKILL');
    }
  });
});
