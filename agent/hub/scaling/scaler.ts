/**
 * The scaler: once a second (the hub's ticker) every bound cluster with an enabled policy is
 * evaluated (evaluate.ts) over the live metrics the hub already holds; a decision is recorded with
 * its figures (decision log, audit log, /metrics) and acted on through the group's provider:
 * scale-out by SetDesiredCapacity, scale-in by a drained scale-in operation. A policy in dry-run
 * records what it would do and does nothing. New instances enroll with the cluster's scaling join
 * token; the scaler then adds them to the load balancers through the zero-drop runtime path.
 */
import { randomBytes } from 'node:crypto';
import type {
  AwsCredentials, Cluster, ClusterScaling, Operation, ScalingBindInput, ScalingBinding, ScalingDecision, ScalingPolicy, ScalingView, State,
} from '../../protocol/types.js';
import { installShCommand, userDataSnippet } from './user-data.js';
import { withAudit } from '../audit/entries.js';
import type { AlertEvent } from '../alerts/event.js';
import { createJoinToken } from '../enroll/join-tokens.js';
import { HttpError, badRequest, conflict, notFound } from '../errors.js';
import type { LbLive } from '../jobs/lb-live.js';
import type { Plans } from '../jobs/plans.js';
import type { Live } from '../live/live.js';
import { findCluster } from '../model/clusters.js';
import type { Operations } from '../operations/runner.js';
import { checkCron } from '../schedules/cron.js';
import type { Store } from '../store.js';
import { AwsProvider, type GroupInfo, ProviderError, type ScalingProvider } from './aws-provider.js';
import type { CredentialsFile } from './credentials-file.js';
import { type EvalMemory, type Proposal, type Reading, effectiveBounds, evaluate, policyProblems } from './evaluate.js';
import { LbSync } from './lb-sync.js';
import { groupMembers, readMetrics } from './members.js';
import { decisionsOf, recordDecision, scalingOf, updateScaling } from './records.js';
import { type ScaleInExecutor, planScaleIn, scaleInExecutor } from './scale-in.js';
import type { LeaveFacts } from './leave-checks.js';
import type { LeaveServices } from './leave-steps.js';

/** How often a bound group is described again (and at once after every action). */
const REFRESH_MS = 10_000;
/** After a refused or failed action, the cluster waits this long before the next one. */
const BACKOFF_MS = 60_000;
export const SCALER_USER = 'scaler';

export interface ScalerDeps {
  store: Store;
  live: Live;
  lbLive: LbLive;
  plans: Plans;
  operations: Operations;
  credentials: CredentialsFile;
  log(msg: string): void;
  /** Tells the browsers of users with `scale` that a cluster's scaling view changed. */
  publish(cluster: string, view: ScalingView): void;
  caFingerprint: string;
  agentUrl(): string;
  /** UC_AWS_ENDPOINT: a local endpoint for tests. */
  awsEndpoint?: string;
  /** The Galera and Gluster services: what their leave checks read, and the steps they add to a scale-in. */
  leave?: LeaveServices;
}

interface Runtime {
  group?: { info: GroupInfo; at: number };
  refreshing?: Promise<GroupInfo | undefined>;
  error?: string;
  memory: EvalMemory;
  reading?: Reading;
  hold?: string;
  acting?: boolean;
  blockedUntil?: number;
  /** Dry-run decisions: when each direction last "acted", so cooldowns hold in a dry run too. */
  dryOutAt?: number;
  dryInAt?: number;
  provider?: { key: string; provider: ScalingProvider };
  lastPublished?: string;
}

const ms = (iso: string | undefined) => (iso ? Date.parse(iso) : undefined);

export class Scaler {
  private rt = new Map<string, Runtime>();
  readonly lbSync: LbSync;
  /** Decisions since the hub started, by `cluster|action|outcome` (/metrics counters). */
  readonly counts = new Map<string, number>();

  constructor(private readonly d: ScalerDeps) {
    this.lbSync = new LbSync({ store: d.store, plans: d.plans, log: d.log });
    d.store.on('change', (next, prev) => this.joinNewNodes(next, prev));
  }

  private runtime(cluster: string): Runtime {
    let r = this.rt.get(cluster);
    if (!r) this.rt.set(cluster, (r = { memory: { since: {} } }));
    return r;
  }

  private async provider(cluster: string, binding: ScalingBinding): Promise<ScalingProvider> {
    const r = this.runtime(cluster);
    const key = `${binding.groupName}|${binding.region}|${binding.credentials}|${binding.boundAt ?? ''}`;
    if (r.provider?.key === key) return r.provider.provider;
    const creds = binding.credentials === 'stored' ? await this.d.credentials.get(cluster) : undefined;
    if (binding.credentials === 'stored' && !creds) throw new ProviderError('NoCredentials', `the stored AWS credentials of ${cluster} are missing: bind the group again`);
    const provider = this.makeProvider(binding, creds);
    r.provider?.provider.close?.();
    r.provider = { key, provider };
    return provider;
  }

  private makeProvider(b: Pick<ScalingBinding, 'groupName' | 'region'>, creds: AwsCredentials | undefined): ScalingProvider {
    return new AwsProvider({ groupName: b.groupName, region: b.region, ...(creds ? { credentials: creds } : {}), ...(this.d.awsEndpoint ? { endpoint: this.d.awsEndpoint } : {}) });
  }

  /** Describes the cluster's group again; keeps the error for the view when it fails. */
  refresh(cluster: string): Promise<GroupInfo | undefined> {
    const r = this.runtime(cluster);
    const binding = scalingOf(this.d.store.state, cluster).binding;
    if (!binding) return Promise.resolve(undefined);
    r.refreshing ??= (async () => {
      try {
        const info = await (await this.provider(cluster, binding)).describe();
        r.group = { info, at: Date.now() };
        if (r.error) this.d.log(`scaler: ${cluster}: the group answers again`);
        r.error = undefined;
        return info;
      } catch (e) {
        const msg = (e as Error).message;
        if (r.error !== msg) this.d.log(`scaler: ${cluster}: cannot read the group: ${msg}`);
        r.error = msg;
        return undefined;
      } finally {
        r.refreshing = undefined;
        this.publish(cluster);
      }
    })();
    return r.refreshing;
  }

  /** One evaluation round over every bound cluster (the hub calls it once a second). */
  tick(now = Date.now()): void {
    const state = this.d.store.state;
    for (const [name, cfg] of Object.entries(state.scaling ?? {})) {
      const cluster = state.clusters.find((c) => c.name === name);
      if (!cluster || !cfg.binding || !cfg.policy || cfg.policy.enabled === false) continue;
      const r = this.runtime(name);
      if (!r.group || now - r.group.at > REFRESH_MS) void this.refresh(name);
      if (!r.group) continue;
      // A convergence the group has reached is done.
      if (cfg.converge && r.group.info.desired === cfg.converge.desired) void this.d.store.update((s) => updateScaling(s, name, ({ converge: _c, ...c }) => c)).catch(() => {});
      const result = this.evaluateNow(cluster, cfg, r, now);
      r.memory = result.memory;
      r.hold = result.hold;
      const busy = r.acting || this.d.operations.current(name) || (r.blockedUntil ?? 0) > now;
      if (result.proposal && !busy) void this.act(name, result.proposal, SCALER_USER);
      this.publish(name);
    }
  }

  private evaluateNow(cluster: Cluster, cfg: ClusterScaling, r: Runtime, now: number) {
    const policy = cfg.policy!;
    const members = groupMembers(this.d.store.state, cluster, r.group!.info);
    const readings = readMetrics(members, policy, this.d.live, cluster.loadBalancer ? this.d.lbLive.view(this.d.store.state, cluster) : null, now);
    r.reading = readings[policy.targetTracking?.metric ?? policy.steps?.[0]?.metric ?? 'cpu'];
    const dry = policy.dryRun === true;
    const outAt = dry ? r.dryOutAt : ms(cfg.lastScaleOutAt);
    const inAt = dry ? r.dryInAt : ms(cfg.lastScaleInAt);
    return evaluate({
      policy, desired: r.group!.info.desired, readings, now,
      ...(cfg.override ? { override: cfg.override } : {}),
      ...(cfg.converge ? { converge: cfg.converge } : {}),
      ...(outAt !== undefined ? { lastScaleOutAt: outAt } : {}),
      ...(inAt !== undefined ? { lastScaleInAt: inAt } : {}),
    }, r.memory);
  }

  /** Records a decision and carries it out (or only records it, in a dry run). */
  async act(cluster: string, p: Proposal, by: string): Promise<ScalingDecision> {
    const r = this.runtime(cluster);
    const cfg = scalingOf(this.d.store.state, cluster);
    const dryRun = cfg.policy?.dryRun === true;
    const decision: ScalingDecision = {
      id: randomBytes(8).toString('hex'), at: new Date().toISOString(), cluster, source: p.source, action: p.action, from: p.from, to: p.to,
      reason: p.reason, figures: p.figures, dryRun, outcome: dryRun ? 'dry-run' : 'started', by,
    };
    r.acting = true;
    try {
      if (dryRun) {
        if (p.action === 'scale-out') r.dryOutAt = Date.now();
        else r.dryInAt = Date.now();
        return await this.record(decision);
      }
      if (p.action === 'scale-out') {
        try {
          const provider = await this.provider(cluster, cfg.binding!);
          // Never lower the desired capacity this way (the group would pick and kill instances
          // itself): a group someone else grew meanwhile is left as it is.
          const fresh = await provider.describe();
          if (fresh.desired >= p.to) {
            await this.refresh(cluster);
            return await this.record({ ...decision, outcome: 'refused', error: `the group's desired capacity is already ${fresh.desired}` });
          }
          await provider.setDesired(p.to);
          await this.record({ ...decision, outcome: 'done' }, (s) => updateScaling(s, cluster, (c) => ({ ...c, lastScaleOutAt: decision.at })));
          await this.refresh(cluster);
          return { ...decision, outcome: 'done' };
        } catch (e) {
          r.blockedUntil = Date.now() + BACKOFF_MS;
          return await this.record({ ...decision, outcome: 'failed', error: (e as Error).message.slice(0, 2048) });
        }
      }
      try {
        const op = await this.startScaleIn(cluster, undefined, by, decision.id);
        return await this.record({ ...decision, operationId: op.id });
      } catch (e) {
        r.blockedUntil = Date.now() + BACKOFF_MS;
        return await this.record(notStarted(decision, e));
      }
    } finally {
      r.acting = false;
      this.publish(cluster, true);
    }
  }

  /** Writes a decision to the log and the audit log (with its figures), and counts it. */
  private async record(d: ScalingDecision, also: (s: State) => State = (s) => s): Promise<ScalingDecision> {
    const key = `${d.cluster}|${d.action}|${d.outcome}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const detail = `${d.reason}\nfigures: ${JSON.stringify(d.figures ?? {})}${d.error ? `\nerror: ${d.error}` : ''}`;
    const target = `${d.cluster}: ${d.from} → ${d.to} (${d.outcome}${d.dryRun ? ', dry run' : ''})`;
    await this.d.store.update((s) => withAudit(also(recordDecision(s, d)), d.by ?? SCALER_USER, `scale.${d.action}`, target, new Date(), { detail, clusters: [d.cluster] }));
    this.d.log(`scaler: ${target}: ${d.reason}${d.error ? `: ${d.error}` : ''}`);
    return d;
  }

  /**
   * A scale-in a user asked for (POST …/scaling/scale-in): recorded in the decision log like the
   * scaler's own, a refusal with its reasons too.
   */
  async scaleInByHand(cluster: string, serverId: string | undefined, user: string): Promise<Operation> {
    const desired = () => this.runtime(cluster).group?.info.desired ?? 0;
    const decision: ScalingDecision = {
      id: randomBytes(8).toString('hex'), at: new Date().toISOString(), cluster, source: 'manual', action: 'scale-in', from: 0, to: 0,
      reason: `${user} asked for a scale-in${serverId ? ` of ${serverId}` : ''}`, figures: serverId ? { server: serverId } : {}, dryRun: false, outcome: 'started', by: user,
    };
    try {
      const op = await this.startScaleIn(cluster, serverId, user, decision.id);
      await this.record({ ...decision, from: desired(), to: desired() - 1, operationId: op.id });
      return op;
    } catch (e) {
      if (e instanceof HttpError && e.status === 409) await this.record(notStarted({ ...decision, from: desired(), to: Math.max(0, desired() - 1) }, e));
      throw e;
    } finally {
      this.publish(cluster, true);
    }
  }

  /** What the leave checks read live. */
  private facts(): LeaveFacts {
    const l = this.d.leave;
    return { galera: (id) => l?.galera.live.status(id), gluster: (c) => l?.gluster.live.status(c), busy: (c) => this.d.operations.current(c)?.title };
  }

  /**
   * Starts a scale-in operation of `cluster` (a chosen server, or the policy's pick), or with
   * `dryRun` only says what it would do. 409 when no instance may leave now.
   */
  async startScaleIn(cluster: string, serverId: string | undefined, user: string, decisionId?: string, dryRun = false): Promise<Operation> {
    const c = findCluster(this.d.store.state, cluster);
    const cfg = scalingOf(this.d.store.state, cluster);
    if (!cfg.binding) throw conflict(`cluster '${cluster}' is not bound to an Auto Scaling group`);
    const policy = cfg.policy ?? { min: 0, max: 10000 };
    const info = await this.refresh(cluster);
    if (!info) throw new HttpError(502, 'aws_error', `cannot read the group of ${cluster}: ${this.runtime(cluster).error ?? 'unknown error'}`);
    const { min } = effectiveBounds(policy, cfg.override);
    if (info.desired <= Math.max(min, info.min)) throw conflict(`scale-in of ${cluster} refused: desired ${info.desired} is already at the minimum ${Math.max(min, info.min)}`);
    const choice = planScaleIn(this.d.store.state, c, groupMembers(this.d.store.state, c, info), policy, serverId, this.facts());
    if ('refused' in choice) throw Object.assign(conflict(choice.refused), { candidates: choice.candidates });
    if (dryRun) {
      return { id: 'dry-run', cluster, kind: 'scale.in', title: `${choice.plan.title} (dry run)`, flag: 'scale', state: 'done', createdBy: user, createdAt: new Date().toISOString(), rev: 1,
        steps: choice.plan.steps.map((s, i) => ({ ...s, id: String(i + 1), state: 'pending', ...(i === 0 ? { evidence: { candidates: choice.candidates } } : {}) })) };
    }
    const provider = await this.provider(cluster, cfg.binding);
    const execute = scaleInExecutor({
      store: this.d.store, lbSync: this.lbSync, provider, user, policy, facts: this.facts(), ...(this.d.leave ? { leave: this.d.leave } : {}),
      lbStatus: (cl) => this.d.lbLive.view(this.d.store.state, cl),
      onTerminated: () => void this.d.store.update((s) => updateScaling(s, cluster, (x) => ({ ...x, lastScaleInAt: new Date().toISOString() }))).catch(() => {}),
    });
    const op = await this.d.operations.start(choice.plan, user, async (step, ctx) => {
      if (step.action === 'check' && step.id === '1') ctx.evidence({ candidates: choice.candidates });
      return execute(step, ctx);
    });
    void this.d.operations.finished(op.id).then((done) => this.scaleInEnded(done, execute, decisionId));
    return op;
  }

  /** Notes the end in the decision; a cancelled scale-in takes back what its steps did (the server serves again). */
  private async scaleInEnded(op: Operation, execute: ScaleInExecutor, decisionId?: string): Promise<void> {
    if (op.state !== 'done') {
      const undone = await execute.rollback();
      if (undone) this.d.log(`scaler: ${op.cluster}: the scale-in ended ${op.state}${undone}`);
    }
    const s = this.d.store.state;
    const d = decisionId ? (s.scalingDecisions ?? []).find((x) => x.id === decisionId) : undefined;
    if (d) {
      const outcome = op.state === 'done' ? 'done' : 'failed';
      await this.d.store.update((st) => recordDecision(st, { ...d, outcome, ...(op.error ? { error: op.error.slice(0, 2048) } : {}) }));
      const key = `${d.cluster}|${d.action}|${outcome}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
    if (op.state !== 'done') this.runtime(op.cluster).blockedUntil = Date.now() + BACKOFF_MS;
    await this.refresh(op.cluster);
  }

  /** Binds a cluster to a group: refused (nothing changes) when the group is missing or a permission lacks. */
  async bind(cluster: string, input: ScalingBindInput, user: string): Promise<ScalingView> {
    findCluster(this.d.store.state, cluster);
    const provider = this.makeProvider({ groupName: input.groupName, region: input.region }, input.credentials);
    let info: GroupInfo;
    try {
      info = await provider.describe();
      const missing = await provider.missingPermissions();
      if (missing.length) throw badRequest(`the AWS credentials lack these IAM permissions: ${missing.join(', ')}; nothing was changed`, 'missing_permission');
    } catch (e) {
      throw toHttp(e);
    } finally {
      provider.close?.();
    }
    const policy = scalingOf(this.d.store.state, cluster).policy;
    const problems = policy ? policyProblems(policy, info) : [];
    if (problems.length) throw badRequest(`the cluster's policy cannot work with this group: ${problems.join('; ')}`, 'invalid_policy');
    const binding: ScalingBinding = {
      provider: 'aws', groupName: input.groupName, region: input.region, credentials: input.credentials ? 'stored' : 'default-chain',
      boundBy: user, boundAt: new Date().toISOString(),
    };
    const previous = await this.d.credentials.get(cluster);
    await this.d.credentials.set(cluster, input.credentials);
    try {
      await this.d.store.update((s) => withAudit(updateScaling(s, cluster, (c) => ({ ...c, binding })), user, 'scale.bind', cluster,
        new Date(), { detail: `${input.groupName} in ${input.region} (credentials: ${binding.credentials})`, clusters: [cluster] }));
    } catch (e) {
      await this.d.credentials.set(cluster, previous);
      throw e;
    }
    const r = this.runtime(cluster);
    r.group = { info, at: Date.now() };
    r.error = undefined;
    return this.view(cluster);
  }

  async unbind(cluster: string, user: string): Promise<void> {
    if (!scalingOf(this.d.store.state, cluster).binding) throw notFound(`cluster '${cluster}' is not bound to an Auto Scaling group`);
    await this.d.store.update((s) => withAudit(updateScaling(s, cluster, ({ binding: _b, ...c }) => c), user, 'scale.unbind', cluster));
    await this.d.credentials.set(cluster, undefined);
    this.rt.get(cluster)?.provider?.provider.close?.();
    this.rt.delete(cluster);
  }

  /** Saves a policy: refused with every problem (nothing changes) when it cannot work. */
  async setPolicy(cluster: string, policy: ScalingPolicy, user: string): Promise<ScalingView> {
    findCluster(this.d.store.state, cluster);
    const cfg = scalingOf(this.d.store.state, cluster);
    const problems = [
      ...(policy.scheduled ?? []).flatMap((s) => checkCron(s.cron, s.timeZone).map((p) => `scheduled action '${s.name}': ${p}`)),
    ];
    let info: GroupInfo | undefined;
    if (cfg.binding) {
      info = await this.refresh(cluster);
      if (!info) throw new HttpError(502, 'aws_error', `cannot check the policy against the group: ${this.runtime(cluster).error ?? 'unknown error'}; nothing was changed`);
    }
    problems.unshift(...policyProblems(policy, info));
    const members = new Set(findCluster(this.d.store.state, cluster).servers);
    const strangers = (policy.protectedServers ?? []).filter((id) => !members.has(id));
    if (strangers.length) problems.push(`protected servers not in the cluster: ${strangers.join(', ')}`);
    if (problems.length) throw badRequest(`the policy cannot work: ${problems.join('; ')}; nothing was changed`, 'invalid_policy');
    await this.syncProtection(cluster, cfg.policy?.protectedServers ?? [], policy.protectedServers ?? []);
    const converge = policy.desired !== undefined && info && policy.desired !== info.desired ? { desired: policy.desired, source: 'policy' as const, at: new Date().toISOString() } : undefined;
    await this.d.store.update((s) => withAudit(updateScaling(s, cluster, ({ converge: _c, ...c }) => ({ ...c, policy, ...(converge ? { converge } : {}) })), user, 'scale.policy', cluster, new Date(), { detail: JSON.stringify(policy), clusters: [cluster] }));
    const r = this.runtime(cluster);
    r.memory = { since: {} };
    r.blockedUntil = undefined;
    return this.view(cluster);
  }

  async removePolicy(cluster: string, user: string): Promise<void> {
    if (!scalingOf(this.d.store.state, cluster).policy) throw notFound(`cluster '${cluster}' has no scaling policy`);
    await this.d.store.update((s) => withAudit(updateScaling(s, cluster, ({ policy: _p, override: _o, converge: _c, ...c }) => c), user, 'scale.policy-remove', cluster));
  }

  /**
   * Mirrors scale-in protection to the group's instances; all or nothing: a failure undoes the
   * calls already made.
   */
  private async syncProtection(cluster: string, before: readonly string[], after: readonly string[]): Promise<void> {
    const cfg = scalingOf(this.d.store.state, cluster);
    const info = this.runtime(cluster).group?.info;
    if (!cfg.binding || !info) return;
    const instanceOf = new Map(groupMembers(this.d.store.state, findCluster(this.d.store.state, cluster), info).filter((m) => m.serverId).map((m) => [m.serverId!, m.instanceId]));
    const on = after.filter((id) => !before.includes(id)).map((id) => instanceOf.get(id)).filter((x): x is string => !!x);
    const off = before.filter((id) => !after.includes(id)).map((id) => instanceOf.get(id)).filter((x): x is string => !!x);
    const provider = await this.provider(cluster, cfg.binding);
    const done: Array<[string[], boolean]> = [];
    try {
      for (const [ids, flag] of [[on, true], [off, false]] as Array<[string[], boolean]>) {
        if (!ids.length) continue;
        await provider.protect(ids, flag);
        done.push([ids, flag]);
      }
    } catch (e) {
      for (const [ids, flag] of done) await provider.protect(ids, !flag).catch(() => {});
      throw toHttp(e, 'nothing was changed');
    }
  }

  /** Protects one server from scale-in (or lifts it), in the policy and in the group. */
  async protect(cluster: string, serverId: string, on: boolean, user: string): Promise<ScalingView> {
    const policy = scalingOf(this.d.store.state, cluster).policy;
    if (!policy) throw conflict(`cluster '${cluster}' has no scaling policy`);
    if (!findCluster(this.d.store.state, cluster).servers.includes(serverId)) throw notFound(`no server '${serverId}' in cluster '${cluster}'`);
    const before = policy.protectedServers ?? [];
    const after = on ? [...new Set([...before, serverId])] : before.filter((id) => id !== serverId);
    await this.syncProtection(cluster, before, after);
    await this.d.store.update((s) => withAudit(updateScaling(s, cluster, (c) => ({ ...c, policy: { ...c.policy!, protectedServers: after } })), user, on ? 'scale.protect' : 'scale.unprotect', `${cluster}/${serverId}`));
    return this.view(cluster);
  }

  /** A join token for the group's instances and the user-data snippet that uses it (shown once). */
  async userData(cluster: string, input: { expiresInMinutes?: number; uses?: number; type?: State['servers'][number]['type'] }, user: string) {
    findCluster(this.d.store.state, cluster);
    let made!: ReturnType<typeof createJoinToken>;
    await this.d.store.update((s) => {
      made = createJoinToken(s, { expiresInMinutes: input.expiresInMinutes ?? 43200, uses: input.uses ?? 1000, type: input.type ?? 'web', cluster }, user, this.d.caFingerprint);
      const record = { ...made.record, purpose: 'scaling' as const };
      return withAudit({ ...made.state, joinTokens: (made.state.joinTokens ?? []).map((t) => (t.id === record.id ? record : t)) }, user, 'scale.user-data', cluster, new Date(), { detail: `join token ${record.id}`, clusters: [cluster] });
    });
    const { record, token } = made;
    const snippet = userDataSnippet({ cluster, installCommand: installShCommand(this.d.agentUrl(), token), expiresAt: record.expiresAt, uses: record.usesLeft });
    return { tokenId: record.id, expiresAt: record.expiresAt, uses: record.usesLeft, snippet };
  }

  /** What the policy would do now (nothing is recorded or done). */
  preview(cluster: string) {
    const c = findCluster(this.d.store.state, cluster);
    const cfg = scalingOf(this.d.store.state, cluster);
    if (!cfg.policy) throw conflict(`cluster '${cluster}' has no scaling policy`);
    if (!cfg.binding) throw conflict(`cluster '${cluster}' is not bound to an Auto Scaling group: nothing to evaluate against`);
    const r = this.runtime(cluster);
    if (!r.group) throw conflict(`the group of '${cluster}' has not been read yet${r.error ? `: ${r.error}` : ''}`);
    const result = this.evaluateNow(c, cfg, { ...r, memory: { since: { ...r.memory.since } } }, Date.now());
    return { proposal: result.proposal, hold: result.hold ?? null, reading: r.reading ?? null };
  }

  /** The `scale_up` alert hook: a firing alert on a member adds one instance (within max and the cooldown). */
  onScaleUp(event: AlertEvent): void {
    if (event.alert.state !== 'firing') return;
    const now = Date.now();
    for (const c of this.d.store.state.clusters) {
      const cfg = scalingOf(this.d.store.state, c.name);
      const r = this.rt.get(c.name);
      if (!c.servers.includes(event.alert.serverId) || !cfg.binding || !cfg.policy || cfg.policy.enabled === false || !r?.group || r.acting) continue;
      const { max } = effectiveBounds(cfg.policy, cfg.override);
      const desired = r.group.info.desired;
      const cooldown = (ms(cfg.lastScaleOutAt) ?? -Infinity) + (cfg.policy.scaleOutCooldownSeconds ?? 120) * 1000;
      if (desired >= max || now < cooldown) {
        this.d.log(`scaler: ${c.name}: alert ${event.alert.ruleName} asks to scale up, but ${desired >= max ? `desired ${desired} is at the maximum ${max}` : 'the scale-out cooldown runs'}`);
        continue;
      }
      void this.act(c.name, {
        source: 'alert', action: 'scale-out', from: desired, to: desired + 1,
        reason: `alert '${event.alert.ruleName}' fired on ${event.alert.serverId} (${event.alert.metric} ${event.alert.value})`,
        figures: { rule: event.alert.ruleName, server: event.alert.serverId, metric: event.alert.metric, value: event.alert.value },
      }, SCALER_USER);
    }
  }

  /** A scheduled action fires: its bounds take force and the group converges to its desired capacity. */
  async runScheduled(cluster: string, name: string): Promise<string> {
    const cfg = scalingOf(this.d.store.state, cluster);
    const action = cfg.policy?.scheduled?.find((s) => s.name === name);
    if (!action) throw notFound(`cluster '${cluster}' has no scheduled action '${name}'`);
    const at = new Date().toISOString();
    const override = { name, at, ...(action.min !== undefined ? { min: action.min } : {}), ...(action.max !== undefined ? { max: action.max } : {}) };
    const { min, max } = effectiveBounds(cfg.policy!, override);
    const converge = action.desired !== undefined ? { desired: Math.min(max, Math.max(min, action.desired)), source: 'schedule' as const, name, at } : undefined;
    await this.d.store.update((s) => updateScaling(s, cluster, ({ converge: _c, ...c }) => ({ ...c, override, ...(converge ? { converge } : {}) })));
    this.runtime(cluster).memory = { since: {} };
    return `bounds ${min}–${max} in force${converge ? `, desired capacity ${converge.desired}` : ''}`;
  }

  /** Servers that enrolled with a scaling token join their load-balanced cluster's backends. */
  private joinNewNodes(next: State, prev: State): void {
    if (next.agentCredentials === prev.agentCredentials) return;
    // Most hubs bind nothing: a fleet enrolling costs them no pass over its credentials.
    if (!Object.values(next.scaling ?? {}).some((c) => c.binding)) return;
    const had = new Set((prev.agentCredentials ?? []).map((c) => `${c.serverId}|${c.enrolledAt}`));
    for (const cred of next.agentCredentials ?? []) {
      if (had.has(`${cred.serverId}|${cred.enrolledAt}`)) continue;
      const token = (next.joinTokens ?? []).find((t) => t.id === cred.tokenId);
      const cluster = token?.purpose === 'scaling' && token.cluster ? next.clusters.find((c) => c.name === token.cluster) : undefined;
      if (!cluster?.loadBalancer || !scalingOf(next, cluster.name).binding) continue;
      const started = Date.now();
      this.d.log(`scaler: ${cred.serverId} enrolled into ${cluster.name}: adding it to the load balancers`);
      this.lbSync.sync(cluster.name, SCALER_USER).then(
        (plan) => { this.d.log(`scaler: ${cred.serverId} is in the backends of ${cluster.name} (plan ${plan.id}, ${Date.now() - started} ms)`); void this.refresh(cluster.name); },
        (e: Error) => this.d.log(`scaler: ${cluster.name}: cannot add ${cred.serverId} to the load balancers: ${e.message}`),
      );
    }
  }

  /** The cluster's scaling as the API and the browsers see it (never any credential). */
  view(cluster: string): ScalingView {
    const s = this.d.store.state;
    const cfg = scalingOf(s, cluster);
    const r = this.rt.get(cluster);
    const c = s.clusters.find((x) => x.name === cluster);
    const group = r?.group && c ? {
      min: r.group.info.min, max: r.group.info.max, desired: r.group.info.desired, checkedAt: new Date(r.group.at).toISOString(),
      instances: groupMembers(s, c, r.group.info).map((m) => ({ instanceId: m.instanceId, lifecycle: m.lifecycle, health: m.health, protected: m.protected, ...(m.serverId ? { serverId: m.serverId } : {}) })),
    } : undefined;
    return {
      cluster,
      ...(cfg.policy ? { policy: cfg.policy } : {}),
      ...(cfg.binding ? { binding: cfg.binding } : {}),
      ...(cfg.override ? { override: cfg.override } : {}),
      ...(cfg.converge ? { converge: cfg.converge } : {}),
      ...(group ? { group } : {}),
      ...(r?.reading ? { reading: { ...r.reading, value: r.reading.value === null ? null : Math.round(r.reading.value * 100) / 100 } } : {}),
      ...(r?.hold ? { hold: r.hold.slice(0, 1024) } : {}),
      ...(r?.error ? { error: r.error.slice(0, 2048) } : {}),
      decisions: decisionsOf(s, cluster),
    };
  }

  /** The view of every bound or configured cluster (for /metrics). */
  views(): ScalingView[] {
    return Object.keys(this.d.store.state.scaling ?? {}).filter((n) => this.d.store.state.clusters.some((c) => c.name === n)).map((n) => this.view(n));
  }

  /** Sends the view when it changed (`force`: at once, e.g. a new decision). */
  private publish(cluster: string, force = false): void {
    const view = this.view(cluster);
    const r = this.runtime(cluster);
    const text = JSON.stringify(view);
    if (!force && text === r.lastPublished) return;
    r.lastPublished = text;
    this.d.publish(cluster, view);
  }
}


/** A decision whose scale-in did not start: refused (409: no instance may leave, a busy cluster) with its reasons, or failed. */
function notStarted(d: ScalingDecision, e: unknown): ScalingDecision {
  const refused = e instanceof HttpError && e.status === 409;
  const candidates = (e as { candidates?: unknown[] }).candidates;
  return {
    ...d, outcome: refused ? 'refused' : 'failed', error: (e as Error).message.slice(0, 2048),
    ...(candidates?.length ? { figures: { ...d.figures, candidates: candidates.slice(0, 10) } } : {}),
  };
}

/** A provider failure as an API error: a missing permission or group is the caller's to fix (400), anything else AWS's (502). */
function toHttp(e: unknown, suffix = ''): Error {
  if (e instanceof HttpError) return e;
  const tail = suffix ? `; ${suffix}` : '';
  if (e instanceof ProviderError) {
    if (e.permission) return badRequest(`${e.message}${tail}`, 'missing_permission');
    if (e.code === 'NotFound' || e.code === 'ValidationError') return badRequest(`${e.message}${tail}`, 'aws_refused');
    return new HttpError(502, 'aws_error', `${e.message}${tail}`);
  }
  return e as Error;
}
