/**
 * Keeps the load balancers' Galera backends in step with the nodes' Galera state: when what HAProxy
 * should do with a node changes (it became a Donor, went down, was drained for an operation, is
 * Synced again), each load balancer serving the cluster gets an lb-plan and lb-apply job, which
 * changes the server's state through the runtime API (no reload, no dropped connection) and writes
 * it to the file. One sync per load-balancer cluster at a time; a change during one runs after it.
 */
import type { Cluster, JobResult, LbDesired, State } from '../../protocol/types.js';
import { withAudit } from '../audit/entries.js';
import { HttpError } from '../errors.js';
import { desiredLoadBalancing, type ExtraBackends } from '../jobs/lb-desired.js';
import type { JobOptions } from '../sockets/agent-gateway.js';
import type { Store } from '../store.js';
import { lbClustersServing } from './lb-backend.js';

export interface LbSyncDeps {
  store: Store;
  runJob: (serverId: string, kind: 'lb-plan' | 'lb-apply', opts: JobOptions) => Promise<JobResult>;
  extraBackends: () => ExtraBackends;
  log: (msg: string) => void;
}

interface Sync { running: Promise<void> | undefined; again: boolean; applied: string | undefined }

export class GaleraLbSync {
  private syncs = new Map<string, Sync>();

  constructor(private readonly deps: LbSyncDeps) {}

  /** What the load balancers of `lb` should run now. */
  private desired(state: State, lb: Cluster): Map<string, LbDesired> {
    return desiredLoadBalancing(state, lb, this.deps.extraBackends());
  }

  /** Brings every load balancer serving Galera cluster `galera` in line; resolves once they are (or failed, logged). */
  async syncFor(galera: string, force = false): Promise<void> {
    const state = this.deps.store.state;
    await Promise.all(lbClustersServing(state, galera).map((lb) => this.sync(lb.name, force)));
  }

  /** Syncs load-balancer cluster `name` when its desired state changed since the last sync (or `force`). */
  sync(name: string, force = false): Promise<void> {
    let s = this.syncs.get(name);
    if (!s) this.syncs.set(name, (s = { running: undefined, again: false, applied: undefined }));
    if (s.running) {
      s.again = true;
      return s.running;
    }
    const entry = s;
    const loop = async () => {
      do {
        entry.again = false;
        const lb = this.deps.store.state.clusters.find((c) => c.name === name && c.loadBalancer);
        if (!lb) return;
        let desired: Map<string, LbDesired>;
        try {
          desired = this.desired(this.deps.store.state, lb);
        } catch (e) {
          this.deps.log(`galera: cannot work out the load balancers of ${name}: ${(e as Error).message}`);
          return;
        }
        const key = JSON.stringify([...desired]);
        if (!force && key === entry.applied) continue;
        force = false;
        const changes = await Promise.all([...desired].map(([id, d]) => this.applyOne(id, d)));
        if (changes.every((c) => c !== null)) entry.applied = key;
        const done = changes.filter((c): c is string => !!c);
        if (done.length) await this.deps.store.update((st) => withAudit(st, 'hub', 'galera.backends', name, new Date(), { detail: done.join('\n'), clusters: [name] })).catch(() => {});
      } while (entry.again);
    };
    entry.running = loop().finally(() => { entry.running = undefined; });
    return entry.running;
  }

  /** Plans and applies one load balancer; returns what changed ('' for nothing), null on failure (logged). */
  private async applyOne(serverId: string, lb: LbDesired): Promise<string | null> {
    try {
      const plan = await this.deps.runJob(serverId, 'lb-plan', { payload: { lb } });
      if (!plan.ok) throw new Error(plan.error ?? 'plan refused');
      const files = plan.plan?.files ?? [];
      if (files.every((f) => f.change === 'none')) return '';
      const r = await this.deps.runJob(serverId, 'lb-apply', { payload: { lb, expect: files.map((f) => ({ applier: f.applier, base: f.base, next: f.next })) } });
      if (!r.ok) throw new Error(r.error ?? 'apply refused');
      return `${serverId}: ${files.flatMap((f) => f.steps ?? [f.change]).join(', ')}`;
    } catch (e) {
      this.deps.log(`galera: load balancer ${serverId} not updated: ${e instanceof HttpError ? e.message : (e as Error).message}`);
      return null;
    }
  }
}
