/**
 * Gluster in the running hub: the live status (one reporter per cluster, views to the browsers
 * once a second at most), plans and operations (role apply, expand, replace, remove a peer,
 * resolve a split-brain: planned by plan.ts, run by the operations runner through `execute`),
 * client mounts from `filesystem` connections, and two calls other features use (Virtualmin):
 * `ensureMounted` and `makeDirectory`.
 */
import type {
  Cluster, GlusterDirectory, GlusterJob, GlusterJobResult, GlusterPlan, GlusterStatus, HubToBrowser, Operation, OperationStep, Server, State,
} from '../../protocol/types.js';
import { withAudit } from '../audit/entries.js';
import { HttpError, badRequest } from '../errors.js';
import { addConnection } from '../model/connections.js';
import type { Operations, OperationPlan, StepContext } from '../operations/runner.js';
import type { AgentGateway } from '../sockets/agent-gateway.js';
import type { Store } from '../store.js';
import { GlusterLive } from './live.js';
import { readRebalance } from './rebalance.js';
import { MountReconciler } from './mounts.js';
import {
  type Inspection, type PlanOutcome, type SplitBrainChoice, expansionBricks, glusterMembers, pathsToInspect, planApply, planExpand, planRemovePeer, planReplace,
  planSplitBrain, stepCommand,
} from './plan.js';

export interface GlusterDeps {
  store: Store;
  agents: Pick<AgentGateway, 'runJob' | 'isConnected' | 'sendGlusterWatch'>;
  operations: Operations;
  publish: (cluster: string, frame: HubToBrowser) => void;
  log: (msg: string) => void;
}

const POLL_MS = 1000;
const WAIT_LIMIT_MS = 30 * 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class GlusterService {
  readonly live = new GlusterLive();
  readonly mounts: MountReconciler;

  constructor(private readonly deps: GlusterDeps) {
    this.mounts = new MountReconciler({
      runJob: (id, job) => this.deps.agents.runJob(id, 'gluster', { payload: { gluster: job } }),
      connected: (id) => this.deps.agents.isConnected(id),
      log: deps.log,
      onChange: () => this.publishChanged(),
    });
    this.mounts.sync(deps.store.state);
  }

  stop(): void {
    this.mounts.stop();
  }

  /** The model changed. */
  sync(state: State): void {
    this.mounts.sync(state);
    this.tick();
  }

  /** A reporter's status frame. */
  onStatus(serverId: string, status: GlusterStatus): void {
    if (this.live.record(this.deps.store.state, serverId, status).length) this.publishChanged();
  }

  onAgentLink(serverId: string, connected: boolean): void {
    if (!connected) return void this.tick();
    this.mounts.connected(serverId);
    // A reporter that reconnects is told again (its poll stopped with the socket).
    for (const c of this.deps.store.state.clusters) if (this.live.reporterOf(c.name) === serverId) this.deps.agents.sendGlusterWatch(serverId, true);
    this.tick();
  }

  /** Once a second: reporters chosen, changed views published. */
  tick(now = Date.now()): void {
    for (const t of this.live.chooseReporters(this.deps.store.state, (id) => this.deps.agents.isConnected(id), now)) {
      this.deps.agents.sendGlusterWatch(t.serverId, t.report);
    }
    this.publishChanged(now);
  }

  view(cluster: Cluster) {
    return this.live.view(this.deps.store.state, cluster, this.mounts.states(cluster.name));
  }

  /** Every Gluster cluster's view for which `sees` is true (browser snapshots). */
  views(sees: (cluster: string) => boolean) {
    return this.deps.store.state.clusters.filter((c) => c.gluster && sees(c.name)).map((c) => this.view(c));
  }

  private publishChanged(now = Date.now()): void {
    const state = this.deps.store.state;
    for (const c of state.clusters) {
      if (!c.gluster) continue;
      const view = this.live.changedView(state, c, this.mounts.states(c.name), now);
      if (view) this.deps.publish(c.name, { v: 1, type: 'gluster-status', status: view });
    }
  }

  /** One gluster job; a refusal or failure throws with the agent's reason. */
  async job(serverId: string, job: GlusterJob, progress?: (step: string) => void): Promise<GlusterJobResult> {
    const r = await this.deps.agents.runJob(serverId, 'gluster', { payload: { gluster: job }, ...(progress ? { onProgress: progress } : {}) });
    if (!r.ok) throw new Error(`${serverId}: ${r.error ?? 'refused'}`);
    return r.gluster ?? {};
  }

  /** `inspect` on each server (with the paths to check); a server that cannot answer says why. */
  async inspect(paths: ReadonlyMap<string, string[]>): Promise<Map<string, Inspection>> {
    const out = new Map<string, Inspection>();
    await Promise.all([...paths].map(async ([id, list]) => {
      try {
        out.set(id, { result: await this.job(id, { op: 'inspect', ...(list.length ? { paths: list } : {}) }) });
      } catch (e) {
        out.set(id, { error: e instanceof Error ? e.message.replace(`${id}: `, '') : String(e) });
      }
    }));
    return out;
  }

  private servers(): Server[] {
    return this.deps.store.state.servers;
  }

  /** Inspects the peers and the new bricks, then plans the role's apply. */
  async planRole(cluster: Cluster): Promise<PlanOutcome> {
    return planApply(cluster, this.servers(), await this.inspect(pathsToInspect(cluster, this.servers())));
  }

  /** The first connected peer (other than `skip`) whose glusterd answers, with its inspection. */
  private async actor(cluster: Cluster, extra: ReadonlyMap<string, string[]> = new Map(), skip?: string): Promise<{ actor?: Server; inspections: Map<string, Inspection> }> {
    const members = glusterMembers(cluster, this.servers()).filter((s) => s.id !== skip && this.deps.agents.isConnected(s.id));
    const paths = new Map(extra);
    for (const m of members) if (!paths.has(m.id)) paths.set(m.id, []);
    const inspections = await this.inspect(paths);
    const actor = members.find((m) => inspections.get(m.id)?.result?.status && !inspections.get(m.id)?.error);
    return { actor, inspections };
  }

  async planExpand(cluster: Cluster, volume: string, servers: string[], paths?: string[]): Promise<PlanOutcome> {
    const first = await this.actor(cluster);
    const status = first.actor ? first.inspections.get(first.actor.id)?.result?.status : undefined;
    const bricks = expansionBricks(cluster, this.servers(), status, volume, servers, paths);
    if (typeof bricks === 'string') return { steps: [], errors: [bricks] };
    const check = new Map<string, string[]>();
    for (const b of bricks) check.set(b.server.id, [...(check.get(b.server.id) ?? []), b.path]);
    const more = await this.inspect(check);
    const inspections = new Map([...first.inspections, ...more]);
    return planExpand(cluster, this.servers(), first.actor, inspections, volume, servers, paths);
  }

  async planReplace(cluster: Cluster, from: string, to: string): Promise<PlanOutcome> {
    const first = await this.actor(cluster, new Map(), from);
    const draft = planReplace(cluster, this.servers(), first.actor, first.inspections, from, to);
    if (draft.errors.length) return draft;
    // Now the target's brick paths are known: check them on disk.
    const paths = draft.steps.flatMap((s) => {
      const job = (s.args as { job?: GlusterJob }).job;
      return job?.op === 'replace-brick' ? [job.to.slice(job.to.indexOf(':/') + 1)] : [];
    });
    const more = await this.inspect(new Map([[to, paths]]));
    return planReplace(cluster, this.servers(), first.actor, new Map([...first.inspections, ...more]), from, to);
  }

  async planRemovePeer(cluster: Cluster, serverId: string): Promise<PlanOutcome> {
    const { actor, inspections } = await this.actor(cluster, new Map(), serverId);
    return planRemovePeer(cluster, this.servers(), actor, actor ? inspections.get(actor.id)?.result?.status : undefined, serverId);
  }

  async planSplitBrain(cluster: Cluster, volume: string, file: string, choice: SplitBrainChoice, brick?: string): Promise<PlanOutcome> {
    const { actor, inspections } = await this.actor(cluster);
    return planSplitBrain(actor ? inspections.get(actor.id)?.result?.status : undefined, actor, volume, file, choice, brick);
  }

  /** What the API shows: each step's node, title and command. */
  static show(cluster: string, outcome: PlanOutcome): GlusterPlan {
    return {
      cluster,
      state: outcome.errors.length ? 'invalid' : outcome.steps.length ? 'planned' : 'none',
      steps: outcome.steps.map((s) => ({ serverId: s.serverId ?? '', title: s.title, command: stepCommand(s).slice(0, 4096) })),
      errors: outcome.errors.slice(0, 100),
    };
  }

  /**
   * Starts a planned operation. An invalid plan is refused (400) and nothing runs; an empty one
   * starts nothing (the re-applied plan is a no-op).
   */
  async start(cluster: Cluster, kind: string, title: string, outcome: PlanOutcome, user: string): Promise<{ plan: GlusterPlan; operation: Operation | null }> {
    const plan = GlusterService.show(cluster.name, outcome);
    if (plan.state === 'invalid') throw new HttpError(400, 'invalid_plan', `refused, nothing was changed: ${outcome.errors.join('; ')}`);
    if (plan.state === 'none') return { plan, operation: null };
    const op: OperationPlan = { cluster: cluster.name, kind, title, flag: 'apply', steps: outcome.steps };
    return { plan, operation: await this.deps.operations.start(op, user, (step, ctx) => this.execute(step, ctx)) };
  }

  /** Runs one step of a Gluster operation. */
  async execute(step: OperationStep, ctx: StepContext): Promise<Record<string, unknown> | void> {
    const args = (step.args ?? {}) as { job?: GlusterJob; volume?: string; file?: string; question?: string };
    const on = step.serverId ?? '';
    switch (step.action) {
      case 'gluster': {
        const r = await this.job(on, args.job!, (line) => ctx.progress(line));
        const { status: _s, ...facts } = r;
        return facts;
      }
      case 'confirm': return void (await ctx.confirm(args.question ?? step.title));
      case 'rebalance-wait': {
        let unreadable = 0;
        return this.poll(ctx, async () => {
          const answer = await this.job(on, { op: 'rebalance-status', volume: args.volume! }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
          const r = readRebalance(answer, unreadable);
          if ('error' in r) throw new Error(r.error);
          ctx.progress(r.progress);
          if ('done' in r) return { rebalance: r.done };
          unreadable = r.unreadable;
          return false;
        });
      }
      case 'heal-wait': return this.poll(ctx, async () => {
        const v = (await this.job(on, { op: 'status' })).status?.volumes.find((x) => x.name === args.volume);
        if (!v) throw new Error(`there is no volume ${args.volume}`);
        const pending = v.bricks.reduce((a, b) => a + (b.healPending ?? 0), 0);
        const offline = v.bricks.filter((b) => !b.online).length;
        ctx.progress(`${pending} entries to heal${offline ? `, ${offline} brick(s) offline` : ''}`);
        return !offline && v.bricks.every((b) => b.healPending === 0) ? { healed: true } : false;
      });
      case 'split-brain-verify': return this.poll(ctx, async () => {
        const v = (await this.job(on, { op: 'status' })).status?.volumes.find((x) => x.name === args.volume);
        const left = v?.splitBrainFiles ?? [];
        ctx.progress(left.length ? `still in split-brain: ${left.join(', ')}` : 'no file in split-brain');
        return left.includes(args.file!) ? false : { resolved: args.file };
      }, 60_000);
      default: throw new Error(`unknown step action ${step.action}`);
    }
  }

  /** Calls `check` every second until it returns facts; cancellable between polls. */
  private async poll(ctx: StepContext, check: () => Promise<Record<string, unknown> | false>, limitMs = WAIT_LIMIT_MS): Promise<Record<string, unknown>> {
    const end = Date.now() + limitMs;
    for (;;) {
      ctx.cancelled();
      const facts = await check();
      if (facts) return facts;
      if (Date.now() > end) throw new Error(`gave up after ${limitMs / 60_000} minutes`);
      await sleep(POLL_MS);
    }
  }

  /**
   * Makes `servers` mount the cluster's volume: a `filesystem` connection from each one that has
   * none to the cluster (to its first peer), then waits until each has it mounted.
   */
  async ensureMounted(user: string, cluster: Cluster, servers: readonly string[], timeoutMs = 60_000): Promise<{ serverId: string; path: string }[]> {
    const peers = glusterMembers(cluster, this.servers());
    if (!peers.length) throw badRequest(`cluster ${cluster.name} has no filesystem server to mount from`);
    const missing = servers.filter((id) => !this.deps.store.state.connections.some((c) => c.from === id && c.type === 'filesystem' && cluster.servers.includes(c.to)));
    if (missing.length) {
      await this.deps.store.update((s) => {
        let next = s;
        for (const id of missing) next = addConnection(next, { from: id, to: peers[0]!.id, type: 'filesystem' }).state;
        return withAudit(next, user, 'gluster.mount', `${cluster.name}: ${missing.join(', ')}`);
      });
    }
    return this.whenMounted(cluster, servers, timeoutMs);
  }

  /**
   * Waits until each of `servers` has every mount of the cluster's volumes the model gives it
   * (from its connections, or a virtual server's files); a failed mount rejects with the reason.
   */
  async whenMounted(cluster: Cluster, servers: readonly string[], timeoutMs = 60_000): Promise<{ serverId: string; path: string }[]> {
    await Promise.all(servers.map((id) => this.mounts.whenMounted(id, cluster.name, timeoutMs).catch((e: Error) => { throw new HttpError(502, 'mount_failed', e.message); })));
    return this.mounts.states(cluster.name).filter((m) => servers.includes(m.serverId)).map((m) => ({ serverId: m.serverId, path: m.path }));
  }

  /** The peer that runs directory jobs: the reporter (its glusterd answered a second ago, and it serves the volfile first), else a connected one. */
  private directoryNode(cluster: Cluster): { on: Server; servers: string[] } {
    const peers = glusterMembers(cluster, this.servers());
    const reporter = this.live.reporterOf(cluster.name);
    const on = peers.find((p) => p.id === reporter && this.live.status(cluster.name) && !this.live.status(cluster.name)?.error) ?? peers.find((p) => this.deps.agents.isConnected(p.id));
    if (!on) throw new HttpError(409, 'agent_offline', `no filesystem server of ${cluster.name} is connected`);
    return { on, servers: [on, ...peers.filter((p) => p !== on)].map((p) => p.address).slice(0, 64) };
  }

  private volumeOf(cluster: Cluster, volume?: string): string {
    const g = cluster.gluster;
    if (!g) throw badRequest(`cluster ${cluster.name} has no Gluster role`);
    const name = volume ?? g.mountVolume ?? g.volumes[0]!.name;
    if (!g.volumes.some((v) => v.name === name)) throw badRequest(`cluster ${cluster.name} has no volume ${name}`);
    return name;
  }

  /**
   * Makes a directory inside the volume (a domain's web root), through a peer's temporary mount;
   * `links` become its other names beside it, `unlinks` go. `created`: it was not there before.
   */
  async makeDirectory(cluster: Cluster, body: GlusterDirectory): Promise<{ volume: string; path: string; serverId: string; created: boolean }> {
    const volume = this.volumeOf(cluster, body.volume);
    const { on, servers } = this.directoryNode(cluster);
    const { path, mode, uid, gid, links, unlinks } = body;
    const r = await this.job(on.id, {
      op: 'mkdir', volume, servers, path,
      ...(mode === undefined ? {} : { mode }), ...(uid === undefined ? {} : { uid }), ...(gid === undefined ? {} : { gid }),
      ...(links?.length ? { links } : {}), ...(unlinks?.length ? { unlinks } : {}),
    }).catch((e: Error) => { throw new HttpError(502, 'mkdir_failed', e.message); });
    return { volume, path, serverId: on.id, created: r.created === true };
  }

  /** Removes a directory inside the volume and everything in it (and the `unlinks` beside it that are its links). */
  async removeDirectory(cluster: Cluster, body: { volume: string; path: string; unlinks?: string[] }): Promise<{ removed: boolean }> {
    const volume = this.volumeOf(cluster, body.volume);
    const { on, servers } = this.directoryNode(cluster);
    const r = await this.job(on.id, { op: 'rmdir', volume, servers, path: body.path, ...(body.unlinks?.length ? { unlinks: body.unlinks } : {}) })
      .catch((e: Error) => { throw new HttpError(502, 'rmdir_failed', e.message); });
    return { removed: r.removed === true };
  }
}
