#!/usr/bin/env node
// What a fleet costs the hub: starts the built hub (dist/hub.mjs, temporary DATA_DIR, free ports,
// everything on 127.0.0.1) and, as a SEPARATE process, `clusterctl simulate` with AGENTS agents
// (default 10,000; real TLS, real protocol), waits until every agent is connected and sampling,
// then measures for DURATION_S seconds (default 60):
// - hubCpuPct: the hub's utime+stime over wall time (/proc/PID/stat), percent of one core;
// - hubRssMB: the largest VmRSS of the hub (/proc/PID/status), sampled every second;
// - p50Ms/p99Ms: from an agent's sample (sample.ts) to its arrival at a browser-like client
//   (POST /api/ticket → /ws → auth → snapshot → deltas), over every sample received (same clock).
// So the load generator does not skew the hub's figures, the hub runs alone on CPU 0 and the
// simulator and this client on CPU 1 (taskset; without taskset the simulator runs under nice).
// Progress goes to stderr; the last stdout line is
// {"agents": N, "hubCpuPct": x, "hubRssMB": y, "p50Ms": a, "p99Ms": b}.
// Goals at 10,000 agents: hubCpuPct <= 100, hubRssMB <= 1024, p99Ms <= 500.
// HUB_CPU_PROF=DIR writes a V8 CPU profile of the hub there (node --cpu-prof) and prints the
// measurement window on the profile's clock, for bench/profile-summary.mjs; HUB_NODE_ARGS adds
// node options for the hub (e.g. --trace-gc), HUB_ENV="K=V …" environment variables;
// HUB_LOG=FILE appends the hub's output there; HUB_BUNDLE=FILE runs another build of the hub
// (an older one, for before/after figures); HUB_LAG=1 reports the hub's event-loop delay
// (from /metrics, scraped just before and after the window: the scrapes inflate the hub's RSS).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { clockTicks, cpuSplit, cpuTicks, rssKB } from './proc-stats.mjs';
import { freePort, has, start } from './procs.mjs';
import { sleep, waitFor } from './wait.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const AGENTS = Number(process.env.AGENTS ?? 10_000);
const DURATION_S = Number(process.env.DURATION_S ?? 60);
const CONNECT_RATE = Number(process.env.CONNECT_RATE ?? 200);
const SETTLE_S = Number(process.env.SETTLE_S ?? 5);
const CPU_PROF = process.env.HUB_CPU_PROF;
const SIM_CPU_PROF = process.env.SIM_CPU_PROF;

const say = (line) => process.stderr.write(`fleet: ${line}\n`);

/** Soft and hard limits on open files of a process. */
function fileLimits(pid = 'self') {
  const m = /^Max open files\s+(\d+)\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return m ? { soft: Number(m[1]), hard: Number(m[2]) } : { soft: Infinity, hard: Infinity };
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** A browser-like client: ticket, /ws, auth, snapshot, then deltas; latency of every metrics entry. */
function browserClient(wsUrl, ticket) {
  const ws = new WebSocket(wsUrl, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  const state = { snapshot: false, recording: false, latencies: [], frames: 0, bytes: 0, closed: null, gaps: [], last: 0, worst: [] };
  ws.on('open', () => ws.send(JSON.stringify({ v: 1, type: 'auth', ticket })));
  ws.on('message', (data) => {
    const now = Date.now(); // before parsing: the parse is the client's cost, not the hub's
    const msg = JSON.parse(data.toString());
    if (msg.type === 'snapshot') state.snapshot = true;
    if (msg.type !== 'delta' || !state.recording) return;
    state.frames++;
    state.bytes += data.length;
    if (state.last) state.gaps.push(now - state.last);
    state.last = now;
    let worst = 0;
    for (const id in msg.metrics ?? {}) {
      const ms = now - msg.metrics[id].ts;
      state.latencies.push(ms);
      if (ms > worst) worst = ms;
    }
    state.worst.push([now, worst, data.length, process.hrtime.bigint() / 1000n]);
  });
  ws.on('close', (code, reason) => { state.closed = `${code} ${reason}`; });
  return { state, close: () => ws.close() };
}

// BENCH_DIR=DIR keeps the hub's data and the simulator's identities there (and reuses them: a
// second run measures an enrolled fleet saying hello, e.g. against another HUB_BUNDLE).
const KEEP = process.env.BENCH_DIR;
const dataDir = KEEP ?? mkdtempSync(join(tmpdir(), 'uc-bench-fleet-'));
if (KEEP) mkdirSync(KEEP, { recursive: true });
const passwordFile = join(dataDir, 'admin-password');
const password = existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : randomBytes(12).toString('hex');
if (KEEP) writeFileSync(passwordFile, password, { mode: 0o600 });
const auth = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
const procs = [];

async function cleanup() {
  // The simulator first (SIGINT: it closes its sockets cleanly), then the hub.
  for (const p of [...procs].reverse()) await p.stop(p.name === 'simulator' ? 'SIGINT' : 'SIGTERM').catch(() => {});
  if (!KEEP) rmSync(dataDir, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => { void cleanup().then(() => process.exit(130)); });

async function main() {
  for (const f of ['hub.mjs', 'clusterctl.mjs']) {
    if (!existsSync(join(ROOT, 'dist', f))) throw new Error(`dist/${f} is missing: run "npm run build" (npm run bench:fleet does)`);
  }
  // Open files: the hub and the simulator each hold one socket per agent.
  const needFiles = AGENTS + 1024;
  const own = fileLimits();
  let limitPrefix = [];
  if (own.soft < needFiles) {
    if (!has('prlimit')) throw new Error(`${AGENTS} agents need ${needFiles} open files per process but the limit is ${own.soft} and prlimit is missing: raise it (ulimit -n ${needFiles}) and rerun`);
    const target = process.getuid?.() === 0 ? Math.max(needFiles, 65_536) : own.hard;
    if (target < needFiles) throw new Error(`${AGENTS} agents need ${needFiles} open files per process; the hard limit is ${own.hard}`);
    limitPrefix = ['prlimit', `--nofile=${target}:${target}`, '--'];
  }
  const pin = has('taskset');
  const hubPrefix = [...limitPrefix, ...(pin ? ['taskset', '-c', '0'] : [])];
  const simPrefix = [...limitPrefix, ...(pin ? ['taskset', '-c', '1'] : has('nice') ? ['nice', '-n', '10'] : [])];
  if (pin) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  say(pin ? 'hub pinned to CPU 0; simulator and this client to CPU 1 (taskset)' : 'no taskset: the simulator runs under nice -n 10 and shares the cores');
  if (limitPrefix.length) say(`open-file limit raised for the hub and the simulator (${limitPrefix.slice(0, 2).join(' ')})`);

  // A kept directory keeps its ports too: the simulator's identities name the agent socket.
  const portsFile = join(dataDir, 'ports');
  const [hubPort, agentPort] = existsSync(portsFile)
    ? readFileSync(portsFile, 'utf8').trim().split(' ').map(Number)
    : [await freePort(), await freePort()];
  if (KEEP) writeFileSync(portsFile, `${hubPort} ${agentPort}`);
  const hubUrl = `http://127.0.0.1:${hubPort}`;
  const hubArgs = [
    ...(CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF] : []),
    ...(process.env.HUB_NODE_ARGS ?? '').split(' ').filter(Boolean), process.env.HUB_BUNDLE ?? 'dist/hub.mjs',
  ];
  const hub = start('hub', hubPrefix, hubArgs, {
    DATA_DIR: join(dataDir, 'hub'), HUB_HOST: '127.0.0.1', HUB_PORT: String(hubPort),
    AGENT_HOST: '127.0.0.1', AGENT_PORT: String(agentPort), ADMIN_PASSWORD: password,
    ...Object.fromEntries((process.env.HUB_ENV ?? '').split(' ').filter(Boolean).map((kv) => kv.split('='))),
  }, { logFile: process.env.HUB_LOG });
  procs.push(hub);
  say(`hub (pid ${hub.proc.pid}) on ${hubUrl}, agent socket on :${agentPort}`);
  await waitFor('the hub to answer /api/health', async () => {
    if (!hub.alive()) throw new Error('hub exited');
    return (await fetch(`${hubUrl}/api/health`)).status === 200;
  }, 30_000, 500).catch((e) => { throw new Error(`${e.message}\n--- hub output ---\n${hub.output()}`); });
  const hubLimits = fileLimits(hub.proc.pid);
  if (hubLimits.soft < needFiles) throw new Error(`the hub's open-file limit is ${hubLimits.soft}, below the ${needFiles} needed`);

  const sim = start('simulator', simPrefix, [
    ...(SIM_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', SIM_CPU_PROF] : []), 'dist/clusterctl.mjs', '--hub', hubUrl, 'simulate', '--agents', String(AGENTS), '--hub-agent-url', `wss://127.0.0.1:${agentPort}/agent`,
    '--state-dir', join(dataDir, 'simulator'), '--connect-rate', String(CONNECT_RATE),
  ], { CLUSTERCTL_USER: 'admin', CLUSTERCTL_PASSWORD: password }, { keepStdout: true });
  procs.push(sim);
  say(`simulator (pid ${sim.proc.pid}): ${AGENTS} agents, ${CONNECT_RATE} starts a second`);

  const stats = async () => {
    const res = await fetch(`${hubUrl}/api/stats`, { headers: { authorization: auth } });
    if (!res.ok) throw new Error(`GET /api/stats: ${res.status}`);
    return res.json();
  };
  const t0 = Date.now();
  const hz = clockTicks();
  let lastSaid = 0;
  let lastTicks = { at: performance.now(), hub: cpuTicks(hub.proc.pid), sim: cpuTicks(sim.proc.pid) };
  await waitFor(`all ${AGENTS} agents to be connected and sampling`, async () => {
    if (!hub.alive()) throw new Error(`the hub exited\n${hub.output()}`);
    if (!sim.alive()) throw new Error(`the simulator exited\n${sim.output()}`);
    const s = await stats();
    const sampling = s.servers.byStatus.active + s.servers.byStatus.warning;
    if (Date.now() - lastSaid >= 5000) {
      const now = { at: performance.now(), hub: cpuTicks(hub.proc.pid), sim: cpuTicks(sim.proc.pid) };
      const pct = (k) => (((now[k] - lastTicks[k]) / hz) / ((now.at - lastTicks.at) / 1000) * 100).toFixed(0);
      say(`${Math.round((Date.now() - t0) / 1000)} s: ${s.servers.total} servers, ${s.agents.connected} connected, ${sampling} sampling `
        + `(cpu: hub ${pct('hub')} %, simulator ${pct('sim')} %)`);
      lastSaid = Date.now();
      lastTicks = now;
    }
    return s.agents.connected >= AGENTS && sampling >= AGENTS;
  }, (AGENTS / CONNECT_RATE) * 1000 + 180_000, 500).catch((e) => {
    throw new Error(`${e.message}\n--- simulator output ---\n${sim.output()}\n--- hub output ---\n${hub.output()}`);
  });
  say(`all ${AGENTS} connected and sampling after ${Math.round((Date.now() - t0) / 1000)} s; settling ${SETTLE_S} s`);
  await sleep(SETTLE_S * 1000);

  const ticketRes = await fetch(`${hubUrl}/api/ticket`, { method: 'POST', headers: { authorization: auth } });
  if (!ticketRes.ok) throw new Error(`POST /api/ticket: ${ticketRes.status}`);
  const client = browserClient(`ws://127.0.0.1:${hubPort}/ws`, (await ticketRes.json()).ticket);
  await waitFor('the browser snapshot', () => client.state.snapshot, 30_000, 500);
  // The hub's event-loop delay over the window: /metrics reports it since the previous scrape,
  // so one scrape just before and one just after (rendering 10,000 servers is outside the window).
  const scrape = async () => {
    const res = await fetch(`${hubUrl}/metrics`, { headers: { authorization: auth, 'accept-encoding': 'gzip' } });
    const text = await res.text();
    const value = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    return { p99: value('nodejs_eventloop_lag_p99_seconds'), max: value('nodejs_eventloop_lag_max_seconds') };
  };
  const LAG = process.env.HUB_LAG === '1'; // the scrapes cost the hub memory: only when asked
  if (LAG) await scrape();
  // The snapshot of 10,000 servers is megabytes the hub has just built and sent: measure the
  // steady state after it.
  await sleep(3000);
  client.state.recording = true;

  const pid = hub.proc.pid;
  const simPid = sim.proc.pid;
  const m0 = performance.now();
  const wall0 = Date.now();
  const mono0 = process.hrtime.bigint();
  const ticks0 = cpuTicks(pid);
  const split0 = cpuSplit(pid);
  const simTicks0 = cpuTicks(simPid);
  let maxRss = rssKB(pid);
  say(`measuring for ${DURATION_S} s`);
  for (let s = 1; s <= DURATION_S; s++) {
    await sleep(m0 + s * 1000 - performance.now());
    if (!hub.alive()) throw new Error(`the hub exited during the measurement\n${hub.output()}`);
    if (!sim.alive()) throw new Error(`the simulator exited during the measurement\n${sim.output()}`);
    maxRss = Math.max(maxRss, rssKB(pid));
    if (s % 10 === 0 || s === DURATION_S) {
      const secs = (performance.now() - m0) / 1000;
      const pct = ((cpuTicks(pid) - ticks0) / hz) / secs * 100;
      const simPct = ((cpuTicks(simPid) - simTicks0) / hz) / secs * 100;
      say(`${s} s: hub cpu ${pct.toFixed(1)} %, max rss ${(maxRss / 1024).toFixed(0)} MB; simulator cpu ${simPct.toFixed(1)} %; `
        + `${client.state.latencies.length} samples in ${client.state.frames} deltas`);
    }
  }
  const seconds = (performance.now() - m0) / 1000;
  const mono1 = process.hrtime.bigint();
  const hubCpuPct = ((cpuTicks(pid) - ticks0) / hz) / seconds * 100;
  const split1 = cpuSplit(pid);
  say(`hub cpu: user ${(((split1.user - split0.user) / hz) / seconds * 100).toFixed(1)} %, system ${(((split1.sys - split0.sys) / hz) / seconds * 100).toFixed(1)} %`);
  const simCpuPct = ((cpuTicks(simPid) - simTicks0) / hz) / seconds * 100;
  client.state.recording = false;
  const lag = LAG ? await scrape() : { p99: NaN, max: NaN };
  client.close();
  if (client.state.closed && client.state.closed !== '1005 ') say(`browser socket closed: ${client.state.closed}`);
  const end = await stats();
  if (end.agents.connected < AGENTS) throw new Error(`only ${end.agents.connected} of ${AGENTS} agents were still connected at the end`);
  const lat = Float64Array.from(client.state.latencies).sort();
  const expected = AGENTS * seconds;
  say(`${lat.length} samples reached the browser client (${(100 * lat.length / expected).toFixed(1)} % of ${Math.round(expected)} sent); `
    + `${client.state.frames} deltas, ${(client.state.bytes / Math.max(1, client.state.frames) / 1024).toFixed(0)} KiB each on average; `
    + `latency min ${lat[0]} ms, max ${lat[lat.length - 1]} ms; simulator cpu ${simCpuPct.toFixed(1)} %`);
  const gaps = Float64Array.from(client.state.gaps).sort();
  say(`latency p90 ${percentile(lat, 90)} ms, p99.9 ${percentile(lat, 99.9)} ms; gaps between deltas p50 ${percentile(gaps, 50)} ms, `
    + `p99 ${percentile(gaps, 99)} ms, max ${gaps[gaps.length - 1]} ms; hub event-loop delay p99 ${(lag.p99 * 1000).toFixed(0)} ms, max ${(lag.max * 1000).toFixed(0)} ms`);
  const worst = client.state.worst.sort((a, b) => b[1] - a[1]).slice(0, 5)
    .map(([at, ms, bytes, mono]) => `${ms} ms at +${((at - wall0) / 1000).toFixed(1)} s (${(bytes / 1024).toFixed(0)} KiB, monotonic µs ${mono})`);
  say(`slowest deltas: ${worst.join(', ')}`);
  if (lat.length < expected * 0.9) throw new Error(`only ${lat.length} of ~${Math.round(expected)} samples reached the browser client`);
  if (CPU_PROF) say(`profile window (µs, monotonic): ${mono0 / 1000n} ${mono1 / 1000n}`);
  return {
    agents: AGENTS,
    hubCpuPct: Math.round(hubCpuPct * 10) / 10,
    hubRssMB: Math.round(maxRss / 1024),
    p50Ms: percentile(lat, 50),
    p99Ms: percentile(lat, 99),
  };
}

try {
  const r = await main();
  await cleanup();
  console.log(`{"agents": ${r.agents}, "hubCpuPct": ${r.hubCpuPct}, "hubRssMB": ${r.hubRssMB}, "p50Ms": ${r.p50Ms}, "p99Ms": ${r.p99Ms}}`);
} catch (e) {
  say(String(e instanceof Error ? e.message : e));
  await cleanup();
  process.exit(1);
}
