/**
 * `npm start` as a new user meets it: dist/standalone.mjs prints the URL and a generated admin
 * password once, the local server appears with live metrics, and a restart keeps everything.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, requireBuild, waitFor } from './harness.js';
import { TestNetwork } from './test-network.js';

const dataDir = mkdtempSync(join(tmpdir(), 'uc-standalone-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The command lines of the running local agents of this test's data directory. */
function agentCommandLines(): string[] {
  const lines: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const line = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (line.includes('agent.mjs') && line.includes(dataDir)) lines.push(line);
    } catch { /* gone meanwhile */ }
  }
  return lines;
}

async function runStandalone(httpPort: number, agentPort: number) {
  const proc = spawn(process.execPath, [requireBuild('standalone.mjs')], {
    env: { ...process.env, DATA_DIR: dataDir, HUB_PORT: String(httpPort), AGENT_PORT: String(agentPort), ADMIN_PASSWORD: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  const exited = new Promise((r) => proc.once('exit', r));
  await waitFor('the dashboard URL', () => out.includes(`Dashboard: http://127.0.0.1:${httpPort}/`), 15_000).catch((e) => {
    throw new Error(`${e}\n${out}`);
  });
  return { output: () => out, stop: async () => { proc.kill('SIGTERM'); await exited; } };
}

describe('standalone dashboard', () => {
  it('starts with a generated password shown once, a local agent, and survives a restart', async () => {
    const [httpPort, agentPort] = [await freePort(), await freePort()];
    const first = await runStandalone(httpPort, agentPort);
    const password = /password (\S+)/.exec(first.output())?.[1];
    expect(password, first.output()).toBeTruthy();
    const auth = { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` };
    const servers = async () => (await (await fetch(`http://127.0.0.1:${httpPort}/api/servers`, { headers: auth })).json()) as { id: string; status: string; metrics: { ts: number; cpu: number; net: object; load: number[]; disks: unknown[] } | null }[];
    // The agent enrolls with a one-use token, which must not show in `ps` (its command line).
    const agentLines = await waitFor('the local agent process', () => { const l = agentCommandLines(); return l.length ? l : undefined; }, 10_000);
    expect(agentLines.join('\n')).not.toMatch(/uc1\./);
    const local = await waitFor('the local server with metrics', async () => (await servers()).find((s) => s.metrics), 10_000);
    expect(local.status).toMatch(/^(active|warning)$/);
    expect(local.metrics!.disks.length).toBeGreaterThan(0);
    const ts = local.metrics!.ts;
    await waitFor('a newer sample', async () => ((await servers())[0]?.metrics?.ts ?? 0) > ts, 5_000);
    expect((await fetch(`http://127.0.0.1:${httpPort}/`)).headers.get('content-type')).toMatch(/text\/html/);
    await first.stop();

    const second = await runStandalone(httpPort, agentPort);
    expect(second.output()).not.toMatch(/First start/);
    await waitFor('the local server again', async () => (await servers()).length === 1 && (await servers())[0]?.metrics, 10_000);
    await second.stop();
  });

  it('with AGENT_HOST on a non-loopback address, its own agent dials that address', async () => {
    // A private network namespace whose only non-loopback address is on a veth pair inside it:
    // nothing leaves it, and the agent port listens there alone.
    TestNetwork.requireRoot();
    const tag = randomBytes(3).toString('hex');
    const ns = `uc-sa-${tag}`;
    const address = `10.${200 + (parseInt(tag, 16) % 50)}.${parseInt(tag.slice(0, 2), 16)}.2`;
    const ip = (...args: string[]) => execFileSync('/usr/sbin/ip', args);
    const dir = mkdtempSync(join(tmpdir(), 'uc-standalone-host-'));
    ip('netns', 'add', ns);
    let proc: ReturnType<typeof spawn> | undefined;
    try {
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'link', 'add', 'uc0', 'type', 'veth', 'peer', 'name', 'uc1');
      ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'uc0');
      ip('-n', ns, 'link', 'set', 'uc0', 'up');
      ip('-n', ns, 'link', 'set', 'uc1', 'up');
      const agentPort = await freePort();
      proc = spawn('/usr/sbin/ip', ['netns', 'exec', ns, process.execPath, requireBuild('standalone.mjs')], {
        env: { ...process.env, DATA_DIR: dir, HUB_PORT: String(await freePort()), AGENT_HOST: address, AGENT_PORT: String(agentPort), ADMIN_PASSWORD: 'x-password-1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      proc.stdout!.on('data', (d) => (out += d));
      proc.stderr!.on('data', (d) => (out += d));
      await waitFor('the local agent to connect', () => out.includes(`connected to wss://${address}:${agentPort}/agent as `), 60_000)
        .catch((e) => { throw new Error(`${e}\n${out}`); });
      expect(out).not.toMatch(/cannot connect/);
    } finally {
      if (proc && proc.exitCode === null) {
        const exited = new Promise((r) => proc!.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      ip('netns', 'del', ns);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
