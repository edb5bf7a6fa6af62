/**
 * Starts the real built hub and agents (dist/*.mjs) as child processes for integration and
 * browser tests. Every process gets its own temporary DATA_DIR and free ports, and is killed
 * by stop() (tests call it in afterAll/afterEach).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname;
const DIST = join(ROOT, 'dist');

export function requireBuild(name: string): string {
  const file = join(DIST, name);
  if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first (npm test does)`);
  return file;
}

/** The lowest port the kernel hands out on its own (outgoing connections, listen(0)). */
function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A port nothing listens on now, chosen below the kernel's ephemeral range: a port from
 * listen(0) could be handed out again, before our process binds it, as the source port of
 * some other test's connection.
 */
export async function freePort(): Promise<number> {
  const high = ephemeralLow();
  const low = Math.max(1024, high - 12_000);
  for (let i = 0; i < 100; i++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port found between ${low} and ${high}`);
}

/**
 * The one setting that scales every test deadline: `UC_TEST_TIME_SCALE` (default 1). Tests wait
 * for events; a deadline only bounds how long a test waits for an event that never comes, so
 * raising the scale on a slow machine changes nothing when the event comes.
 */
export const TIME_SCALE = Math.max(1, Number(process.env['UC_TEST_TIME_SCALE']) || 1);

/** No wait for an event gives up sooner than this (at scale 1). */
const MIN_WAIT_MS = 30_000;

/** A test deadline of `ms` at scale 1. */
export function deadline(ms: number): number {
  return ms * TIME_SCALE;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Polls `fn` until it returns a truthy value or the deadline (`timeoutMs`, at least 30 s, scaled
 * by UC_TEST_TIME_SCALE) passes, then throws with `what`.
 */
export async function waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 60_000, everyMs = 100): Promise<NonNullable<T>> {
  // An event that comes ends the wait at once: a short deadline would only make a busy machine fail.
  timeoutMs = deadline(Math.max(timeoutMs, MIN_WAIT_MS));
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      lastError = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

export interface Proc {
  proc: ChildProcess;
  /** Everything the process printed so far (stdout and stderr), for failure messages. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function run(file: string, args: string[], env: Record<string, string>): Proc {
  const proc = spawn(process.execPath, [file, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => { out = (out + d.toString()).slice(-20_000); };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    proc,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill(signal);
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

export interface Hub extends Proc {
  url: string;
  wsUrl: string;
  agentUrl: string;
  dataDir: string;
  adminPassword: string;
  /** An Authorization header value for admin (Basic). */
  adminAuth: string;
  /** JSON request as admin (or with `auth` when given); returns status and parsed body. */
  api(method: string, path: string, body?: unknown, auth?: string): Promise<{ status: number; body: any }>;
}

export interface HubOptions {
  dataDir?: string;
  env?: Record<string, string>;
  keepDataDir?: boolean;
}

export async function startHub(opts: HubOptions = {}): Promise<Hub> {
  const file = requireBuild('hub.mjs');
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'uc-hub-'));
  // Ports given in env (a restart on the same ports) win over fresh ones.
  const httpPort = Number(opts.env?.['HUB_PORT'] ?? (await freePort()));
  const agentPort = Number(opts.env?.['AGENT_PORT'] ?? (await freePort()));
  const adminPassword = 'test-admin-password';
  const p = run(file, [], {
    ADMIN_PASSWORD: adminPassword, ...opts.env,
    DATA_DIR: dataDir, HUB_PORT: String(httpPort), AGENT_PORT: String(agentPort),
  });
  const url = `http://127.0.0.1:${httpPort}`;
  const adminAuth = `Basic ${Buffer.from(`admin:${adminPassword}`).toString('base64')}`;
  const api: Hub['api'] = async (method, path, body, auth = adminAuth) => {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  try {
    await waitFor('the hub to answer /api/health', async () => {
      if (p.proc.exitCode !== null) throw new Error(`hub exited with ${p.proc.exitCode}`);
      return (await fetch(`${url}/api/health`)).ok;
    });
  } catch (e) {
    await p.stop('SIGKILL');
    throw new Error(`${String(e)}\n--- hub output ---\n${p.output()}`);
  }
  return {
    ...p,
    url,
    wsUrl: `ws://127.0.0.1:${httpPort}/ws`,
    agentUrl: `wss://127.0.0.1:${agentPort}/agent`,
    dataDir,
    adminPassword,
    adminAuth,
    api,
    async stop(signal) {
      await p.stop(signal);
      if (!opts.keepDataDir && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface AgentOptions {
  id: string;
  type?: string;
  /** A join token to enroll with; by default a fresh one-use token is made as admin. */
  token?: string;
  /** Where the agent keeps its identity; by default one file per id in the hub's data dir. */
  stateFile?: string;
  /** Enroll under the default server id (the host name) instead of `--id id`; `id` then only names the state file. */
  hostnameId?: boolean;
  env?: Record<string, string>;
}

/** A one-use join token, made through the API as admin. */
export async function joinToken(hub: Pick<Hub, 'api'>, body: Record<string, unknown> = {}): Promise<string> {
  const r = await hub.api('POST', '/api/join-tokens', body);
  if (r.status !== 201) throw new Error(`cannot make a join token: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token as string;
}

/** Starts the built agent; it enrolls with a token unless its state file already holds an identity. */
export async function startAgent(hub: Pick<Hub, 'agentUrl' | 'dataDir' | 'api'>, opts: AgentOptions): Promise<Proc> {
  const file = requireBuild('agent.mjs');
  const stateFile = opts.stateFile ?? join(hub.dataDir, 'agents', `${opts.id}.json`);
  const args = ['--hub', hub.agentUrl, '--state-file', stateFile, ...(opts.hostnameId ? [] : ['--id', opts.id])];
  if (!existsSync(stateFile)) args.push('--token', opts.token ?? (await joinToken(hub, opts.type ? { type: opts.type } : {})));
  if (opts.type) args.push('--type', opts.type);
  return run(file, args, opts.env ?? {});
}

export interface CliResult { code: number | null; stdout: string; stderr: string }

/** Runs the built clusterctl against `hub` as admin (unless `env` says otherwise), with `input` on stdin (never a terminal). */
export function clusterctl(hub: Pick<Hub, 'url' | 'adminPassword'>, args: string[], opts: { env?: Record<string, string | undefined>; input?: string } = {}): Promise<CliResult> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    CLUSTERCTL_HUB: hub.url, CLUSTERCTL_USER: 'admin', CLUSTERCTL_PASSWORD: hub.adminPassword, CLUSTERCTL_TOKEN: undefined,
    ...opts.env,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [requireBuild('clusterctl.mjs'), ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
