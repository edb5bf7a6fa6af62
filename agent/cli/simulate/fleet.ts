/**
 * Many simulated agents in one process, each a real agent link (agent/node/link.ts): real TLS to
 * the hub's agent port, the CA pinned from the join token, enroll once then hello, one metrics
 * frame per welcome.intervalMs, reconnects with the agent's jittered backoff, jobs answered.
 *
 * What keeps 10,000 of them cheap:
 * - one TLS context (the pinned CA parsed once) shared by every connection;
 * - no compression (the link turns perMessageDeflate off: no zlib context per socket);
 * - starts spread at `connectRate` per second by one timer, and at most `maxPending` agents
 *   started but not yet welcomed, so TLS handshakes and enrollments never arrive as a herd (on
 *   a busy machine the starts slow down to what the hub absorbs instead of piling up retries);
 *   each link's 1 s ticker starts at its welcome, so samples stay spread
 *   over the interval as the connects were, and reconnects after a hub restart are spread by the
 *   backoff's full jitter;
 * - per-agent timers are the link's own setInterval/setTimeout: Node keeps all timers of one
 *   duration in a single list behind one native timer (a timing wheel already), so 10,000 tickers
 *   cost one list walk a second, not 10,000 kernel timers;
 * - synthetic samples are a few arithmetic operations (synthetic.ts).
 */
import { createSecureContext } from 'node:tls';
import type { BackoffOptions } from '../../node/backoff.js';
import { JobGuard } from '../../node/job-guard.js';
import { startLink, type Link, type LinkStatus } from '../../node/link.js';
import type { AgentFirstFrame, Job, JobResult } from '../../protocol/types.js';
import { VERSION } from '../../version.js';
import type { IdentityFile } from './identities.js';
import { syntheticNode, type SyntheticNode } from './synthetic.js';

export const AGENT_VERSION = `${VERSION}-sim`.slice(0, 32);

export interface FleetOptions {
  /** How many agents: ids `${idPrefix}00001` … */
  agents: number;
  /** wss://HOST:PORT/agent */
  url: string;
  /** Where identities are kept; also holds the pinned CA. */
  identities: IdentityFile;
  /** For agents without an identity yet. */
  joinToken?: string;
  idPrefix?: string;
  /** Agents started per second (first connects and enrollments). */
  connectRate?: number;
  /** Most agents started but not yet welcomed a first time; the next start waits (default 500). */
  maxPending?: number;
  /** Sample this often instead of what the hub's welcome asks. */
  intervalMs?: number;
  /** Tests shorten the reconnect backoff. */
  backoff?: BackoffOptions;
}

export interface FleetCounts {
  agents: number;
  /** Agents started so far (the rest wait for their turn). */
  started: number;
  /** Agents holding an identity (enrolled in this run or an earlier one). */
  enrolled: number;
  /** Agents welcomed by the hub and still connected. */
  connected: number;
  dials: number;
  welcomes: number;
  enrollsSent: number;
  hellosSent: number;
  /** Distinct agents that sent at least one hello in this run. */
  agentsSaidHello: number;
  /** Distinct agents that sent at least one enroll in this run. */
  agentsEnrolled: number;
  /** Link messages other than connects (refusals, lost connections). */
  problems: number;
  lastProblem?: string;
}

export interface Fleet {
  counts(): FleetCounts;
  /** Dials (connection attempts, first ones and reconnects) per wall-clock second: epoch second → count. */
  dialsPerSecond(): Record<string, number>;
  /**
   * Reconnects per second they were due (when the lost connection was noticed plus the backoff
   * delay): the spread the agents' backoff asked for, which a busy simulator can only bunch up.
   */
  retriesDuePerSecond(): Record<string, number>;
  /** Closes every link; resolves once all are closed and identities are on disk. */
  stop(): Promise<void>;
}

interface SimAgent {
  readonly id: string;
  readonly node: SyntheticNode;
  link?: Link;
  guard?: JobGuard;
  connected: boolean;
  saidHello: boolean;
  enrolled: boolean;
  /** Welcomed at least once. */
  welcomed: boolean;
}

/**
 * How many agents the starter may start now: as many as `rate` a second allows since `t0`,
 * while fewer than `maxPending` started agents are still waiting for their first welcome.
 */
export function startsAllowed(o: { now: number; t0: number; rate: number; started: number; waitingFirst: number; maxPending: number; total: number }): number {
  const byRate = Math.min(o.total, Math.floor(((o.now - o.t0) * o.rate) / 1000) + 1) - o.started;
  return Math.max(0, Math.min(byRate, o.maxPending - o.waitingFirst));
}

const START_TICK_MS = 10;
/**
 * How long a simulated agent waits for its welcome (or its enrolled answer) before it gives up
 * on the connection: longer than the real agent's 10 s, because thousands of agents share one hub
 * and an enrollment the hub stored but the agent stopped waiting for is a credential lost for good.
 */
const WELCOME_TIMEOUT_MS = 30_000;

/** `sim-00042`: fixed width, so a rerun with another count names the same agents the same way. */
export function simulatedId(prefix: string, index: number): string {
  return `${prefix}${String(index + 1).padStart(5, '0')}`;
}

export function startFleet(o: FleetOptions): Fleet {
  const prefix = o.idPrefix ?? 'sim-';
  const rate = Math.max(1, o.connectRate ?? 200);
  const maxPending = Math.max(1, o.maxPending ?? 500);
  let everWelcomed = 0;
  const secureContext = createSecureContext({ ca: o.identities.caPem });
  const agents: SimAgent[] = [];
  const dials = new Map<number, number>();
  const retriesDue = new Map<number, number>();
  const count = (m: Map<number, number>, ms: number) => {
    const second = Math.floor(ms / 1000);
    m.set(second, (m.get(second) ?? 0) + 1);
  };
  const perSecond = (m: Map<number, number>) => Object.fromEntries([...m].sort((x, y) => x[0] - y[0]));
  const c = {
    started: 0, connected: 0, dials: 0, welcomes: 0, enrollsSent: 0, hellosSent: 0, agentsSaidHello: 0,
    agentsEnrolled: 0, problems: 0, lastProblem: undefined as string | undefined,
  };
  let stopped = false;

  for (let i = 0; i < o.agents; i++) {
    const id = simulatedId(prefix, i);
    agents.push({ id, node: syntheticNode(i, id), connected: false, saidHello: false, enrolled: false, welcomed: false });
  }

  function firstFrame(a: SimAgent): AgentFirstFrame {
    const credential = o.identities.credential(a.id);
    const facts = { agentVersion: AGENT_VERSION, inventory: a.node.inventory };
    if (credential) {
      c.hellosSent++;
      if (!a.saidHello) c.agentsSaidHello++;
      a.saidHello = true;
      return { v: 1, type: 'hello', serverId: a.id, credential, ...facts };
    }
    c.enrollsSent++;
    if (!a.enrolled) c.agentsEnrolled++;
    a.enrolled = true;
    return { v: 1, type: 'enroll', token: o.joinToken ?? '', serverId: a.id, serverType: a.node.type, ...facts };
  }

  function status(a: SimAgent, s: LinkStatus, retryInMs?: number): void {
    if (s === 'dialing') {
      c.dials++;
      count(dials, Date.now());
    } else if (s === 'welcomed') {
      c.welcomes++;
      if (!a.welcomed) everWelcomed++;
      a.welcomed = true;
      if (!a.connected) c.connected++;
      a.connected = true;
    } else {
      if (retryInMs !== undefined) count(retriesDue, Date.now() + retryInMs);
      if (a.connected) {
        a.connected = false;
        c.connected--;
      }
    }
  }

  async function runJob(a: SimAgent, job: Job): Promise<JobResult> {
    const refused = (a.guard ??= new JobGuard(() => a.id)).check(job);
    if (refused) return { v: 1, type: 'job-result', jobId: job.id, ok: false, error: refused };
    return { v: 1, type: 'job-result', jobId: job.id, ok: true, inventory: a.node.inventory };
  }

  function start(a: SimAgent): void {
    c.started++;
    a.link = startLink({
      url: o.url,
      secureContext,
      welcomeTimeoutMs: WELCOME_TIMEOUT_MS,
      firstFrame: () => firstFrame(a),
      onEnrolled: (e) => o.identities.add(e.serverId, e.credential),
      onJob: (job) => runJob(a, job),
      sample: () => Promise.resolve(a.node.sample(Date.now())),
      onStatus: (s, retryInMs) => status(a, s, retryInMs),
      log: (line) => {
        if (line.startsWith('connected to ') || line.startsWith('enrolled as ')) return;
        c.problems++;
        c.lastProblem = `${a.id}: ${line}`;
      },
      ...(o.intervalMs ? { intervalMs: o.intervalMs } : {}),
      ...(o.backoff ? { backoff: o.backoff } : {}),
    });
  }

  // One timer starts the agents, `rate` a second and at most `maxPending` waiting, then stops.
  // Time spent waiting for room does not count towards the rate: no burst once room comes.
  let t0 = Date.now();
  let next = 0;
  const starter = setInterval(() => {
    const now = Date.now();
    const n = startsAllowed({ now, t0, rate, started: next, waitingFirst: next - everWelcomed, maxPending, total: agents.length });
    if (n === 0 && next - everWelcomed >= maxPending) t0 = now - (next * 1000) / rate;
    for (let i = 0; i < n && !stopped; i++) start(agents[next++]!);
    if (next >= agents.length) clearInterval(starter);
  }, START_TICK_MS);

  return {
    counts: () => ({ agents: agents.length, enrolled: agents.filter((a) => o.identities.credential(a.id)).length, ...c }),
    dialsPerSecond: () => perSecond(dials),
    retriesDuePerSecond: () => perSecond(retriesDue),
    async stop() {
      stopped = true;
      clearInterval(starter);
      await Promise.all(agents.map((a) => a.link?.stop()));
      await o.identities.save();
    },
  };
}
