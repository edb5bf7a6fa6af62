/**
 * Brings a cluster's load balancers in line with the model on the scaler's behalf: plan, then
 * apply (through the zero-drop runtime path whenever only membership, weights or states change).
 * One sync per cluster at a time; a plan made stale by a change meanwhile is planned again.
 */
import type { PlanView } from '../../protocol/types.js';
import type { Plans } from '../jobs/plans.js';
import type { Store } from '../store.js';
import { findCluster } from '../model/clusters.js';

const ATTEMPTS = 3;

export class LbSync {
  private queues = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: { store: Store; plans: Plans; log: (msg: string) => void }) {}

  /** Resolves with the applied plan, or throws with why the load balancers could not follow. */
  sync(cluster: string, user: string): Promise<PlanView> {
    const run = (this.queues.get(cluster) ?? Promise.resolve()).catch(() => {}).then(() => this.attempt(cluster, user));
    this.queues.set(cluster, run);
    return run;
  }

  private async attempt(name: string, user: string): Promise<PlanView> {
    let last = '';
    for (let i = 0; i < ATTEMPTS; i++) {
      const cluster = findCluster(this.deps.store.state, name);
      const plan = await this.deps.plans.create(cluster, user);
      if (plan.state !== 'planned') throw new Error(`the load balancers refused the plan: ${plan.nodes.map((n) => `${n.serverId}: ${n.error ?? n.state}`).join('; ')}`);
      const done = await this.deps.plans.apply(plan.id, user).done;
      if (done.state === 'applied') return done;
      last = done.nodes.filter((n) => n.error).map((n) => `${n.serverId}: ${n.error}`).join('; ');
      if (!/plan again/.test(last)) break;
      this.deps.log(`scaler: the plan for ${name} went stale (${last}); planning again`);
    }
    throw new Error(`the load balancers did not apply: ${last}`);
  }
}
