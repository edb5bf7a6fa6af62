/**
 * The scale-in steps the Galera and Gluster leave checks add (leave-checks.ts), run through those
 * features' services. A Galera member is taken out of its cluster's HAProxy backend, then its
 * MariaDB is stopped cleanly so it leaves the group (the others must still be a majority of
 * Synced nodes just before, and are watched until their wsrep_cluster_size no longer counts it);
 * once the instance is gone, the others' peer lists are rewritten without it. A Gluster peer
 * without bricks is detached from the pool once gone. Every step before the termination leaves
 * an undo: a scale-in that stops before the instance is gone puts the node back (it rejoins by IST).
 */
import type { OperationStep } from '../../protocol/types.js';
import { galeraExecutor } from '../galera/executor.js';
import { isSynced } from '../galera/live.js';
import { quorumProblem, removeProblem } from '../galera/planner.js';
import type { GaleraService } from '../galera/service.js';
import { members, writerOrder } from '../galera/settings.js';
import { glusterMembers } from '../gluster/plan.js';
import type { GlusterService } from '../gluster/service.js';
import { findCluster } from '../model/clusters.js';
import type { StepContext, StepPlan } from '../operations/runner.js';

/** How long a clean stop may take (a big buffer pool is written out first). */
const STOP_TIMEOUT_MS = 6 * 60_000;
/** How long the others may take to report the smaller group (they report once a second). */
const LEFT_WAIT_MS = 60_000;

export interface LeaveServices {
  galera: GaleraService;
  gluster: GlusterService;
  connected(serverId: string): boolean;
}

/** Something a step did that a scale-in stopping before the termination takes back. */
export interface Undo {
  /** What it does and what it did, for the error: "putting db3 back in service", "db3 was put back in service". */
  what: string;
  done: string;
  run(ctx: StepContext): Promise<void>;
}

type Run = (step: OperationStep, ctx: StepContext) => Promise<Record<string, unknown> | void>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const arg = (step: OperationStep, name: string) => String(step.args?.[name] ?? '');

/** A planned step as the executors take it. */
const asStep = (p: StepPlan): OperationStep => ({ ...p, id: 'leave', state: 'running' });

export function leaveSteps(s: LeaveServices, undo: (u: Undo) => void): Record<string, Run> {
  const state = () => s.galera.deps.store.state;
  const galeraIds = (name: string) => {
    const c = findCluster(state(), name);
    return writerOrder(c, members(state(), c).map((m) => m.id));
  };
  const status = (id: string) => s.galera.live.status(id);

  return {
    async 'galera-drain'(step, ctx) {
      const g = arg(step, 'galeraCluster');
      const id = step.serverId!;
      const r = await s.galera.drain(g, id, ctx);
      undo({ what: `putting ${id} back in ${g}'s HAProxy backend`, done: `${id} is back in ${g}'s HAProxy backend`, run: () => s.galera.undrain(g, id) });
      return r;
    },

    async 'galera-leave'(step, ctx) {
      const g = arg(step, 'galeraCluster');
      const id = step.serverId!;
      const ids = galeraIds(g);
      const problem = removeProblem(ids, status, id) ?? quorumProblem(ids, status, id);
      if (problem) throw new Error(`not stopping ${id}: ${problem}`);
      const others = ids.filter((x) => x !== id && isSynced(status(x)));
      const before = Math.max(...others.map((x) => status(x)?.clusterSize ?? 0));
      undo({
        what: `starting ${id} again`, done: `${id} was started again and rejoined ${g}`,
        run: async (c) => { await galeraExecutor(s.galera, g)(asStep({ action: 'join', title: `Rejoin ${id}`, serverId: id, args: { recover: true } }), c); },
      });
      await s.galera.job(g, id, 'galera-stop', {}, ctx, STOP_TIMEOUT_MS);
      ctx.progress(`stopped cleanly; waiting for ${others.join(', ')} to see the group without it`);
      const end = Date.now() + LEFT_WAIT_MS;
      const sizes = () => Object.fromEntries(others.map((x) => [x, status(x)?.clusterSize ?? null]));
      while (!others.every((x) => isSynced(status(x)) && (status(x)?.clusterSize ?? before) < before)) {
        if (Date.now() > end) throw new Error(`${id} stopped, but after ${LEFT_WAIT_MS / 1000} s the others still report ${JSON.stringify(sizes())} (wsrep_cluster_size, ${before} before)`);
        ctx.cancelled();
        await sleep(200);
      }
      return { left: g, clusterSizeBefore: before, clusterSizeOnOthers: sizes() };
    },

    async 'galera-peers'(step, ctx) {
      const g = arg(step, 'galeraCluster');
      await s.galera.undrain(g, step.serverId ?? '', false);
      const p = await s.galera.planNodes(g);
      const hint = `the instance is gone, but ${g}'s other nodes still name it as a peer: plan and apply ${g}'s Galera configuration`;
      if (p.error) throw new Error(`${p.error}; ${hint}`);
      const writes = p.steps.filter((x) => x.action === 'configure');
      const exec = galeraExecutor(s.galera, g);
      for (const w of writes) {
        try {
          await exec(asStep(w), ctx);
        } catch (e) {
          throw new Error(`${w.serverId}: ${(e as Error).message}; ${hint}`);
        }
      }
      const rest = p.steps.filter((x) => x.action !== 'configure').map((x) => x.title);
      return { peerListsWritten: writes.map((w) => w.serverId), ...(rest.length ? { leftToApply: rest } : {}) };
    },

    async 'gluster-detach'(step, ctx) {
      const g = arg(step, 'glusterCluster');
      const host = arg(step, 'host');
      const actor = glusterMembers(findCluster(state(), g), state().servers).find((m) => m.address !== host && s.connected(m.id));
      if (!actor) throw new Error(`no connected Gluster peer of ${g} is left to detach ${host} from the pool: detach it by hand (gluster peer detach ${host} force)`);
      await s.gluster.job(actor.id, { op: 'detach', host, force: true }, (line) => ctx.progress(line));
      return { detachedBy: actor.id };
    },
  };
}
