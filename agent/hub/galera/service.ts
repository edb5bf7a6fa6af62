/**
 * Galera in the hub: the nodes' live status and the cluster views streamed to browsers once a
 * second, plans (each node's diff and the ordered steps), the operations (apply, add and remove
 * a node, rolling restart, recovery) run through the one operations runner, the load balancers'
 * Galera backends kept in step, automatic recovery for clusters whose policy allows it, and the
 * databases endpoint. The hub never touches a daemon: every action is a job to a node's agent.
 */
import { randomBytes } from 'node:crypto';
import type { Cluster, GaleraClusterStatus, GaleraJob, GaleraJobResult, GaleraNodeStatus, GaleraPlan, HubToBrowser, Job, JobResult, Operation, State } from '../../protocol/types.js';
import { withAudit } from '../audit/entries.js';
import { HttpError, conflict, notFound } from '../errors.js';
import type { LbLive } from '../jobs/lb-live.js';
import type { OperationPlan, Operations, StepContext } from '../operations/runner.js';
import type { JobOptions } from '../sockets/agent-gateway.js';
import type { Store } from '../store.js';
import { galeraExecutor } from './executor.js';
import { backendName, galeraBackends, lbClustersServing } from './lb-backend.js';
import { GaleraLbSync } from './lb-sync.js';
import { GaleraLive, isSynced } from './live.js';
import { type NodeInput, planApply, planRollingRestart, removeProblem } from './planner.js';
import { GaleraSecretStore } from './secrets.js';
import { desiredGalera, galeraCluster, resolveSettings, writerOrder } from './settings.js';

const KEEP_PLANS = 50;
/** How long a drained node's open connections may take to finish before it is stopped anyway. */
const DRAIN_WAIT_MS = 10_000;
/** After an automatic recovery that failed, the next try waits this long. */
const AUTO_RETRY_MS = 30_000;
/** A node must be seen down this many ticks in a row (about a second each) before automatic recovery acts. */
const DOWN_TICKS = 2;

export interface GaleraDeps {
  store: Store;
  operations: Operations;
  lbLive: LbLive;
  runJob: (serverId: string, kind: Job['kind'], opts: JobOptions) => Promise<JobResult>;
  /** Whether the node's agent is connected now. */
  connected: (serverId: string) => boolean;
  publish: (cluster: string, frame: HubToBrowser) => void;
  log: (msg: string) => void;
  secretsFile: string;
}

export class GaleraService {
  readonly live = new GaleraLive();
  readonly secrets: GaleraSecretStore;
  readonly lbSync: GaleraLbSync;
  private plans = new Map<string, GaleraPlan>();
  /** Nodes an operation took out of HAProxy, per cluster, with the operation that did: its end puts them back. */
  private drained = new Map<string, Map<string, string>>();
  private published = new Map<string, string>();
  /** Nodes this hub has seen Synced: automatic recovery acts only for nodes that were once up. */
  private seenUp = new Set<string>();
  private downTicks = new Map<string, number>();
  private autoTried = new Map<string, number>();

  constructor(readonly deps: GaleraDeps) {
    this.secrets = new GaleraSecretStore(deps.secretsFile);
    this.lbSync = new GaleraLbSync({ store: deps.store, runJob: deps.runJob, extraBackends: () => this.extraBackends(), log: deps.log });
  }

  /** The Galera part of every load balancer's desired state (also used by user-made load-balancing plans). */
  extraBackends() {
    const state = this.deps.store.state;
    return galeraBackends(state, (name) => {
      const c = state.clusters.find((x) => x.name === name);
      return c ? this.view(c) : undefined;
    });
  }

  record(serverId: string, cluster: string, status: GaleraNodeStatus, at?: number): void {
    const c = this.deps.store.state.clusters.find((x) => x.name === cluster);
    // A node reports for the cluster its fragment names; only a member of that Galera cluster counts.
    if (!c?.galera || !c.servers.includes(serverId)) return;
    this.live.record(serverId, cluster, status, Date.now(), at);
    if (isSynced(status)) this.seenUp.add(serverId);
  }

  view(cluster: Cluster): GaleraClusterStatus {
    return this.live.view(this.deps.store.state, cluster, new Set(this.drained.get(cluster.name)?.keys()));
  }

  /** Once a second: stream changed views, keep the load balancers in step, recover where the policy allows. */
  tick(): void {
    const state = this.deps.store.state;
    for (const c of state.clusters) {
      if (!c.galera) continue;
      const view = this.view(c);
      const text = JSON.stringify(view);
      if (this.published.get(c.name) !== text) {
        this.published.set(c.name, text);
        this.deps.publish(c.name, { v: 1, type: 'galera-status', status: view });
      }
      for (const lb of lbClustersServing(state, c.name)) void this.lbSync.sync(lb.name);
      this.autoRecover(c, view);
    }
  }

  /** The floor and marks of every Galera cluster, for the API. */
  getView(name: string): GaleraClusterStatus {
    const c = this.cluster(name);
    return this.view(c);
  }

  private cluster(name: string): Cluster {
    const c = this.deps.store.state.clusters.find((x) => x.name === name);
    if (!c) throw notFound(`no cluster named '${name}'`);
    return c;
  }

  /** One galera job; a refusal or failure throws with the agent's reason. */
  async job(clusterName: string, serverId: string, kind: Job['kind'], galera: Omit<GaleraJob, 'cluster'>, ctx?: Pick<StepContext, 'progress'>, timeoutMs?: number): Promise<GaleraJobResult> {
    const r = await this.deps.runJob(serverId, kind, {
      payload: { galera: { cluster: clusterName, ...galera } },
      ...(ctx ? { onProgress: (step: string) => ctx.progress(step) } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
    });
    if (!r.ok) throw new Error(r.error ?? `${kind} refused`);
    return r.galera ?? {};
  }

  /** Every member's plan (diff) and facts, and the steps that would make the cluster as desired. */
  async planNodes(clusterName: string): Promise<{ nodes: NodeInput[]; steps: ReturnType<typeof planApply>['steps']; error?: string }> {
    const cluster = this.cluster(clusterName);
    const members = galeraCluster(this.deps.store.state, cluster);
    const desired = desiredGalera(cluster, members);
    const nodes = await Promise.all(members.map(async (m): Promise<NodeInput> => {
      try {
        const r = await this.job(clusterName, m.id, 'galera-plan', { desired: desired.get(m.id)! });
        return { serverId: m.id, ...(r.file ? { file: r.file } : {}), ...(r.facts ? { facts: r.facts } : {}) };
      } catch (e) {
        return { serverId: m.id, error: e instanceof HttpError ? e.message : (e as Error).message };
      }
    }));
    return { nodes, ...planApply(writerOrder(cluster, members.map((m) => m.id)), nodes) };
  }

  async createPlan(clusterName: string, user: string): Promise<GaleraPlan> {
    const p = await this.planNodes(clusterName);
    const plan: GaleraPlan = {
      id: randomBytes(9).toString('hex'), cluster: clusterName, createdBy: user, createdAt: new Date().toISOString(),
      nodes: p.nodes, steps: p.steps, ...(p.error ? { error: p.error } : {}),
    };
    this.plans.set(plan.id, plan);
    for (const old of [...this.plans.keys()].slice(0, Math.max(0, this.plans.size - KEEP_PLANS))) this.plans.delete(old);
    return plan;
  }

  getPlan(id: string): GaleraPlan {
    const p = this.plans.get(id);
    if (!p) throw notFound(`no Galera plan with id '${id}' (plans are kept in memory until the hub restarts)`);
    return p;
  }

  private async start(clusterName: string, plan: Omit<OperationPlan, 'cluster' | 'flag'>, user: string, auto = false): Promise<Operation> {
    const op = await this.deps.operations.start({ cluster: clusterName, flag: 'apply', ...plan }, user, galeraExecutor(this, clusterName, { auto }));
    // However it ends (a failed restart skips the step that puts its node back), its drains end with it.
    void this.deps.operations.finished(op.id).then(() => {
      const drained = this.drained.get(clusterName);
      const mine = [...(drained ?? [])].filter(([, by]) => by === op.id).map(([id]) => id);
      if (!mine.length) return;
      for (const id of mine) drained!.delete(id);
      return this.lbSync.syncFor(clusterName);
    });
    return op;
  }

  /** Applies a plan: its steps as one operation. A plan with nothing to do ends at once. */
  async apply(clusterName: string, planId: string, user: string): Promise<Operation> {
    const plan = this.getPlan(planId);
    if (plan.cluster !== clusterName) throw notFound(`no Galera plan with id '${planId}' for cluster '${clusterName}'`);
    if (plan.error) throw conflict(`this plan cannot be applied: ${plan.error}`);
    this.plans.delete(planId);
    await this.secrets.get(clusterName);
    return this.start(clusterName, {
      kind: 'galera.apply', title: plan.steps.length ? `Apply Galera configuration to ${clusterName}` : `Apply Galera configuration to ${clusterName}: already as planned`,
      steps: plan.steps,
    }, user);
  }

  async addNode(clusterName: string, serverId: string, user: string): Promise<Operation> {
    const cluster = this.cluster(clusterName);
    galeraCluster(this.deps.store.state, cluster);
    const server = this.deps.store.state.servers.find((s) => s.id === serverId);
    if (!server) throw notFound(`no server with id '${serverId}'`);
    if (server.type !== 'database') throw new HttpError(400, 'not_database', `${serverId} is a ${server.type} server; only database servers join a Galera cluster`);
    if (cluster.servers.includes(serverId)) throw conflict(`${serverId} is already a member of ${clusterName}`);
    return this.start(clusterName, {
      kind: 'galera.add-node', title: `Add ${serverId} to ${clusterName}`,
      steps: [
        { action: 'add-member', title: `Make ${serverId} a member of ${clusterName}`, serverId },
        { action: 'plan-rest', title: 'Plan every node\'s configuration (the new peer list) and the join' },
      ],
    }, user);
  }

  async removeNode(clusterName: string, serverId: string, user: string): Promise<Operation> {
    const cluster = this.cluster(clusterName);
    const ids = galeraCluster(this.deps.store.state, cluster).map((m) => m.id);
    if (!ids.includes(serverId)) throw notFound(`${serverId} is not a database server of ${clusterName}`);
    const problem = removeProblem(ids, (id) => this.live.status(id), serverId);
    if (problem) throw conflict(`not removing ${serverId}: ${problem}`);
    return this.start(clusterName, {
      kind: 'galera.remove-node', title: `Remove ${serverId} from ${clusterName}`,
      steps: [
        { action: 'drain', title: `Drain ${serverId} in HAProxy`, serverId },
        { action: 'stop', title: `Stop ${serverId}: it leaves the cluster cleanly (its data stays, so it can come back by IST)`, serverId },
        { action: 'remove-member', title: `Take ${serverId} out of ${clusterName}`, serverId },
        { action: 'plan-rest', title: 'Write the other nodes\' configuration (the new peer list)' },
      ],
    }, user);
  }

  async rollingRestart(clusterName: string, user: string): Promise<Operation> {
    const cluster = this.cluster(clusterName);
    const ids = galeraCluster(this.deps.store.state, cluster).map((m) => m.id);
    const notSynced = ids.filter((id) => !isSynced(this.live.status(id)));
    if (notSynced.length) throw conflict(`${notSynced.join(', ')} ${notSynced.length > 1 ? 'are' : 'is'} not Synced: recover ${notSynced.length > 1 ? 'them' : 'it'} before a rolling restart`);
    return this.start(clusterName, { kind: 'galera.rolling-restart', title: `Rolling restart of ${clusterName}`, steps: planRollingRestart(writerOrder(cluster, ids)) }, user);
  }

  async recover(clusterName: string, user: string, auto = false): Promise<Operation> {
    galeraCluster(this.deps.store.state, this.cluster(clusterName));
    return this.start(clusterName, {
      kind: 'galera.recover', title: auto ? `Automatic recovery of ${clusterName}` : `Recover ${clusterName}`,
      steps: [{ action: 'gather', title: 'Gather each node\'s grastate.dat and recovered position, and decide' }],
    }, user, auto);
  }

  /** Takes a node out of HAProxy (maint) and waits (a while) for its open connections to end. */
  async drain(clusterName: string, serverId: string, ctx: Pick<StepContext, 'progress' | 'operationId'>): Promise<Record<string, unknown>> {
    let drained = this.drained.get(clusterName);
    if (!drained) this.drained.set(clusterName, (drained = new Map()));
    drained.set(serverId, ctx.operationId);
    const lbs = lbClustersServing(this.deps.store.state, clusterName);
    if (!lbs.length) return { haproxy: 'no load balancer serves this cluster' };
    await this.lbSync.syncFor(clusterName);
    ctx.progress('in maintenance on every load balancer; waiting for its connections to end');
    const backend = backendName(clusterName);
    const end = Date.now() + DRAIN_WAIT_MS;
    const open = () => lbs.flatMap((lb) => this.deps.lbLive.view(this.deps.store.state, lb).nodes)
      .flatMap((n) => n.servers.filter((s) => s.backend === backend && s.server === serverId).map((s) => s.sessions ?? 0)).reduce((a, b) => a + b, 0);
    while (open() > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    const left = open();
    return { haproxy: left ? `maint; ${left} connection(s) still open after ${DRAIN_WAIT_MS / 1000} s (they end with the stop)` : 'maint; no connection left' };
  }

  async undrain(clusterName: string, serverId: string, sync = true): Promise<void> {
    this.drained.get(clusterName)?.delete(serverId);
    if (sync) await this.lbSync.syncFor(clusterName);
  }

  /**
   * Automatic recovery, for a cluster whose policy allows it and that runs no operation: when every
   * member is down, or a member is down while others are Synced, a recovery starts (it bootstraps
   * the most advanced node, or restarts the crashed one with its recovered position). Only for
   * nodes this hub has seen Synced, only when every member's agent is connected, never for a
   * running non-Primary node: a minority is never promoted automatically.
   */
  private autoRecover(cluster: Cluster, view: GaleraClusterStatus): void {
    if (!resolveSettings(cluster).autoRecover || this.deps.operations.current(cluster.name)) return;
    const down = view.nodes.filter((n) => !n.stale && n.status && !n.status.running && this.seenUp.has(n.serverId));
    for (const n of view.nodes) this.downTicks.set(n.serverId, down.includes(n) ? (this.downTicks.get(n.serverId) ?? 0) + 1 : 0);
    if (!down.length || down.some((n) => (this.downTicks.get(n.serverId) ?? 0) < DOWN_TICKS)) return;
    if (view.nodes.some((n) => n.stale || !this.deps.connected(n.serverId))) return;
    const allDown = down.length === view.nodes.length;
    const somePrimary = view.nodes.some((n) => isSynced(n.status));
    if (!allDown && !somePrimary) return;
    if (Date.now() - (this.autoTried.get(cluster.name) ?? 0) < AUTO_RETRY_MS) return;
    this.autoTried.set(cluster.name, Date.now());
    this.deps.log(`galera: ${cluster.name}: ${allDown ? 'every node is down' : `${down.map((n) => n.serverId).join(', ')} down`}: automatic recovery`);
    void this.recover(cluster.name, 'auto-recovery', true).then(
      (op) => this.deps.operations.finished(op.id).then((done) => { if (done.state === 'done') this.autoTried.delete(cluster.name); }),
      (e: Error) => this.deps.log(`galera: ${cluster.name}: automatic recovery did not start: ${e.message}`),
    );
  }

  /**
   * Runs one database or user statement (galera-sql: create or drop a database and its user, lock,
   * unlock, rename a user, set its password) once, through the writer: Galera replicates it. The
   * password goes only into the job; the audit says what was done, never with it.
   */
  async database(clusterName: string, sql: NonNullable<GaleraJob['sql']>, user: string): Promise<{ node: string; existed?: GaleraJobResult['existed'] }> {
    const cluster = this.cluster(clusterName);
    galeraCluster(this.deps.store.state, cluster);
    const writer = this.view(cluster).writer;
    const node = writer && isSynced(this.live.status(writer)) ? writer : undefined;
    if (!node) throw conflict(`cluster '${clusterName}' has no Synced node to run it on`);
    const r = await this.job(clusterName, node, 'galera-sql', { sql }).catch((e: Error) => { throw new HttpError(502, 'galera_refused', `${node}: ${e.message}`); });
    const what = describeSql(sql, r.existed);
    await this.deps.store.update((s: State) => withAudit(s, user, `galera.${sql.op}`, `${clusterName}/${sql.database ?? sql.user}`, new Date(), { detail: `${what} on ${node}`, clusters: [clusterName] }));
    return { node, ...(r.existed ? { existed: r.existed } : {}) };
  }
}

/** What a galera-sql job did, for the audit log (never its password). */
function describeSql(sql: NonNullable<GaleraJob['sql']>, existed?: GaleraJobResult['existed']): string {
  const who = `user ${sql.user}@${sql.host ?? '%'}`;
  switch (sql.op) {
    case 'create-database': return `${existed?.database ? 'kept the existing' : 'created'} database ${sql.database} for ${existed?.user ? 'the existing ' : ''}${who}`;
    case 'drop-database': return `dropped database ${sql.database}${sql.user ? sql.sharedUser ? ` and the grant of ${who} on it` : ` and ${who}` : ''}`;
    case 'drop-user': return `dropped ${who}`;
    case 'lock-user': return `locked ${who}`;
    case 'unlock-user': return `unlocked ${who}`;
    case 'rename-user': return `renamed ${who} to ${sql.newUser}`;
    case 'set-password': return `set a new password for ${who}`;
    case 'promote': return 'promoted this node to a Primary component';
  }
}
