/**
 * The agent socket (wss://AGENT_HOST:AGENT_PORT/agent, TLS only). An agent's first frame is
 * either `enroll` (a join token) or `hello` (the credential it got when it enrolled). From then
 * on the connection is bound to that one server id: a metrics frame can only update its own
 * server. Every frame is validated and rate-limited; a newer connection for the same server
 * replaces the older one; an agent whose credential goes away (revoked, server deleted,
 * restored state) is disconnected at once. Only the hub gives jobs, over this socket.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { PROTOCOL_VERSION } from '../../protocol/common.js';
import type { AgentFirstFrame, HubJob, HubWelcome, Inventory, Job, JobResult, State } from '../../protocol/types.js';
import { check, validators } from '../../protocol/validate.js';
import type { Live } from '../live/live.js';
import type { Store } from '../store.js';
import { isEnrolled, verifyCredential } from '../enroll/credentials.js';
import { enrollAgent } from '../enroll/enroll-agent.js';
import { HttpError } from '../errors.js';
import { recordAgentFacts } from '../model/servers.js';
import { FrameRate } from './frame-rate.js';

export const METRICS_INTERVAL_MS = 1000;
const FIRST_FRAME_TIMEOUT_MS = 10_000;
const PING_MS = 15_000;
const MAX_FRAME = 64 * 1024;
/** Invalid frames tolerated from one connection before it is closed. */
const MAX_INVALID = 10;
const JOB_TTL_MS = 60_000;

function parse(data: RawData, isBinary: boolean): unknown {
  if (isBinary) return undefined;
  try {
    return JSON.parse(data.toString());
  } catch {
    return undefined;
  }
}

/** The address to show for a new agent's server: its own first address when it dials over loopback. */
function agentAddress(req: IncomingMessage, inventory: Inventory): string {
  const remote = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const loopback = remote === '::1' || remote.startsWith('127.');
  const own = inventory.interfaces?.find((i) => i.ip4 && !i.ip4.startsWith('127.'))?.ip4;
  return loopback && own ? own : remote || '127.0.0.1';
}

interface PendingJob {
  job: Job;
  resolve: (r: JobResult) => void;
  timer: NodeJS.Timeout;
}

export class AgentGateway {
  private wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  private byServer = new Map<string, WebSocket>();
  private jobs = new Map<string, PendingJob>();

  constructor(private readonly svc: { store: Store; live: Live; log: (msg: string) => void }) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
  }

  close(): void {
    for (const ws of this.byServer.values()) ws.close(1012, 'hub restarting');
    this.wss.close();
  }

  /** Disconnects every agent that no longer holds a credential (revoked, deleted, restored away). */
  syncCredentials(state: State): void {
    for (const [id, ws] of this.byServer) {
      if (!isEnrolled(state, id)) {
        this.svc.log(`agent '${id}': credential revoked, disconnecting`);
        ws.close(4403, 'revoked');
      }
    }
  }

  /** Sends a job to a connected agent and waits for its result (refusals included). */
  runJob(serverId: string, kind: Job['kind']): Promise<JobResult> {
    const ws = this.byServer.get(serverId);
    if (!ws) return Promise.reject(new HttpError(409, 'agent_offline', `the agent of '${serverId}' is not connected`));
    const now = Date.now();
    const job: Job = { id: randomBytes(12).toString('hex'), serverId, kind, issuedAt: now, expiresAt: now + JOB_TTL_MS };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.jobs.delete(job.id);
        reject(new HttpError(504, 'job_timeout', `the agent of '${serverId}' did not answer the job within ${JOB_TTL_MS / 1000} s`));
      }, JOB_TTL_MS);
      this.jobs.set(job.id, { job, resolve, timer });
      const frame: HubJob = { v: PROTOCOL_VERSION, type: 'job', job };
      ws.send(JSON.stringify(frame));
    });
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const who = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
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
      const checked = check(validators.agentFirstFrame, parse(data, isBinary));
      if (!checked.ok) return refuse('invalid_message', `invalid first frame: ${checked.error}`);
      void this.authenticate(ws, req, checked.value).then(
        (id) => this.register(ws, req, id),
        (e: Error & { reason?: string }) => {
          const http = e instanceof HttpError;
          refuse(http ? e.code : 'internal', http ? e.message : `could not register: ${e.message}`, http ? 4401 : 1011);
          if (e.reason) this.svc.log(`agent ${who}: ${e.reason}`);
        },
      );
    });
  }

  /** Enrolls or checks the credential; returns the server id the connection is bound to. */
  private async authenticate(ws: WebSocket, req: IncomingMessage, first: AgentFirstFrame): Promise<string> {
    const agent = { version: first.agentVersion, inventory: first.inventory };
    if (first.type === 'hello') {
      if (!verifyCredential(this.svc.store.state, first.serverId, first.credential)) {
        throw Object.assign(new HttpError(401, 'unauthorized', 'unknown or revoked agent credential'), { reason: `bad credential for '${first.serverId}'` });
      }
      await this.svc.store.update((s) => recordAgentFacts(s, first.serverId, agent));
      return first.serverId;
    }
    let enrolled: { serverId: string; credential: string } | undefined;
    const defaultId = first.inventory.hostname.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63) || 'node';
    await this.svc.store.update((s) => {
      const r = enrollAgent(s, first, defaultId, agentAddress(req, first.inventory));
      enrolled = r;
      return r.state;
    });
    const { serverId, credential } = enrolled!;
    this.svc.log(`agent '${serverId}' enrolled from ${req.socket.remoteAddress}`);
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'enrolled', serverId, credential }));
    return serverId;
  }

  private register(ws: WebSocket, req: IncomingMessage, id: string): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    this.byServer.get(id)?.close(4409, 'replaced by a newer connection for the same server');
    this.byServer.set(id, ws);
    this.svc.live.connected(id);
    this.svc.log(`agent '${id}' connected from ${req.socket.remoteAddress}`);

    const rate = new FrameRate();
    let invalid = 0;
    let alive = true;
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, PING_MS);
    ws.on('pong', () => (alive = true));
    ws.on('message', (data, isBinary) => {
      const verdict = rate.hit();
      if (verdict === 'close') {
        this.svc.log(`agent '${id}': flooding, disconnected`);
        return ws.close(4429, 'too many frames');
      }
      if (verdict === 'drop') return;
      const checked = check(validators.agentMessage, parse(data, isBinary));
      if (!checked.ok) {
        this.svc.log(`agent '${id}': invalid frame: ${checked.error}`);
        ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'error', code: 'invalid_message', message: checked.error }));
        if (++invalid >= MAX_INVALID) ws.close(4400, 'too many invalid frames');
        return;
      }
      alive = true;
      const msg = checked.value;
      if (msg.type === 'metrics') this.svc.live.record(id, msg.sample);
      else this.jobResult(id, msg);
    });
    ws.on('close', () => {
      clearInterval(ping);
      if (this.byServer.get(id) !== ws) return;
      this.byServer.delete(id);
      this.svc.live.disconnected(id);
      this.svc.log(`agent '${id}' disconnected`);
    });
    const welcome: HubWelcome = { v: PROTOCOL_VERSION, type: 'welcome', serverId: id, intervalMs: METRICS_INTERVAL_MS };
    ws.send(JSON.stringify(welcome));
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
