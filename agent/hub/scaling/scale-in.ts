/**
 * Scale-in as an operation (flag `scale`): the planner (pure) picks the instance — the first
 * candidate, in the policy's order, that is not protected and may leave its clusters — and lists
 * the steps: check again, the leave steps the checks asked for (drain in HAProxy; leave Galera
 * gracefully), terminate it in the group with ShouldDecrementDesiredCapacity, forget the server,
 * then what the checks asked for once it is gone (the Galera peers' lists, the Gluster pool). A
 * failure or a cancel before the termination takes back what the steps did (the server is put
 * back in service, a Galera node rejoins): it either goes or keeps serving.
 */
import type { Cluster, LbClusterStatus, OperationStep, ScalingPolicy, State } from '../../protocol/types.js';
import { withAudit } from '../audit/entries.js';
import { findCluster } from '../model/clusters.js';
import { removeServer } from '../model/servers.js';
import type { OperationPlan, StepContext, StepExecutor, StepPlan } from '../operations/runner.js';
import { type LeaveServices, type Undo, leaveSteps } from './leave-steps.js';
import type { Store } from '../store.js';
import type { ScalingProvider } from './aws-provider.js';
import { DEFAULTS } from './evaluate.js';
import { type LeaveFacts, NO_FACTS, mayLeave } from './leave-checks.js';
import type { LbSync } from './lb-sync.js';
import { type Member, scaleInCandidates } from './members.js';
import { setBackendState } from './records.js';

export interface ScaleInChoice {
  plan: OperationPlan;
  instanceId: string;
  serverId?: string;
  /** Every candidate in order, with why it was taken or skipped. */
  candidates: Array<{ instanceId: string; serverId?: string; verdict: string }>;
}

/** Plans a scale-in of `cluster`, or says why none is possible. `wanted` picks a server by hand. */
export function planScaleIn(
  state: Pick<State, 'servers' | 'clusters'>, cluster: Cluster, members: readonly Member[], policy: ScalingPolicy, wanted?: string, facts: LeaveFacts = NO_FACTS,
): ScaleInChoice | { refused: string; candidates: ScaleInChoice['candidates'] } {
  const rows: ScaleInChoice['candidates'] = [];
  let chosen: { instanceId: string; serverId?: string; steps: StepPlan[]; after: StepPlan[] } | undefined;
  for (const c of scaleInCandidates(members, policy)) {
    const row = { instanceId: c.instanceId, ...(c.serverId ? { serverId: c.serverId } : {}) };
    if (wanted && c.serverId !== wanted) continue;
    if (chosen) { rows.push({ ...row, verdict: 'not needed' }); continue; }
    if (c.skip) { rows.push({ ...row, verdict: `skipped: ${c.skip}` }); continue; }
    const leave = c.serverId ? mayLeave(state, cluster, c.serverId, facts) : { ok: true, reasons: [], steps: [], after: [] };
    if (!leave.ok) { rows.push({ ...row, verdict: `skipped: ${leave.reasons.join('; ')}` }); continue; }
    rows.push({ ...row, verdict: 'chosen' });
    chosen = { instanceId: c.instanceId, ...(c.serverId ? { serverId: c.serverId } : {}), steps: leave.steps, after: leave.after };
  }
  if (!chosen) {
    const why = wanted && !rows.length ? `${wanted} is not an instance of the group` : 'no instance may leave now';
    return { refused: `scale-in of ${cluster.name} refused: ${why}${rows.length ? ` (${rows.map((r) => `${r.serverId ?? r.instanceId}: ${r.verdict}`).join('; ')})` : ''}`, candidates: rows };
  }
  const who = chosen.serverId ? `${chosen.serverId} (${chosen.instanceId})` : chosen.instanceId;
  const args = { instanceId: chosen.instanceId };
  const on = chosen.serverId ? { serverId: chosen.serverId } : {};
  const steps: StepPlan[] = [
    { action: 'check', title: `Check that ${who} may leave its clusters`, ...on, args },
    ...chosen.steps.map((s) => ({ ...s, args: { ...s.args, ...args } })),
    { action: 'terminate', title: `Terminate ${chosen.instanceId} in the group (desired capacity − 1)`, ...on, args },
    ...(chosen.serverId ? [{ action: 'forget', title: `Remove ${chosen.serverId} from ${cluster.name}${cluster.loadBalancer ? ' and its load balancers' : ''}`, ...on, args }] : []),
    ...chosen.after.map((s) => ({ ...s, ...on, args: { ...s.args, ...args } })),
  ];
  return {
    plan: { cluster: cluster.name, kind: 'scale.in', title: `Scale in ${cluster.name}: remove ${who}`, flag: 'scale', steps },
    instanceId: chosen.instanceId, ...(chosen.serverId ? { serverId: chosen.serverId } : {}), candidates: rows,
  };
}

export interface ScaleInDeps {
  store: Store;
  lbSync: LbSync;
  lbStatus(cluster: Cluster): LbClusterStatus;
  provider: ScalingProvider;
  /** The user the operation runs as, for the audit log. */
  user: string;
  policy: ScalingPolicy;
  /** What the leave checks read live (Galera node states, Gluster status, busy clusters). */
  facts: LeaveFacts;
  /** The Galera and Gluster services, for the steps their leave checks add (none: such a server is refused anyway). */
  leave?: LeaveServices;
  /** Called once the group has terminated the instance. */
  onTerminated(): void;
  pollMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Each load balancer's sessions on `serverId`, once every fresh one shows it drained (weight 0). */
function drainedSessions(status: LbClusterStatus, serverId: string): { total: number; per: string; seen: boolean } {
  const fresh = status.nodes.filter((n) => !n.stale);
  const rows = fresh.map((n) => ({ node: n.serverId, row: n.servers.find((s) => s.backend === 'web' && s.server === serverId) }));
  const seen = rows.length > 0 && rows.every((r) => r.row && r.row.weight === 0);
  const total = rows.reduce((a, r) => a + (r.row?.sessions ?? 0), 0);
  return { total, per: rows.map((r) => `${r.node} ${r.row?.sessions ?? 0}`).join(', '), seen };
}

/** A scale-in's steps, and `rollback` for its end: what the steps before the termination did is taken back. */
export type ScaleInExecutor = StepExecutor & { rollback(ctx?: StepContext): Promise<string> };

/** A context for undoing outside a step (a cancelled operation): progress is logged, nothing is asked. */
function quietContext(operationId: string, cluster: string): StepContext {
  return {
    operationId, cluster, progress: () => {}, evidence: () => {}, insertAfter: () => {}, cancelled: () => {}, done: () => [],
    confirm: () => Promise.reject(new Error('nothing can be asked while a scale-in is undone')),
  };
}

export function scaleInExecutor(d: ScaleInDeps): ScaleInExecutor {
  const audit = (s: State, action: string, target: string, detail?: string) => withAudit(s, d.user, action, target, new Date(), detail === undefined ? {} : { detail });
  /** What to take back, newest last, until the instance is terminated. */
  let undo: Undo[] = [];
  let lastCtx: StepContext | undefined;

  /** Takes back what was done (newest first, each best effort); says what happened, for the error. */
  const rollback = async (ctx?: StepContext): Promise<string> => {
    const said: string[] = [];
    const c = ctx ?? lastCtx ?? quietContext('', '');
    for (const u of undo.splice(0).reverse()) {
      try {
        await u.run(c);
        said.push(`; ${u.done}`);
      } catch (e) {
        said.push(`; ${u.what} failed too: ${(e as Error).message}`);
      }
    }
    return said.join('');
  };

  const steps: Record<string, (step: OperationStep, ctx: StepContext) => Promise<Record<string, unknown> | void>> = {
    ...(d.leave ? leaveSteps(d.leave, (u) => undo.push(u)) : {}),

    async check(step, ctx) {
      if (!step.serverId) return { note: 'no agent reported this instance: nothing to leave' };
      const cluster = findCluster(d.store.state, ctx.cluster);
      const verdict = mayLeave(d.store.state, cluster, step.serverId, d.facts);
      ctx.evidence({ checks: verdict.evidence });
      if (!verdict.ok) throw new Error(verdict.reasons.join('; '));
    },

    async drain(step, ctx) {
      const id = step.serverId!;
      const name = ctx.cluster;
      await d.store.update((s) => audit(setBackendState(s, name, id, 'drain'), 'scale.drain', `${name}/${id}`));
      undo.push({
        what: `putting ${id} back in service`, done: `${id} was put back in service`,
        run: async () => {
          await d.store.update((s) => audit(setBackendState(s, name, id, undefined), 'scale.undrain', `${name}/${id}`));
          await d.lbSync.sync(name, d.user);
        },
      });
      ctx.progress('applying the drain (weight 0) on the load balancers');
      const plan = await d.lbSync.sync(name, d.user);
      ctx.evidence({ drainPlan: plan.id, drainApplyMs: plan.applyMs ?? null });
      const timeoutMs = (d.policy.drainTimeoutSeconds ?? DEFAULTS.drainTimeoutSeconds) * 1000;
      const started = Date.now();
      for (;;) {
        ctx.cancelled();
        const s = drainedSessions(d.lbStatus(findCluster(d.store.state, name)), id);
        if (s.seen) ctx.progress(`sessions: ${s.per}`);
        if (s.seen && s.total === 0) return { drainedInMs: Date.now() - started, sessions: 0 };
        if (Date.now() - started > timeoutMs) return { drainedInMs: Date.now() - started, sessions: s.total, note: `timed out after ${timeoutMs / 1000} s with ${s.total} session(s) left; retries and redispatch move them` };
        await sleep(d.pollMs ?? 100);
      }
    },

    async terminate(step, ctx) {
      const instanceId = String(step.args?.['instanceId']);
      const activity = await d.provider.terminate(instanceId);
      undo = [];
      d.onTerminated();
      await d.store.update((s) => audit(s, 'scale.terminate', `${ctx.cluster}/${instanceId}`, activity));
      return { activity, terminatedAt: new Date().toISOString() };
    },

    async forget(step, ctx) {
      const id = step.serverId!;
      const name = ctx.cluster;
      await d.store.update((s) => {
        const cleared = setBackendState(s, name, id, undefined);
        return audit(cleared.servers.some((x) => x.id === id) ? removeServer(cleared, id) : cleared, 'scale.forget', `${name}/${id}`, 'the instance was terminated');
      });
      if (!findCluster(d.store.state, name).loadBalancer) return;
      ctx.progress('removing it from the load balancers');
      const plan = await d.lbSync.sync(name, d.user);
      return { removePlan: plan.id };
    },
  };

  const execute: StepExecutor = async (step, ctx) => {
    const run = steps[step.action];
    if (!run) throw new Error(`unknown scale-in step '${step.action}'`);
    lastCtx = ctx;
    try {
      return await run(step, ctx);
    } catch (e) {
      // Until the instance is gone, a failure (or a cancel) leaves the server serving, not half-removed.
      if (undo.length) throw Object.assign(e as Error, { message: `${(e as Error).message}${await rollback(ctx)}` });
      throw e;
    }
  };
  return Object.assign(execute, { rollback });
}
