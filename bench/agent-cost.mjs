#!/usr/bin/env node
// What the agent costs a node: starts the built hub and one agent, waits until the agent's
// metrics reach the hub, then watches the agent process for DURATION_S seconds (default 60).
// cpuPct: utime+stime over wall time, percent of one core. rssMB: the largest VmRSS seen,
// sampled every second. Progress goes to stderr; the last stdout line is
// {"cpuPct": x, "rssMB": y}. Goals: cpuPct <= 0.5, rssMB <= 60.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { clockTicks, cpuTicks, rssKB } from './proc-stats.mjs';
import { freePort, start } from './procs.mjs';
import { sleep, waitFor } from './wait.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const DURATION_S = Number(process.env.DURATION_S ?? 60);
const SERVER_ID = 'bench';

const say = (line) => process.stderr.write(`agent-cost: ${line}\n`);

const dataDir = mkdtempSync(join(tmpdir(), 'uc-bench-'));
const password = randomBytes(12).toString('hex');
const auth = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
const procs = [];

async function cleanup() {
  await Promise.all(procs.map((p) => p.stop()));
  rmSync(dataDir, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => { void cleanup().then(() => process.exit(130)); });

async function main() {
  for (const f of ['hub.mjs', 'agent.mjs']) {
    if (!existsSync(join(ROOT, 'dist', f))) throw new Error(`dist/${f} is missing: run "npm run build" (npm run bench:agent-cost does)`);
  }
  const [hubPort, agentPort] = [await freePort(), await freePort()];
  const hubUrl = `http://127.0.0.1:${hubPort}`;
  const hub = start('hub', [], ['dist/hub.mjs'], { DATA_DIR: dataDir, HUB_PORT: String(hubPort), AGENT_PORT: String(agentPort), ADMIN_PASSWORD: password });
  procs.push(hub);
  say(`hub on ${hubUrl}, agent socket on :${agentPort}`);
  await waitFor('the hub to answer /api/health', async () => {
    if (!hub.alive()) throw new Error('hub exited');
    return (await fetch(`${hubUrl}/api/health`)).status === 200;
  }).catch((e) => { throw new Error(`${e.message}\n--- hub output ---\n${hub.output()}`); });
  const made = await fetch(`${hubUrl}/api/join-tokens`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: '{}' });
  if (made.status !== 201) throw new Error(`cannot make a join token: ${made.status} ${await made.text()}`);
  const { token } = await made.json();

  const agent = start('agent', [], ['dist/agent.mjs', '--hub', `wss://127.0.0.1:${agentPort}/agent`, '--token', token,
    '--state-file', join(dataDir, 'agent.json'), '--id', SERVER_ID], {});
  procs.push(agent);
  const latest = async () => {
    const res = await fetch(`${hubUrl}/api/servers/${SERVER_ID}`, { headers: { authorization: auth } });
    return res.ok ? (await res.json()).metrics : null;
  };
  await waitFor('the agent\'s metrics to reach the hub', async () => {
    if (!agent.alive()) throw new Error('agent exited');
    return (await latest()) != null;
  }).catch((e) => { throw new Error(`${e.message}\n--- agent output ---\n${agent.output()}\n--- hub output ---\n${hub.output()}`); });
  say(`agent (pid ${agent.proc.pid}) is sending; measuring for ${DURATION_S} s`);

  const pid = agent.proc.pid;
  const hz = clockTicks();
  const t0 = performance.now();
  const ticks0 = cpuTicks(pid);
  let maxRss = rssKB(pid);
  for (let s = 1; s <= DURATION_S; s++) {
    await sleep(t0 + s * 1000 - performance.now());
    if (!agent.alive()) throw new Error(`the agent exited during the measurement\n${agent.output()}`);
    maxRss = Math.max(maxRss, rssKB(pid));
    if (s % 10 === 0 || s === DURATION_S) {
      const pct = ((cpuTicks(pid) - ticks0) / hz) / ((performance.now() - t0) / 1000) * 100;
      say(`${s} s: cpu ${pct.toFixed(2)} %, max rss ${(maxRss / 1024).toFixed(1)} MB`);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpuPct = ((cpuTicks(pid) - ticks0) / hz) / seconds * 100;
  // The agent must still have been sending at the end, or the figures mean nothing.
  const last = await latest();
  if (!last || Date.now() - last.ts > 5000) throw new Error(`the agent stopped sending metrics (last ${JSON.stringify(last?.ts)})`);
  return { cpuPct: Math.round(cpuPct * 100) / 100, rssMB: Math.round((maxRss / 1024) * 100) / 100 };
}

try {
  const result = await main();
  await cleanup();
  console.log(JSON.stringify(result));
} catch (e) {
  say(String(e instanceof Error ? e.message : e));
  await cleanup();
  process.exit(1);
}
