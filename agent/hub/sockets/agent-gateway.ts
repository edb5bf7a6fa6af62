/**
 * The agent socket (wss://AGENT_HOST:AGENT_PORT/agent, TLS only). An agent's first frame is
 * either `enroll` (a join token) or `hello` (the credential it got when it enrolled). From then
 * on the connection is bound to that one server id: a metrics frame can only update its own
 * server. Every frame is validated and rate-limited; a newer connection for the same server
 * replaces the older one; an agent whose credential goes away or is replaced (revoked, server
 * deleted or re-enrolled, restored state, an import without it) is disconnected at once. Only the hub gives jobs, over this socket. Each agent
 * is told what to probe (its connections' targets) and reports latency for those alone.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { PROTOCOL_VERSION } from '../../protocol/common.js';
import type {
  AgentFirstFrame, GaleraNodeStatus, GlusterStatus, HubGlusterWatch, HubJob, HubProbeTargets, HubWelcome, Inventory, Job, JobResult, LatencyResult, LbStatus, State,
} from '../../protocol/types.js';
import { check, validators } from '../../protocol/validate.js';
import type { Live } from '../live/live.js';
import type { ConnectionLatency } from '../latency/connection-latency.js';
import { ProbeTargetTracker } from '../latency/probe-targets.js';
import type { Store } from '../store.js';
import { confirmCredential, credentialHash, verifyCredential } from '../enroll/credentials.js';
import { type Enrollment, enrollAgent, undoEnrollment } from '../enroll/enroll-agent.js';
import { HttpError } from '../errors.js';
import { recordAgentFacts } from '../model/servers.js';
import { FrameRate } from './frame-rate.js';
import { parseFrame } from './parse-frame.js';
import { reconnectSpreadMs } from './reconnect-spread.js';

export const METRICS_INTERVAL_MS = 1000;
const FIRST_FRAME_TIMEOUT_MS = 10_000;
const PING_MS = 15_000;
const MAX_FRAME = 64 * 1024;
/** Invalid frames tolerated from one connection before it is closed. */
const MAX_INVALID = 10;
const JOB_TTL_MS = 60_000;


/** The address to show for a new agent's server: its own first address when it dials over loopback. */
function agentAddress(remoteAddress: string, inventory: Inventory): string {
  const remote = remoteAddress.replace(/^::ffff:/, '');
  const loopback = remote === '::1' || remote.startsWith('127.');
  const own = inventory.interfaces?.find((i) => i.ip4 && !i.ip4.startsWith('127.'))?.ip4;
  return loopback && own ? own : remote || '127.0.0.1';
}

interface PendingJob {
  job: Job;
  resolve: (r: JobResult) => void;
  timer: NodeJS.Timeout;
  onProgress?: (step: string) => void;
}

/** What a job may carry besides its kind (load-balancing and Galera jobs), who hears its progress, and how long to wait for it. */
export interface JobOptions {
  payload?: Pick<Job, 'lb' | 'expect' | 'galera' | 'gluster'>;
  onProgress?: (step: string) => void;
  /** Longer than the default for jobs that wait on a daemon (a Galera join with SST). */
  timeoutMs?: number;
}

export class AgentGateway {
  private wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  private byServer = new Map<string, WebSocket>();
  /** The hash of the credential each registered connection proved (or was given). */
  private heldHash = new Map<WebSocket, string>();
  private jobs = new Map<string, PendingJob>();
  private probes = new ProbeTargetTracker();
  private credentialsSeen: State['agentCredentials'];
  /**
   * Whether each registered connection was heard from (a valid frame or a pong) since the last
   * sweep. One timer sweeps them all: a connection heard from needs no ping; a silent one is
   * pinged, and closed if still silent at the next sweep (a half-open TCP connection).
   */
  private liveness = new Map<WebSocket, { heard: boolean; pinged: boolean }>();
  private sweeper = setInterval(() => this.sweep(), PING_MS / 2).unref();
  /** Agents enrolled on their current connection whose first frame since has not come yet. */
  private unconfirmed = new Set<string>();
  /** The reconnect spread last told to every connected agent (the ones welcomed since know a newer one). */
  private spreadBroadcast = 0;

  constructor(private readonly svc: {
    store: Store; live: Live; latency: ConnectionLatency; log: (msg: string) => void;
    /** Told each load balancer's live status (lb-status frames). */
    onLbStatus?: (serverId: string, status: LbStatus) => void;
    /** Told each Galera node's live status (galera-status frames). */
    onGaleraStatus?: (serverId: string, cluster: string, status: GaleraNodeStatus, at?: number) => void;
    /** Told each Gluster reporter's status (gluster-status frames). */
    onGlusterStatus?: (serverId: string, status: GlusterStatus) => void;
    /** Told when an agent's connection is registered (after its welcome) and when it goes. */
    onAgentLink?: (serverId: string, connected: boolean) => void;
  }) {}

  /** Whether the server's agent is connected now. */
  isConnected(serverId: string): boolean {
    return this.byServer.get(serverId)?.readyState === WebSocket.OPEN;
  }

  /** Tells a connected agent whether to report its Gluster status; false when it is not connected. */
  sendGlusterWatch(serverId: string, report: boolean): boolean {
    const ws = this.byServer.get(serverId);
    if (ws?.readyState !== WebSocket.OPEN) return false;
    const frame: HubGlusterWatch = { v: PROTOCOL_VERSION, type: 'gluster-watch', report };
    ws.send(JSON.stringify(frame));
    return true;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const ws of this.byServer.values()) ws.close(1012, 'hub restarting');
    this.wss.close();
  }

  /** Disconnects every agent whose credential is gone or was replaced (revoked, deleted, re-enrolled, restored away). */
  syncCredentials(state: State): void {
    // Most changes leave the credentials as they were; the others cost one pass, not one per agent.
    if (state.agentCredentials === this.credentialsSeen) return;
    this.credentialsSeen = state.agentCredentials;
    const current = new Map((state.agentCredentials ?? []).map((c) => [c.serverId, c.hash]));
    for (const [id, ws] of this.byServer) {
      if (current.get(id) !== this.heldHash.get(ws)) {
        this.svc.log(`agent '${id}': credential revoked, disconnecting`);
        ws.close(4403, 'revoked');
      }
    }
  }

  /** Sends each connected agent whose probe list changed (or that has none yet) its new list. */
  syncProbeTargets(state: State): void {
    for (const [id, list] of this.probes.update(state, this.byServer.keys())) {
      const ws = this.byServer.get(id);
      if (ws?.readyState !== WebSocket.OPEN) continue;
      if (list.total > list.targets.length) this.svc.log(`agent '${id}': probing ${list.targets.length} of its ${list.total} connections (the most per agent)`);
      const frame: HubProbeTargets = { v: PROTOCOL_VERSION, type: 'probe-targets', targets: list.targets };
      ws.send(JSON.stringify(frame));
    }
  }

  /** Sends a job to a connected agent and waits for its result (refusals included). */
  runJob(serverId: string, kind: Job['kind'], opts: JobOptions = {}): Promise<JobResult> {
    const ws = this.byServer.get(serverId);
    if (!ws) return Promise.reject(new HttpError(409, 'agent_offline', `the agent of '${serverId}' is not connected`));
    const now = Date.now();
    const job: Job = { id: randomBytes(12).toString('hex'), serverId, kind, issuedAt: now, expiresAt: now + JOB_TTL_MS, ...opts.payload };
    const waitMs = opts.timeoutMs ?? JOB_TTL_MS;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.jobs.delete(job.id);
        reject(new HttpError(504, 'job_timeout', `the agent of '${serverId}' did not answer the job within ${Math.round(waitMs / 1000)} s`));
      }, waitMs);
      this.jobs.set(job.id, { job, resolve, timer, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
      const frame: HubJob = { v: PROTOCOL_VERSION, type: 'job', job };
      ws.send(JSON.stringify(frame));
    });
  }

  /** Sized to every enrolled agent, not just the connected ones: right after a restart, all may come. */
  private spread(): number {
    return reconnectSpreadMs((this.svc.store.state.agentCredentials ?? []).length);
  }

  private welcome(ws: WebSocket, serverId: string): void {
    const frame: HubWelcome = { v: PROTOCOL_VERSION, type: 'welcome', serverId, intervalMs: METRICS_INTERVAL_MS, reconnectSpreadMs: this.spread() };
    ws.send(JSON.stringify(frame));
  }

  private sweep(): void {
    // A fleet that grew (or shrank) since its agents were welcomed hears the new spread again.
    const spread = this.spread();
    if (spread !== this.spreadBroadcast) {
      this.spreadBroadcast = spread;
      for (const [id, ws] of this.byServer) if (ws.readyState === WebSocket.OPEN) this.welcome(ws, id);
    }
    for (const [ws, l] of this.liveness) {
      if (l.heard) {
        l.heard = false;
        l.pinged = false;
      } else if (l.pinged) {
        ws.terminate();
      } else {
        l.pinged = true;
        ws.ping();
      }
    }
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    // Only strings from `req`: closures that live as long as the socket must not keep the request.
    const remote = req.socket.remoteAddress ?? '';
    const who = `${remote}:${req.socket.remotePort}`;
    const refuse = (code: string, message: string, closeCode = 4400) => {
      this.svc.log(`agent ${who}: ${message}`);
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'error', code, message }));
      ws.close(closeCode, code);
    };
    const timer = setTimeout(() => refuse('timeout', `no enroll or hello within ${FIRST_FRAME_TIMEOUT_MS / 1000} s`), FIRST_FRAME_TIMEOUT_MS);
    ws.on('error', (e) => {
      this.svc.log(`agent ${who}: ${e.message}`);
      ws.terminate();
    });
    ws.once('message', (data, isBinary) => {
      clearTimeout(timer);
      const checked = check(validators.agentFirstFrame, parseFrame(data, isBinary));
      if (!checked.ok) return refuse('invalid_message', `invalid first frame: ${checked.error}`);
      void this.authenticate(ws, remote, checked.value).then(
        ({ id, hash }) => this.register(ws, remote, id, hash),
        (e: Error & { reason?: string }) => {
          const http = e instanceof HttpError;
          refuse(http ? e.code : 'internal', http ? e.message : `could not register: ${e.message}`, http ? 4401 : 1011);
          if (e.reason) this.svc.log(`agent ${who}: ${e.reason}`);
        },
      );
    });
  }

  /** Enrolls or checks the credential; returns the server id the connection is bound to and its credential's hash. */
  private async authenticate(ws: WebSocket, remote: string, first: AgentFirstFrame): Promise<{ id: string; hash: string }> {
    const agent = { version: first.agentVersion, inventory: first.inventory };
    if (first.type === 'hello') {
      if (!verifyCredential(this.svc.store.state, first.serverId, first.credential)) {
        throw Object.assign(new HttpError(401, 'unauthorized', 'unknown or revoked agent credential'), { reason: `bad credential for '${first.serverId}'` });
      }
      // Most hellos change nothing: they must not wait behind a state write (a slow disk under a
      // reconnect storm would hold up the whole fleet).
      const change = (s: State) => confirmCredential(recordAgentFacts(s, first.serverId, agent), first.serverId);
      if (change(this.svc.store.state) !== this.svc.store.state) await this.svc.store.update(change);
      return { id: first.serverId, hash: credentialHash(first.credential) };
    }
    const gone = () => new Error('the agent hung up before its enrollment was answered; nothing was kept');
    let enrolled: Enrollment | undefined;
    const defaultId = first.inventory.hostname.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63) || 'node';
    await this.svc.store.update((s) => {
      // Under load an enrollment can wait in the store's queue longer than the agent waits.
      if (ws.readyState !== WebSocket.OPEN) throw gone();
      enrolled = enrollAgent(s, first, defaultId, agentAddress(remote, first.inventory));
      return enrolled.state;
    });
    const { state: _state, ...done } = enrolled!;
    if (ws.readyState !== WebSocket.OPEN) {
      // It left while the state was written: take it back so a retry with the same token works.
      await this.svc.store.update((s) => undoEnrollment(s, done));
      throw gone();
    }
    const { serverId, credential } = done;
    this.unconfirmed.add(serverId);
    this.svc.log(`agent '${serverId}' enrolled from ${remote}`);
    ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'enrolled', serverId, credential }));
    return { id: serverId, hash: credentialHash(credential) };
  }

  private register(ws: WebSocket, remote: string, id: string, hash: string): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    // The credential may have been revoked or replaced while the hello or enrollment was written.
    if ((this.svc.store.state.agentCredentials ?? []).find((c) => c.serverId === id)?.hash !== hash) {
      this.svc.log(`agent '${id}': credential revoked, disconnecting`);
      return ws.close(4403, 'revoked');
    }
    this.byServer.get(id)?.close(4409, 'replaced by a newer connection for the same server');
    this.byServer.set(id, ws);
    this.heldHash.set(ws, hash);
    this.probes.forget(id); // a new connection gets the whole list after its welcome
    this.svc.live.connected(id);
    this.svc.log(`agent '${id}' connected from ${remote}`);

    const rate = new FrameRate();
    let invalid = 0;
    const liveness = { heard: true, pinged: false };
    this.liveness.set(ws, liveness);
    ws.on('pong', () => (liveness.heard = true));
    ws.on('message', (data, isBinary) => {
      const verdict = rate.hit();
      if (verdict === 'close') {
        this.svc.log(`agent '${id}': flooding, disconnected`);
        return ws.close(4429, 'too many frames');
      }
      const checked = check(validators.agentMessage, parseFrame(data, isBinary));
      // Over the rate, samples may go; a job's progress and result may not (the flood limit
      // above still closes a connection that abuses this).
      if (verdict === 'drop' && !(checked.ok && (checked.value.type === 'job-result' || checked.value.type === 'job-progress'))) return;
      if (!checked.ok) {
        this.svc.log(`agent '${id}': invalid frame: ${checked.error}`);
        ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'error', code: 'invalid_message', message: checked.error }));
        if (++invalid >= MAX_INVALID) ws.close(4400, 'too many invalid frames');
        return;
      }
      liveness.heard = true;
      // A frame after the welcome proves the agent got its credential: 'enrolled' came before.
      if (this.unconfirmed.delete(id)) void this.svc.store.update((s) => confirmCredential(s, id)).catch((e: Error) => this.svc.log(`agent '${id}': ${e.message}`));
      const msg = checked.value;
      if (msg.type === 'metrics') this.svc.live.record(id, msg.sample);
      else if (msg.type === 'latency') this.latency(id, msg.results);
      else if (msg.type === 'job-progress') this.jobProgress(id, msg.jobId, msg.step);
      else if (msg.type === 'lb-status') this.svc.onLbStatus?.(id, msg.status);
      else if (msg.type === 'galera-status') this.svc.onGaleraStatus?.(id, msg.cluster, msg.status, msg.at);
      else if (msg.type === 'gluster-status') this.svc.onGlusterStatus?.(id, msg.status);
      else this.jobResult(id, msg);
    });
    ws.on('close', () => {
      this.liveness.delete(ws);
      this.heldHash.delete(ws);
      if (this.byServer.get(id) !== ws) return;
      this.unconfirmed.delete(id);
      this.byServer.delete(id);
      this.probes.forget(id);
      this.svc.live.disconnected(id);
      this.svc.log(`agent '${id}' disconnected`);
      this.svc.onAgentLink?.(id, false);
    });
    this.welcome(ws, id);
    this.syncProbeTargets(this.svc.store.state);
    this.svc.onAgentLink?.(id, true);
  }

  /** Records a latency frame; results for connections this server does not start are ignored. */
  private latency(id: string, results: LatencyResult[]): void {
    const refused = this.svc.latency.record(id, results);
    if (refused.length) this.svc.log(`agent '${id}': ignored latency for ${refused.length} connection(s) it does not start (${refused.slice(0, 3).join(', ')})`);
  }

  private jobProgress(id: string, jobId: string, step: string): void {
    const pending = this.jobs.get(jobId);
    if (pending?.job.serverId === id) pending.onProgress?.(step);
  }

  private jobResult(id: string, result: JobResult): void {
    const pending = this.jobs.get(result.jobId);
    if (!pending || pending.job.serverId !== id) {
      this.svc.log(`agent '${id}': result for a job it was not given (${result.jobId})`);
      return;
    }
    clearTimeout(pending.timer);
    this.jobs.delete(result.jobId);
    if (!result.ok) this.svc.log(`agent '${id}' refused job ${result.jobId}: ${result.error ?? 'no reason given'}`);
    pending.resolve(result);
  }
}
