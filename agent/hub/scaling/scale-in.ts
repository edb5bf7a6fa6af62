/**
 * Scale-in as an operation (flag `scale`): the planner (pure) picks the instance — the first
 * candidate, in the policy's order, that is not protected and may leave its clusters — and lists
 * the steps: check again, the leave steps the checks asked for (drain in HAProxy), terminate it in
 * the group with ShouldDecrementDesiredCapacity, then forget the server. A failure after the drain
 * puts the server back in service before the operation stops: it either goes or keeps serving.
 */
import type { Cluster, LbClusterStatus, OperationStep, ScalingPolicy, State } from '../../protocol/types.js';
import { withAudit } from '../audit/entries.js';
import { findCluster } from '../model/clusters.js';
import { removeServer } from '../model/servers.js';
import type { OperationPlan, StepContext, StepExecutor, StepPlan } from '../operations/runner.js';
import type { Store } from '../store.js';
import type { ScalingProvider } from './aws-provider.js';
import { DEFAULTS } from './evaluate.js';
import { mayLeave } from './leave-checks.js';
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
  state: Pick<State, 'servers' | 'clusters'>, cluster: Cluster, members: readonly Member[], policy: ScalingPolicy, wanted?: string,
): ScaleInChoice | { refused: string; candidates: ScaleInChoice['candidates'] } {
  const rows: ScaleInChoice['candidates'] = [];
  let chosen: { instanceId: string; serverId?: string; steps: StepPlan[] } | undefined;
  for (const c of scaleInCandidates(members, policy)) {
    const row = { instanceId: c.instanceId, ...(c.serverId ? { serverId: c.serverId } : {}) };
    if (wanted && c.serverId !== wanted) continue;
    if (chosen) { rows.push({ ...row, verdict: 'not needed' }); continue; }
    if (c.skip) { rows.push({ ...row, verdict: `skipped: ${c.skip}` }); continue; }
    const leave = c.serverId ? mayLeave(state, cluster, c.serverId) : { ok: true, reasons: [], steps: [] };
    if (!leave.ok) { rows.push({ ...row, verdict: `skipped: ${leave.reasons.join('; ')}` }); continue; }
    rows.push({ ...row, verdict: 'chosen' });
    chosen = { instanceId: c.instanceId, ...(c.serverId ? { serverId: c.serverId } : {}), steps: leave.steps };
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
    ...chosen.steps.map((s) => ({ ...s, args })),
    { action: 'terminate', title: `Terminate ${chosen.instanceId} in the group (desired capacity − 1)`, ...on, args },
    ...(chosen.serverId ? [{ action: 'forget', title: `Remove ${chosen.serverId} from ${cluster.name}${cluster.loadBalancer ? ' and its load balancers' : ''}`, ...on, args }] : []),
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

export function scaleInExecutor(d: ScaleInDeps): StepExecutor {
  const audit = (s: State, action: string, target: string, detail?: string) => withAudit(s, d.user, action, target, new Date(), detail === undefined ? {} : { detail });
  let drained: { cluster: string; serverId: string } | undefined;

  /** Puts a drained server back in service (best effort, said in the error). */
  const undrain = async (): Promise<string> => {
    if (!drained) return '';
    const { cluster, serverId } = drained;
    try {
      await d.store.update((s) => audit(setBackendState(s, cluster, serverId, undefined), 'scale.undrain', `${cluster}/${serverId}`));
      await d.lbSync.sync(cluster, d.user);
      drained = undefined;
      return `; ${serverId} was put back in service`;
    } catch (e) {
      return `; putting ${serverId} back in service failed too: ${(e as Error).message}`;
    }
  };

  const steps: Record<string, (step: OperationStep, ctx: StepContext) => Promise<Record<string, unknown> | void>> = {
    async check(step, ctx) {
      if (!step.serverId) return { note: 'no agent reported this instance: nothing to leave' };
      const cluster = findCluster(d.store.state, ctx.cluster);
      const verdict = mayLeave(d.store.state, cluster, step.serverId);
      ctx.evidence({ checks: verdict.evidence });
      if (!verdict.ok) throw new Error(verdict.reasons.join('; '));
    },

    async drain(step, ctx) {
      const id = step.serverId!;
      const name = ctx.cluster;
      await d.store.update((s) => audit(setBackendState(s, name, id, 'drain'), 'scale.drain', `${name}/${id}`));
      drained = { cluster: name, serverId: id };
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
      let activity: string;
      try {
        activity = await d.provider.terminate(instanceId);
      } catch (e) {
        throw new Error(`${(e as Error).message}${await undrain()}`);
      }
      drained = undefined;
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

  return async (step, ctx) => {
    const run = steps[step.action];
    if (!run) throw new Error(`unknown scale-in step '${step.action}'`);
    try {
      return await run(step, ctx);
    } catch (e) {
      // A step after the drain that fails (or a cancel) leaves the server serving, not half-removed.
      if (step.action !== 'terminate' && drained) throw Object.assign(e as Error, { message: `${(e as Error).message}${await undrain()}` });
      throw e;
    }
  };
}
