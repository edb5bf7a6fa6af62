/** What every API handler gets: the request, the caller, and the hub's services. */
import type { Connection, Server, State } from '../../protocol/types.js';
import { type AuditExtra, type Refusals, withAudit } from '../audit/entries.js';
import { type Authenticator, type Principal, actorName } from '../auth/authenticate.js';
import type { PasswordGate } from '../auth/password-gate.js';
import type { Sessions } from '../auth/sessions.js';
import type { ConnectionLatency } from '../latency/connection-latency.js';
import type { Live } from '../live/live.js';
import type { RouteContext } from '../http/router.js';
import type { AgentGateway } from '../sockets/agent-gateway.js';
import type { LbLive } from '../jobs/lb-live.js';
import type { Plans } from '../jobs/plans.js';
import type { Operations } from '../operations/runner.js';
import type { Scaler } from '../scaling/scaler.js';
import type { ScheduleRegistry } from '../schedules/registry.js';
import type { GaleraService } from '../galera/service.js';
import type { GaleraBackups } from '../galera/backups.js';
import type { GlusterService } from '../gluster/service.js';
import type { RecentDeletions } from '../recent-deletions.js';
import type { HubLogRing } from '../log-ring.js';
import type { Store } from '../store.js';
import type { VirtualServers } from '../virtual-servers/orchestrator.js';

export interface Services {
  store: Store;
  live: Live;
  /** The latest TCP probe of each connection, from its `from` agent. */
  latency: ConnectionLatency;
  sessions: Sessions;
  authenticator: Authenticator;
  /** Every password check (login, Basic): brute-force limits and bounded scrypt work. */
  passwords: PasswordGate;
  ticketSecret: Buffer;
  /** Connected agents: jobs go through here. */
  agents: AgentGateway;
  /** Pinned by agents; every join token carries it. */
  caFingerprint: string;
  /** The agent socket's URL as nodes reach it (shown in install commands). */
  agentUrl: string;
  /** The agent port's key as curl pins it (install commands). */
  agentPin: string;
  /** Whether the session cookie gets the Secure attribute (served over HTTPS). */
  secureCookies: boolean;
  log: (msg: string) => void;
  /** Load-balancing plans and their application. */
  plans: Plans;
  /** Load balancers' live status (server states, VIP holder). */
  lbLive: LbLive;
  /** Multi-step operations (Galera, Gluster, scaling): one runner, one per cluster at a time. */
  operations: Operations;
  /** Virtual servers placed on clusters: their setup, changes and removal. */
  virtualServers: VirtualServers;
  /** Scaling policies and Auto Scaling bindings: evaluation, decisions, scale-in. */
  scaler: Scaler;
  /** Scheduled jobs (node-cron). */
  schedules: ScheduleRegistry;
  /** MariaDB Galera clusters: live status, plans, operations, load-balancer backends. */
  galera: GaleraService;
  /** Galera database backups: taken with mariabackup, sealed, listed, restored into a fresh node. */
  galeraBackups: GaleraBackups;
  /** Gluster: live status, plans and operations, client mounts. */
  gluster: GlusterService;
  /** What each user deleted in the last minute (undo). */
  deletions: RecentDeletions;
  /** Refused and failed API calls, kept in memory beside the audit log (never written to the state). */
  refusals: Refusals;
  /** The hub's recent log lines (GET /api/logs). */
  logRing: HubLogRing;
  /** The hub's own facts for GET /api/diagnostics: set by startHub. */
  diagnostics: { dataDir: string; stateFile: string; gatewaySocket?: string; gatewayListening: () => boolean; certPem: string; caPem: string; startedAt: number };
}

export interface ApiContext extends RouteContext {
  svc: Services;
  /** The authenticated caller; public routes see an anonymous principal with no flags. */
  who: Principal;
}


/** A server as the API shows it: the record plus its live status and latest metrics. */
export function serverView(svc: Services, server: Server) {
  return { ...server, status: svc.live.status(server.id), metrics: svc.live.sample(server.id) ?? null };
}

/** A connection as the API shows it: the record plus its derived status and latest latency (ms, or null). */
export function connectionView(svc: Services, connection: Connection, now = Date.now()) {
  return { ...connection, ...svc.latency.view(connection.id, now) };
}

/**
 * Applies a model change as the caller, with an audit entry naming the servers and clusters it
 * concerned (`refs`, from the state before the change), and returns what the change produced.
 * Nothing is changed if `change` throws or the write fails.
 */
export async function commit<R>(
  ctx: ApiContext, action: string, target: string | ((r: NoInfer<R>) => string), change: (s: State) => [State, R],
  refs?: (before: State, r: NoInfer<R>) => AuditExtra,
): Promise<R> {
  let result!: R;
  await ctx.svc.store.update((s) => {
    const [next, r] = change(s);
    result = r;
    return withAudit(next, actorName(ctx.who), action, typeof target === 'string' ? target : target(r), new Date(), refs?.(s, r));
  });
  return result;
}
