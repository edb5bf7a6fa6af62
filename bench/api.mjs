#!/usr/bin/env node
// The REST API under load: starts the built hub (dist/hub.mjs, temporary DATA_DIR, free ports,
// everything on 127.0.0.1), imports a model of SERVERS servers (default 10,000) in CLUSTERS
// clusters of equal size (default 100) with SERVERS/2 connections, makes CLIENTS API tokens
// (default 200), then runs bench/api-load.mjs as a SEPARATE process: CLIENTS concurrent clients,
// one per token, with the read/write mix and the think time (THINK_MS) described there, for
// DURATION_S seconds (default 60).
// The hub runs alone on CPU 0, the load and this script on CPU 1 (taskset; without taskset the
// load runs under nice). Measured:
// - reqPerS: requests answered a second, over all clients;
// - readP99Ms, writeP99Ms: from sending a request to the last byte of its answer;
// - errors: requests answered with another status than expected, or not at all;
// - hubRssMB: the largest VmRSS of the hub, sampled every second.
// Progress goes to stderr; the last stdout line is
// {"reqPerS": r, "readP99Ms": a, "writeP99Ms": b, "errors": n, "hubRssMB": m}.
// Goals: readP99Ms <= 50, writeP99Ms <= 250, errors 0. HUB_BUNDLE=FILE runs another build of the
// hub (an older one, for before/after figures); HUB_CPU_PROF=DIR writes a V8 CPU profile of it.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { clockTicks, cpuTicks, rssKB, schedSeconds } from './proc-stats.mjs';
import { freePort, has, start } from './procs.mjs';
import { sleep, waitFor } from './wait.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const SERVERS = Number(process.env.SERVERS ?? 10_000);
const CLUSTERS = Number(process.env.CLUSTERS ?? 100);
const CLIENTS = Number(process.env.CLIENTS ?? 200);
const DURATION_S = Number(process.env.DURATION_S ?? 60);
const say = (line) => process.stderr.write(`api: ${line}\n`);

const TYPES = ['web', 'database', 'cache', 'loadbalancer', 'dns', 'filesystem', 'monitoring', 'backup', 'security'];
const sid = (i) => `s${String(i).padStart(5, '0')}`;

/** The model every run starts from: servers, a connection from every even server to the next, clusters. */
function model() {
  const servers = Array.from({ length: SERVERS }, (_, i) => ({
    id: sid(i), name: `Server ${i}`, type: TYPES[i % TYPES.length],
    address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, region: `r${i % 8}`, labels: { tier: `t${i % 4}` }, ports: [22, 80],
  }));
  const connections = [];
  for (let i = 0; i + 1 < SERVERS; i += 2) connections.push({ id: `${sid(i)}:${sid(i + 1)}`, from: sid(i), to: sid(i + 1), type: 'http' });
  const per = Math.ceil(SERVERS / CLUSTERS);
  const clusters = Array.from({ length: CLUSTERS }, (_, c) => ({
    name: `c${String(c).padStart(3, '0')}`, servers: servers.slice(c * per, (c + 1) * per).map((s) => s.id),
  }));
  return { format: 'unlimited-cluster', version: 1, servers, connections, clusters, layout: {} };
}

const dataDir = mkdtempSync(join(tmpdir(), 'uc-bench-api-'));
const password = randomBytes(12).toString('hex');
const admin = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
const procs = [];
async function cleanup() {
  for (const p of [...procs].reverse()) await p.stop().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => { void cleanup().then(() => process.exit(130)); });

async function main() {
  if (!existsSync(join(ROOT, 'dist/hub.mjs'))) throw new Error('dist/hub.mjs is missing: run "npm run build" (npm run bench:api does)');
  const pin = has('taskset');
  if (pin) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  say(pin ? 'hub pinned to CPU 0; the load and this script to CPU 1 (taskset)' : 'no taskset: the load runs under nice -n 10 and shares the cores');
  say(`load average at the start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const hubPort = await freePort();
  const hubUrl = `http://127.0.0.1:${hubPort}`;
  const hub = start('hub', pin ? ['taskset', '-c', '0'] : [], [
    ...(process.env.HUB_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.HUB_CPU_PROF] : []), process.env.HUB_BUNDLE ?? 'dist/hub.mjs',
  ], { DATA_DIR: join(dataDir, 'hub'), HUB_HOST: '127.0.0.1', HUB_PORT: String(hubPort), AGENT_HOST: '127.0.0.1', AGENT_PORT: '0', ADMIN_PASSWORD: password });
  procs.push(hub);
  await waitFor('the hub to answer /api/health', async () => {
    if (!hub.alive()) throw new Error('hub exited');
    return (await fetch(`${hubUrl}/api/health`)).ok;
  }, 30_000, 300).catch((e) => { throw new Error(`${e.message}\n--- hub output ---\n${hub.output()}`); });

  const call = async (method, path, body) => {
    const res = await fetch(hubUrl + path, { method, headers: { authorization: admin, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  };
  const imported = await call('POST', '/api/import', model());
  say(`imported ${imported.servers} servers, ${imported.connections} connections, ${imported.clusters} clusters`);
  const tokens = [];
  for (let i = 0; i < CLIENTS; i++) tokens.push((await call('POST', '/api/api-tokens', { name: `bench-${i}` })).token);
  say(`${CLIENTS} API tokens; load for ${DURATION_S} s`);

  const load = start('load', pin ? ['taskset', '-c', '1'] : has('nice') ? ['nice', '-n', '10'] : [], ['bench/api-load.mjs'], {
    HUB_URL: hubUrl, API_TOKENS: JSON.stringify(tokens), SERVERS: String(SERVERS), CLUSTERS: String(CLUSTERS), DURATION_S: String(DURATION_S),
    ...(process.env.THINK_MS ? { THINK_MS: process.env.THINK_MS } : {}),
  }, { keepStdout: true });
  procs.push(load);
  let maxRss = rssKB(hub.proc.pid);
  const t0 = Date.now();
  const hz = clockTicks();
  const hubTicks0 = cpuTicks(hub.proc.pid);
  const sched0 = schedSeconds(hub.proc.pid);
  while (load.alive()) {
    await Promise.race([load.exited, sleep(1000)]);
    if (!hub.alive()) throw new Error(`the hub exited under load\n${hub.output()}`);
    maxRss = Math.max(maxRss, rssKB(hub.proc.pid));
    const s = Math.round((Date.now() - t0) / 1000);
    if (s % 10 === 0) say(`${s} s: hub rss ${(rssKB(hub.proc.pid) / 1024).toFixed(0)} MB, load average ${loadavg()[0].toFixed(2)}`);
  }
  const wall = (Date.now() - t0) / 1000;
  const hubCpu = ((cpuTicks(hub.proc.pid) - hubTicks0) / hz / wall) * 100;
  const sched1 = schedSeconds(hub.proc.pid);
  if (load.proc.exitCode !== 0) throw new Error(`the load exited with ${load.proc.exitCode}\n${load.output()}`);
  const r = JSON.parse(load.stdout().trim().split('\n').pop());
  say(`${r.requests} requests in ${r.seconds.toFixed(1)} s (${r.reads} reads, ${r.writes} writes); read p50 ${r.readP50Ms} ms, write p50 ${r.writeP50Ms} ms`);
  say(`cpu: hub ${hubCpu.toFixed(0)} % of a core, load client ${r.cpuPct} %; the hub's main thread ran ${(sched1.run - sched0.run).toFixed(1)} s `
    + `and waited ${(sched1.wait - sched0.wait).toFixed(1)} s for a CPU (runnable, others running) in ${wall.toFixed(0)} s`);
  if (r.errors) say(`first errors: ${r.firstErrors.join('; ')}`);
  say(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const end = await call('GET', '/api/stats');
  if (end.servers.total < SERVERS) throw new Error(`the hub holds ${end.servers.total} servers at the end, not ${SERVERS}`);
  return { reqPerS: Math.round(r.requests / r.seconds), readP99Ms: r.readP99Ms, writeP99Ms: r.writeP99Ms, errors: r.errors, hubRssMB: Math.round(maxRss / 1024) };
}

try {
  const r = await main();
  await cleanup();
  console.log(JSON.stringify(r));
} catch (e) {
  say(String(e instanceof Error ? e.message : e));
  await cleanup();
  process.exit(1);
}
