/**
 * `npm start` as a new user meets it: dist/standalone.mjs prints the URL and a generated admin
 * password once, the local server appears with live metrics, and a restart keeps everything.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, requireBuild, waitFor } from './harness.js';

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
});
