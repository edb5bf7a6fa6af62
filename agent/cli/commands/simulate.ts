/**
 * `clusterctl simulate --agents N`: N simulated agents in this process, speaking the real agent
 * protocol over real TLS to the hub's agent port (simulate/fleet.ts), for demos and load tests.
 * Runs until SIGINT/SIGTERM (or --duration); progress on stderr, a JSON summary on stdout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJoinToken } from '../../protocol/join-token.js';
import { fetchPinnedCa, PinMismatch } from '../../node/pin.js';
import { fingerprintOf } from '../../hub/pki/pki.js';
import { optionValue, type Invocation } from '../args.js';
import type { Command, Context } from '../command.js';
import { CliError, UsageError } from '../errors.js';
import { startFleet, simulatedId, type FleetCounts } from '../simulate/fleet.js';
import { IdentityFile } from '../simulate/identities.js';

const DEFAULT_STATE_DIR = 'uc-simulate';
const STATE_FILE = 'simulate.json';
const TOKEN_MINUTES = 60;

function wholeNumber(inv: Invocation, option: string, min: number, max: number): number | undefined {
  const raw = optionValue(inv, option);
  if (raw === undefined) return undefined;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`--${option} must be a whole number from ${min} to ${max}, not '${raw}'`, inv.command.path);
  return n;
}

/** The soft limit on open files, from /proc (undefined where there is none). */
function openFileLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The agent socket from an older hub's answer to POST /api/join-tokens (its install command named it). */
function agentUrlFromInstall(installCommand: unknown): string | undefined {
  return typeof installCommand === 'string' ? /--hub (wss:\/\/\S+)/.exec(installCommand)?.[1] : undefined;
}

function checkAgentUrl(raw: string, command: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--hub-agent-url '${raw}' is not a URL (wss://HOST:PORT/agent)`, command);
  }
  if (url.protocol !== 'wss:') throw new UsageError(`--hub-agent-url must start with wss:// (the agent port is TLS only), not ${url.protocol}//`, command);
  return url.href;
}

export interface SimulateSettings {
  agents: number;
  stateDir: string;
  agentUrl?: string;
  joinToken?: string;
  intervalMs?: number;
  connectRate: number;
  maxPending: number;
  idPrefix: string;
  durationS?: number;
}

export function simulateSettings(inv: Invocation): SimulateSettings {
  const path = inv.command.path;
  const agentUrl = optionValue(inv, 'hub-agent-url');
  const joinToken = optionValue(inv, 'join-token');
  if (joinToken !== undefined && !parseJoinToken(joinToken)) throw new UsageError(`--join-token is not a join token (uc1.…, as 'clusterctl tokens create' prints it)`, path);
  const idPrefix = optionValue(inv, 'id-prefix') ?? 'sim-';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$/.test(idPrefix)) throw new UsageError(`--id-prefix '${idPrefix}' must be letters, digits, '.', '_' or '-' (at most 41)`, path);
  return {
    agents: wholeNumber(inv, 'agents', 1, 100_000)!,
    stateDir: optionValue(inv, 'state-dir') ?? DEFAULT_STATE_DIR,
    ...(agentUrl === undefined ? {} : { agentUrl: checkAgentUrl(agentUrl, path) }),
    ...(joinToken === undefined ? {} : { joinToken }),
    ...(optionValue(inv, 'interval-ms') === undefined ? {} : { intervalMs: wholeNumber(inv, 'interval-ms', 100, 60_000)! }),
    connectRate: wholeNumber(inv, 'connect-rate', 1, 100_000) ?? 200,
    maxPending: wholeNumber(inv, 'max-pending', 1, 100_000) ?? 500,
    idPrefix,
    ...(optionValue(inv, 'duration') === undefined ? {} : { durationS: wholeNumber(inv, 'duration', 1, 31 * 86_400)! }),
  };
}

const progressLine = (c: FleetCounts, dialsPerS: number) =>
  `simulate: ${c.agents} agents: ${c.started} started, ${c.enrolled} enrolled, ${c.connected} connected` +
  ` (${dialsPerS} dials in the last second${c.problems ? `; ${c.problems} problems, last: ${c.lastProblem ?? ''}` : ''})\n`;

/**
 * Runs the simulation until `until` settles. The identities file, the token and the pinned CA
 * are sorted out first, so every refusal happens before any agent starts.
 */
export async function simulate({ io, client }: Context, s: SimulateSettings, until: Promise<void>): Promise<void> {
  const limit = openFileLimit();
  if (limit !== undefined && s.agents + 64 > limit) {
    throw new CliError(`${s.agents} agents need ${s.agents + 64} open files but the limit is ${limit}: raise it first (ulimit -n ${s.agents + 1024}, or prlimit --nofile=N:N)`);
  }
  const file = join(s.stateDir, STATE_FILE);
  let identities = IdentityFile.load(file);
  if (identities && s.agentUrl && identities.hub !== s.agentUrl) {
    throw new CliError(`${file} holds agents of the hub at ${identities.hub}, not ${s.agentUrl}: choose another --state-dir`);
  }
  let missing = 0;
  for (let i = 0; i < s.agents; i++) if (!identities?.credential(simulatedId(s.idPrefix, i))) missing++;

  let joinToken = s.joinToken;
  let agentUrl = s.agentUrl ?? identities?.hub;
  if (missing > 0 && !joinToken) {
    const made = await client.request('POST', '/api/join-tokens', { body: { uses: missing, expiresInMinutes: TOKEN_MINUTES } }) as { token?: unknown; agentUrl?: unknown; installCommand?: unknown };
    if (typeof made.token !== 'string') throw new CliError(`the hub at ${client.hubUrl} answered POST /api/join-tokens without a token`);
    joinToken = made.token;
    agentUrl ??= typeof made.agentUrl === 'string' ? made.agentUrl : agentUrlFromInstall(made.installCommand);
    io.err(`simulate: made a join token for ${missing} agents (expires in ${TOKEN_MINUTES} minutes)\n`);
  }
  agentUrl ??= `wss://${new URL(client.hubUrl).hostname}:10443/agent`;
  const pin = joinToken ? parseJoinToken(joinToken) : null;
  if (identities && pin && fingerprintOf(identities.caPem) !== pin.caFingerprint) {
    throw new CliError(`${file} pins another hub CA than the join token names (the hub was set up anew?): choose another --state-dir or remove ${file}`);
  }
  if (!identities) {
    if (!pin) throw new CliError(`no ${file} yet and no join token`);
    let caPem: string;
    try {
      caPem = await fetchPinnedCa(agentUrl, pin.caFingerprint);
    } catch (e) {
      throw new CliError(e instanceof PinMismatch ? e.message : `cannot reach the hub's agent port at ${agentUrl}: ${(e as Error).message}`);
    }
    identities = IdentityFile.create(file, agentUrl, caPem);
    await identities.save(); // fail now on an unwritable --state-dir, not at the first enrollment
  }

  io.err(`simulate: ${s.agents} agents (${s.agents - missing} enrolled before, ${missing} to enroll) → ${agentUrl}, ${s.connectRate} starts a second; state in ${file}; Ctrl-C stops\n`);
  const fleet = startFleet({
    agents: s.agents, url: agentUrl, identities, idPrefix: s.idPrefix, connectRate: s.connectRate, maxPending: s.maxPending,
    ...(joinToken ? { joinToken } : {}), ...(s.intervalMs ? { intervalMs: s.intervalMs } : {}),
  });
  let lastDials = 0;
  let lastLine = '';
  let quietSince = Date.now();
  const progress = setInterval(() => {
    const c = fleet.counts();
    const line = progressLine(c, c.dials - lastDials);
    lastDials = c.dials;
    // Every second while something changes, every 10 s when the fleet is steady.
    const key = `${c.started}/${c.enrolled}/${c.connected}/${c.problems}`;
    if (key !== lastLine || Date.now() - quietSince >= 10_000) {
      io.err(line);
      quietSince = Date.now();
    }
    lastLine = key;
  }, 1000);
  const timeout = s.durationS ? new Promise<void>((r) => setTimeout(r, s.durationS! * 1000).unref()) : new Promise<void>(() => {});
  await Promise.race([until, timeout]);
  clearInterval(progress);
  io.err('simulate: stopping\n');
  await fleet.stop();
  const c = fleet.counts();
  io.err(progressLine({ ...c, connected: 0 }, 0));
  io.out(`${JSON.stringify({ ...c, dialsPerSecond: fleet.dialsPerSecond(), retriesDuePerSecond: fleet.retriesDuePerSecond() })}\n`);
}

/** Resolves on the first SIGINT or SIGTERM; `dispose` removes the handlers. */
function signalled(): { promise: Promise<void>; dispose: () => void } {
  let done = () => {};
  const promise = new Promise<void>((resolve) => { done = resolve; });
  const onSignal = () => done();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { promise, dispose: () => { process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal); } };
}

const simulateCommand: Command = {
  path: ['simulate'],
  summary: 'run N simulated agents against a hub (real protocol, real TLS) for demos and load tests',
  details: 'Each simulated agent enrolls once, with one join token for all of them (made through the API with --hub and '
    + 'your credentials unless --join-token is given; it needs the "enroll agents" permission), pins the hub\'s CA from the '
    + 'token, and keeps its identity in --state-dir (one JSON file, mode 0600): a rerun says hello instead of enrolling again, '
    + 'and needs neither a token nor credentials. Then every agent sends made-up but plausible metrics every second (or '
    + '--interval-ms) until Ctrl-C. Agents start --connect-rate a second; reconnects use the agent\'s jittered backoff. '
    + 'Progress goes to stderr; on exit a JSON summary goes to stdout: counts, dials per second, and reconnects per second '
    + 'they were due (what the backoff asked for). '
    + 'Each agent holds one connection: raise the open-file limit for large fleets (ulimit -n).',
  positionals: [],
  options: [
    { name: 'agents', value: 'N', required: true, help: 'how many agents (1 to 100000); ids are ID-PREFIX00001 …' },
    { name: 'hub-agent-url', value: 'URL', help: 'the hub\'s agent socket, wss://HOST:PORT/agent (default: as the hub names it when the token is made, or the state file\'s)' },
    { name: 'join-token', value: 'TOKEN', help: 'a join token with enough uses for the agents not enrolled yet (default: one is made through the API)' },
    { name: 'state-dir', value: 'DIR', help: `where the agents' identities are kept (default ./${DEFAULT_STATE_DIR})` },
    { name: 'interval-ms', value: 'MS', help: 'send metrics this often (default: what the hub asks, 1000)' },
    { name: 'connect-rate', value: 'N', help: 'agents started per second (default 200: TLS handshakes and enrollments cost the hub most)' },
    { name: 'max-pending', value: 'N', help: 'at most N agents started but not yet welcomed; further starts wait (default 500)' },
    { name: 'id-prefix', value: 'PREFIX', help: 'server ids are PREFIX00001 … (default sim-)' },
    { name: 'duration', value: 'SECONDS', help: 'stop after this long (default: run until Ctrl-C)' },
  ],
  examples: [
    'clusterctl simulate --agents 100',
    'clusterctl --hub http://10.0.0.5:8080 simulate --agents 10000 --hub-agent-url wss://10.0.0.5:10443/agent --state-dir /tmp/sim',
    'clusterctl simulate --agents 50 --join-token uc1.… --hub-agent-url wss://hub.example:10443/agent',
  ],
  async run(ctx, inv) {
    const settings = simulateSettings(inv);
    const signal = signalled();
    try {
      await simulate(ctx, settings, signal.promise);
    } finally {
      signal.dispose();
    }
  },
};

export const simulateCommands: readonly Command[] = [simulateCommand];
