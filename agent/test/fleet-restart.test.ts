/**
 * A hub restart under 5,000 agents: the real built hub and `clusterctl simulate` (5,000 agents
 * over real TLS, enrolled once). The hub is stopped (SIGTERM), stays down for DOWN_MS, and starts
 * again on the same DATA_DIR and ports. Every agent must come back (the deadline is generous and
 * scaled by UC_TEST_TIME_SCALE; how fast they come back is bench:fleet's business), without a
 * thundering herd, and nothing may be lost: no
 * agent enrolls again, every one says hello with the credential it kept, and the hub still holds
 * all 5,000 servers and credentials.
 *
 * The herd bound. The hub tells every agent in its welcome to spread its first reconnect over
 * S = agents / 250 s (agent/hub/sockets/reconnect-spread.ts): 20 s for 5,000 (re-told to every
 * agent by the sweep that follows a change, which the test waits for). An agent's backoff
 * (agent/node/backoff.ts: full jitter) then never draws from a window shorter than S, so any
 * one draw lands in a given second with probability at most 1/20. An agent whose first dial
 * comes before the hub is back (DOWN_MS of the 20 s) fails at once and draws once more, again
 * from at least 20 s. So the expected share of the fleet due in any one second is at most
 * 1/20 · (1 + DOWN_MS / 20 s) ≈ 5.5 %. The test allows 10 % (the binomial noise over 5,000
 * agents is about 0.3 %); without the spread the first retries of the whole fleet would fall
 * in the backoff's first 0.5 s window, and a quick restart would meet all of them at once.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Hub, deadline, freePort, requireBuild, sleep, startHub, waitFor } from './harness.js';

const AGENTS = 5000;
const DOWN_MS = 2000;
const SWEEP_MS = 7500; // agent-gateway.ts: PING_MS / 2
const RECONNECT_LIMIT_MS = 180_000;
const HERD_SHARE = 0.1;

/** Raises this process's open-file limit (children inherit it) when it is too low for the fleet. */
function ensureOpenFiles(need: number): void {
  const m = /^Max open files\s+(\d+)\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  const soft = Number(m?.[1] ?? Infinity);
  const hard = Number(m?.[2] ?? Infinity);
  if (soft >= need) return;
  const target = process.getuid?.() === 0 ? Math.max(need, 65_536) : hard;
  if (target < need) throw new Error(`the test needs ${need} open files; the hard limit is ${hard} (raise it: ulimit -n ${need})`);
  execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${target}:${target}`]);
}

interface Summary {
  agents: number;
  enrolled: number;
  enrollsSent: number;
  hellosSent: number;
  agentsEnrolled: number;
  agentsSaidHello: number;
  dialsPerSecond: Record<string, number>;
  retriesDuePerSecond: Record<string, number>;
}

let dir: string;
let hub: Hub | undefined;
let sim: { proc: ChildProcess; stdout: () => string; output: () => string; exited: Promise<void> } | undefined;
let ports: { HUB_PORT: string; AGENT_PORT: string };

async function connected(h: Hub): Promise<number> {
  const r = await h.api('GET', '/api/stats');
  return r.status === 200 ? (r.body.agents.connected as number) : 0;
}

beforeAll(async () => {
  ensureOpenFiles(AGENTS + 1024);
  dir = mkdtempSync(join(tmpdir(), 'uc-fleet-restart-'));
  ports = { HUB_PORT: String(await freePort()), AGENT_PORT: String(await freePort()) };
  hub = await startHub({ dataDir: join(dir, 'hub'), env: ports });
  const proc = spawn(process.execPath, [
    requireBuild('clusterctl.mjs'), '--hub', hub.url, 'simulate', '--agents', String(AGENTS),
    '--hub-agent-url', hub.agentUrl, '--state-dir', join(dir, 'sim'), '--connect-rate', '400', '--max-pending', '200',
  ], { env: { ...process.env, CLUSTERCTL_USER: 'admin', CLUSTERCTL_PASSWORD: hub.adminPassword }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let output = '';
  proc.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
  proc.stderr?.on('data', (d: Buffer) => { output = (output + d.toString()).slice(-8000); });
  sim = { proc, stdout: () => stdout, output: () => output, exited: new Promise((r) => proc.once('exit', () => r())) };
  const h = hub;
  await waitFor(`all ${AGENTS} simulated agents to enroll and connect`, async () => {
    if (proc.exitCode !== null) throw new Error(`the simulator exited: ${output}`);
    return (await connected(h)) === AGENTS;
  }, 600_000, 1000).catch((e) => {
    throw new Error(`${String(e)}\n--- simulator ---\n${output}\n--- hub ---\n${h.output()}`);
  });
}, deadline(660_000));

afterAll(async () => {
  if (sim && sim.proc.exitCode === null) {
    sim.proc.kill('SIGKILL');
    await sim.exited;
  }
  await hub?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`a hub restart under ${AGENTS} agents`, () => {
  it('brings every agent back, spread by the backoff, with nothing lost', async () => {
    const before = (await hub!.api('GET', '/api/backup')).body as { servers: { id: string }[]; agentCredentials: { serverId: string; hash: string }[] };
    expect(before.agentCredentials).toHaveLength(AGENTS);
    await sleep(SWEEP_MS); // every agent has heard the spread for the whole fleet


    const downAt = Date.now();
    await hub!.stop('SIGTERM');
    await sleep(Math.max(0, downAt + DOWN_MS - Date.now()));
    const upAt = Date.now();
    hub = await startHub({ dataDir: join(dir, 'hub'), env: ports });
    const h = hub;
    await waitFor(`all ${AGENTS} agents to reconnect`, async () => (await connected(h)) === AGENTS, RECONNECT_LIMIT_MS, 500)
      .catch(async (e) => {
        throw new Error(`${String(e)} (${await connected(h)} are back)\n--- simulator ---\n${sim!.output()}\n--- hub ---\n${h.output()}`);
      });
    const backMs = Date.now() - upAt;
    console.log(`fleet-restart: all ${AGENTS} agents back ${(backMs / 1000).toFixed(1)} s after the hub was started again (down ${DOWN_MS / 1000} s)`);

    sim!.proc.kill('SIGINT');
    await sim!.exited;
    const summary = JSON.parse(sim!.stdout().trim().split('\n').pop() ?? '{}') as Summary;

    // Nothing lost: one enrollment per agent, all before the restart; every agent said hello
    // with its kept credential; the hub kept every server and credential.
    expect(summary).toMatchObject({ agents: AGENTS, enrolled: AGENTS, enrollsSent: AGENTS, agentsEnrolled: AGENTS, agentsSaidHello: AGENTS });
    const after = (await h.api('GET', '/api/backup')).body as typeof before;
    const ids = (list: { serverId: string }[]) => list.map((c) => c.serverId).sort();
    expect(ids(after.agentCredentials)).toEqual(ids(before.agentCredentials));
    expect(after.agentCredentials.map((c) => c.hash).sort()).toEqual(before.agentCredentials.map((c) => c.hash).sort());
    expect(after.servers).toHaveLength(AGENTS);
    const stateFile = join(dir, 'sim', 'simulate.json');
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    expect(Object.keys((JSON.parse(readFileSync(stateFile, 'utf8')) as { agents: object }).agents)).toHaveLength(AGENTS);

    // No herd: reconnects per second they were due from the restart on (the bound is explained
    // above). The due time is what each agent's backoff asked for; the dials a busy simulator
    // actually made (thousands of TLS handshakes in one process) can bunch up behind its event
    // loop, which real agents, each on its own machine, do not; they are shown for information.
    const since = Math.floor(upAt / 1000);
    const fromRestart = (perSecond: Record<string, number>) => Object.entries(perSecond).filter(([s]) => Number(s) >= since).map(([, n]) => n);
    const due = fromRestart(summary.retriesDuePerSecond);
    const dials = fromRestart(summary.dialsPerSecond);
    const busiest = Math.max(...due);
    console.log(`fleet-restart: ${due.reduce((a, b) => a + b, 0)} reconnects due over ${due.length} s after the restart, at most ${busiest} `
      + `(${(100 * busiest / AGENTS).toFixed(1)} %) in one second; dials made: at most ${Math.max(...dials)} in one second`);
    expect(busiest).toBeLessThanOrEqual(AGENTS * HERD_SHARE);
  }, deadline(300_000));
});
