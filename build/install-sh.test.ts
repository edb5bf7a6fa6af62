/** install.sh: the agent install against a real hub (paths under a temporary UC_PREFIX, no systemd), and its clear refusals. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../agent/hub/test-hub.js';

const root = new URL('..', import.meta.url).pathname;
let hub: TestHub;
let prefix: string;

/** Runs install.sh without blocking: the hub in this process must answer the agent meanwhile. */
const runWith = (env: Record<string, string>, ...args: string[]) => new Promise<{ status: number | null; out: string }>((resolve, reject) => {
  const child = spawn('sh', [`${root}install.sh`, ...args], {
    env: { ...process.env, UC_PREFIX: prefix, UC_SYSTEMD_DIR: join(prefix, 'no-systemd'), WEBMIN_CONFIG: join(prefix, 'no-webmin'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c; });
  child.stderr.on('data', (c: Buffer) => { out += c; });
  child.on('error', reject);
  child.on('close', (status) => resolve({ status, out }));
});
const run = (...args: string[]) => runWith({}, ...args);
const pidFile = () => join(prefix, 'var/lib/unlimited-cluster/agent.pid');
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

beforeAll(async () => {
  hub = await startTestHub();
  prefix = mkdtempSync(join(tmpdir(), 'uc-install-'));
});
afterAll(async () => {
  if (existsSync(pidFile())) { const pid = Number(readFileSync(pidFile(), 'utf8')); if (alive(pid)) process.kill(pid); }
  await hub.stop();
  rmSync(prefix, { recursive: true, force: true });
});

it('without Webmin says where to get it and stops', async () => {
  const r = await run();
  expect(r.status).toBe(1);
  expect(r.out).toMatch(/Webmin was not found.*webmin\.com/s);
});

it('refuses an agent install without a wss:// hub or, on a new node, without a token', async () => {
  expect((await run('agent')).out).toMatch(/--hub wss:\/\//);
  expect(await run('agent', '--hub', 'http://x/agent', '--token', 't')).toMatchObject({ status: 1, out: expect.stringMatching(/must be a wss:\/\/ URL/) });
  expect(await run('agent', '--hub', 'wss://127.0.0.1:1/agent')).toMatchObject({ status: 1, out: expect.stringMatching(/give --token/) });
  expect(existsSync(join(prefix, 'opt'))).toBe(false);
});

it('installs and enrolls the agent, again changes nothing, and uninstalls', async () => {
  const { body } = await hub.call<{ token: string }>('POST', '/api/join-tokens', { type: 'web' });
  const url = `wss://127.0.0.1:${hub.hub.agentPort}/agent`;
  const first = await run('agent', '--hub', url, '--token', body.token);
  expect(first.out).toMatch(/enrolled with/);
  expect(first.status).toBe(0);
  const state = join(prefix, 'var/lib/unlimited-cluster/agent.json');
  expect(statSync(state).mode & 0o777).toBe(0o600);
  const identity = readFileSync(state, 'utf8');
  const env = readFileSync(join(prefix, 'etc/unlimited-cluster/agent.env'), 'utf8');
  expect(env).toContain(`UC_HUB=${url}`);
  expect(env).not.toContain('UC_JOIN_TOKEN'); // used once, then gone
  const pid = Number(readFileSync(pidFile(), 'utf8'));
  expect(alive(pid)).toBe(true);
  const servers = await hub.call<{ agent?: unknown }[]>('GET', '/api/servers');
  expect(servers.body.filter((s) => s.agent)).toHaveLength(1);

  const again = await run('agent', '--hub', url, '--token', body.token);
  expect(again).toMatchObject({ status: 0, out: expect.stringMatching(/already enrolled/) });
  expect(readFileSync(state, 'utf8')).toBe(identity);
  expect((await hub.call<unknown[]>('GET', '/api/servers')).body).toHaveLength(1);

  const newPid = Number(readFileSync(pidFile(), 'utf8'));
  expect(await run('agent', '--uninstall')).toMatchObject({ status: 0, out: expect.stringMatching(/removed the agent/) });
  await new Promise((r) => setTimeout(r, 500));
  expect(alive(newPid)).toBe(false);
  expect(existsSync(state)).toBe(false);
  expect(existsSync(join(prefix, 'opt/unlimited-cluster/agent.mjs'))).toBe(false);
});

it('takes the token from UC_JOIN_TOKEN and the server id from --id, and stops at once, with the agent\'s reason, when the hub refuses it', async () => {
  const url = `wss://127.0.0.1:${hub.hub.agentPort}/agent`;
  const revoked = (await hub.call<{ id: string; token: string }>('POST', '/api/join-tokens', {})).body;
  expect((await hub.call('DELETE', `/api/join-tokens/${revoked.id}`)).status).toBe(204);
  const refused = await runWith({ UC_JOIN_TOKEN: revoked.token }, 'agent', '--hub', url);
  expect(refused.status).toBe(1);
  expect(refused.out).toMatch(/the agent has not enrolled: it stopped/);
  expect(refused.out).toMatch(/stopping: the hub refused the join token/);

  const { token } = (await hub.call<{ token: string }>('POST', '/api/join-tokens', {})).body;
  const named = await runWith({ UC_JOIN_TOKEN: token }, 'agent', '--hub', url, '--id', 'named1');
  expect(named).toMatchObject({ status: 0, out: expect.stringMatching(/enrolled with/) });
  expect(readFileSync(join(prefix, 'etc/unlimited-cluster/agent.env'), 'utf8')).toContain('UC_SERVER_ID=named1');
  expect((await hub.call<{ agent?: unknown }>('GET', '/api/servers/named1')).body.agent).toBeTruthy();
  expect(await run('agent', '--uninstall')).toMatchObject({ status: 0 });
});
