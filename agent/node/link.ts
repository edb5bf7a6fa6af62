/**
 * The agent's connection to the hub: connect, hello, wait for welcome, then one metrics frame
 * per welcome.intervalMs; on any loss, reconnect after a jittered backoff. Nothing is queued:
 * a sample taken while the link is down, or while earlier frames still wait in the socket
 * buffer, is dropped, so a slow or absent hub costs the node no memory. The same holds for
 * frames sent through `send` (latency rounds).
 */
import type { SecureContext } from 'node:tls';
import WebSocket, { type ClientOptions } from 'ws';
import type {
  AgentFirstFrame, AgentMessage, AgentMetrics, HubEnrolled, HubToAgent, Job, JobResult, MetricsSample, ProbeTarget,
} from '../protocol/types.js';
import { checkHubToAgent, type Checked } from '../protocol/validate.js';
import { Backoff, type BackoffOptions } from './backoff.js';

export interface LinkOptions {
  /** ws:// or wss:// URL of the hub's agent socket. */
  url: string;
  /** The first frame of each connection: enroll until enrolled, hello after. */
  firstFrame: () => AgentFirstFrame;
  /** The hub's CA: the hub is verified against it alone (no system CAs, no host name check). */
  ca?: string;
  /**
   * The same trust as `ca`, made once (`createSecureContext({ ca })`) and shared by many links
   * (the fleet simulator): saves parsing the CA and a TLS context per connection.
   */
  secureContext?: SecureContext;
  /** The hub accepted the enrollment; resolve once the identity is safely stored. */
  onEnrolled?: (e: HubEnrolled) => Promise<void>;
  /** Runs a job the hub sent and answers it (refusals included). */
  onJob?: (job: Job) => Promise<JobResult>;
  /** Whether this node runs the Gluster status poll (a gluster-watch frame); false when the socket closes. */
  onGlusterWatch?: (report: boolean) => void;
  /** The hub's latest probe list (a probe-targets frame); [] when the socket closes, as each connection gets its own. */
  onProbeTargets?: (targets: ProbeTarget[]) => void;
  sample: () => Promise<MetricsSample>;
  /** One line per connect and disconnect (stderr in the agent). */
  log?: (line: string) => void;
  backoff?: BackoffOptions;
  /** A connection that stayed up this long after its welcome was healthy: the backoff starts over. */
  healthyMs?: number;
  /** Skip a sample while more than this many bytes are still waiting to be sent. */
  maxBufferedBytes?: number;
  /** Give up on a hub that does not answer hello within this time. */
  welcomeTimeoutMs?: number;
  /** Ping this often; a hub that has not ponged by the next ping is gone (half-open TCP). */
  pingMs?: number;
  /** Sample this often instead of every welcome.intervalMs (the simulator's --interval-ms). */
  intervalMs?: number;
  /**
   * Told when the link dials, is welcomed and loses its socket, with the backoff delay before
   * the next dial (none once stopped). The simulator counts these.
   */
  onStatus?: (status: LinkStatus, retryInMs?: number) => void;
  /**
   * Told when the hub refuses this agent (an error frame before the welcome) or closes its
   * socket because another connection took its identity (code `replaced`). Returning true
   * stops the link for good, as stop() does; otherwise it retries as for any loss.
   */
  onRefused?: (refusal: Refusal) => boolean;
}

/** The hub's reason for refusing this agent: its error frame's code and message. */
export interface Refusal { code: string; message: string }

/** Close code of a connection the hub replaced by a newer one for the same server. */
const REPLACED = 4409;

export type LinkStatus = 'dialing' | 'welcomed' | 'closed';

export interface Link {
  /** Closes the socket (or stops retrying) and resolves once it is closed. */
  stop(): Promise<void>;
  /** Sends a frame now if the hub has welcomed this connection and the buffer has room; else drops it (false). */
  send(frame: AgentMessage): boolean;
}

const OPEN = WebSocket.OPEN;

export function startLink(opts: LinkOptions): Link {
  const {
    url, firstFrame, sample, log = () => {}, healthyMs = 10_000, maxBufferedBytes = 16 * 1024,
    welcomeTimeoutMs = 10_000, pingMs = 20_000,
  } = opts;
  const backoff = new Backoff(opts.backoff);
  const onStatus = opts.onStatus ?? (() => {});
  const trust = opts.secureContext ?? opts.ca;
  let socket: WebSocket | undefined;
  /** The socket once welcomed: what `send` may use. */
  let ready: WebSocket | undefined;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  let onStopped = () => {};

  function connect(): void {
    retry = undefined;
    onStatus('dialing');
    const ws = new WebSocket(url, {
      handshakeTimeout: welcomeTimeoutMs,
      // Frames are small JSON; compression would cost a zlib context per socket for nothing.
      perMessageDeflate: false,
      maxPayload: 1024 * 1024,
      // The pinned CA is the trust anchor; the host name agents dial by (IP, NAT) need not be in
      // the certificate. Node's tls wants undefined for "fine" (ws's types say boolean).
      ...(trust ? {
        ...(opts.secureContext ? { secureContext: opts.secureContext } : { ca: opts.ca }),
        checkServerIdentity: (() => undefined) as unknown as ClientOptions['checkServerIdentity'],
      } : {}),
    });
    socket = ws;
    let welcomedAt = 0;
    let reason = '';
    let refusal: Refusal | undefined;
    let invalidFrames = 0;
    let refusedFrames = 0;
    let ticker: NodeJS.Timeout | undefined;
    let pinger: NodeJS.Timeout | undefined;
    const noWelcome = setTimeout(() => { reason = 'no welcome from the hub'; ws.terminate(); }, welcomeTimeoutMs);

    ws.on('open', () => {
      ws.send(JSON.stringify(firstFrame()));
      let alive = true;
      ws.on('pong', () => { alive = true; });
      pinger = setInterval(() => {
        if (!alive) { reason = 'the hub stopped answering pings'; ws.terminate(); return; }
        alive = false;
        ws.ping();
      }, pingMs);
    });

    ws.on('message', (data, isBinary) => {
      const result = isBinary ? { ok: false as const, error: 'a binary frame' } : checkFrame(String(data));
      if (!result.ok) {
        // Refused and otherwise ignored: a bad frame changes nothing. Logged once per connection.
        if (invalidFrames++ === 0) log(`ignoring an invalid frame from the hub: ${result.error}`);
        return;
      }
      const msg: HubToAgent = result.value;
      if (msg.type === 'error') {
        // Before the welcome it refuses this agent: give up on the socket. After it, the hub
        // refuses one frame and keeps the socket (closing it itself if it means to).
        const what = `the hub refused: ${msg.code}: ${msg.message}`;
        if (!welcomedAt) {
          reason = what;
          refusal = { code: msg.code, message: msg.message };
          ws.close(1000);
        } else if (refusedFrames++ === 0) log(what);
        return;
      }
      if (msg.type === 'enrolled') {
        log(`enrolled as ${msg.serverId}`);
        // Until the identity is on disk nothing else may happen: a lost credential is a lost node.
        ws.pause();
        void (opts.onEnrolled?.(msg) ?? Promise.resolve()).then(() => ws.resume(), (e: Error) => {
          reason = `cannot store the identity: ${e.message}`;
          ws.terminate();
        });
        return;
      }
      if (msg.type === 'job') {
        void opts.onJob?.(msg.job).then((r) => { if (ws.readyState === OPEN) ws.send(JSON.stringify(r)); });
        return;
      }
      if (msg.type === 'probe-targets') {
        opts.onProbeTargets?.(msg.targets);
        return;
      }
      if (msg.type === 'gluster-watch') {
        opts.onGlusterWatch?.(msg.report);
        return;
      }
      clearTimeout(noWelcome);
      if (!welcomedAt) {
        log(`connected to ${url} as ${msg.serverId}`);
        onStatus('welcomed');
      }
      welcomedAt ||= Date.now();
      backoff.floorMs = msg.reconnectSpreadMs ?? 0;
      ready = ws;
      clearInterval(ticker);
      ticker = startTicker(ws, opts.intervalMs ?? msg.intervalMs);
    });

    ws.on('error', (err) => { reason ||= err.message; });

    ws.on('close', (code, why) => {
      clearTimeout(noWelcome);
      clearInterval(ticker);
      clearInterval(pinger);
      socket = undefined;
      if (ready === ws) ready = undefined;
      // Only a connection that was welcomed can have handed over targets; failed dials clear nothing.
      if (welcomedAt) {
        opts.onProbeTargets?.([]);
        opts.onGlusterWatch?.(false);
      }
      if (welcomedAt && Date.now() - welcomedAt >= healthyMs) backoff.reset();
      if (code === REPLACED) refusal = { code: 'replaced', message: String(why) };
      if (!stopped && refusal && opts.onRefused?.(refusal)) stopped = true;
      if (stopped) {
        onStatus('closed');
        onStopped();
        return;
      }
      const delay = backoff.next();
      onStatus('closed', delay);
      const what = welcomedAt ? 'disconnected from the hub' : `cannot connect to ${url}`;
      const counts = [invalidFrames && `${invalidFrames} invalid frames`, refusedFrames && `${refusedFrames} frames refused`].filter(Boolean);
      const closed = `code ${code}${why.length ? ` ${String(why)}` : ''}`;
      log(`${what} (${[reason || closed, ...counts].join('; ')}); retrying in ${(delay / 1000).toFixed(1)} s`);
      retry = setTimeout(connect, delay);
    });
  }

  /** Samples every `intervalMs` and sends what the socket can take now. */
  function startTicker(ws: WebSocket, intervalMs: number): NodeJS.Timeout {
    let busy = false;
    let failed = false;
    return setInterval(() => {
      if (busy) return; // a sample still waiting on a slow statfs: do not stack another
      busy = true;
      sample().then((s) => {
        if (ws.readyState !== OPEN || ws.bufferedAmount > maxBufferedBytes) return;
        const frame: AgentMetrics = { v: 1, type: 'metrics', sample: s };
        ws.send(JSON.stringify(frame));
      }, (err: unknown) => {
        if (!failed) log(`cannot sample metrics: ${err instanceof Error ? err.message : String(err)}`);
        failed = true;
      }).finally(() => { busy = false; });
    }, intervalMs);
  }

  connect();

  return {
    send(frame) {
      if (ready?.readyState !== OPEN || ready.bufferedAmount > maxBufferedBytes) return false;
      ready.send(JSON.stringify(frame));
      return true;
    },
    stop() {
      stopped = true;
      clearTimeout(retry);
      const ws = socket;
      if (!ws) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => ws.terminate(), 2000);
        onStopped = () => { clearTimeout(force); resolve(); };
        ws.close(1001, 'agent stopping');
      });
    },
  };
}

/** A text frame parsed and validated against what the hub may send. */
function checkFrame(text: string): Checked<HubToAgent> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  return checkHubToAgent(data);
}
