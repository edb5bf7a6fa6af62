/**
 * Plans and their application: plan (every load balancer renders, validates and diffs its
 * desired state: an `lb-plan` job), then apply once a user approves (an `lb-apply` job per node,
 * all at once, refused by a node whose files changed since). Every change of a plan is told to
 * `onChange` (streamed to browsers); an apply ends with one audit entry holding user and diff.
 * Plans live in memory: a hub restart forgets them, and planning again is cheap.
 */
import { randomBytes } from 'node:crypto';
import type { Cluster, JobResult, LbDesired, PlanView, State } from '../../protocol/types.js';
import { withAudit } from '../audit/entries.js';
import { HttpError, conflict, notFound } from '../errors.js';
import type { JobOptions } from '../sockets/agent-gateway.js';
import type { Store } from '../store.js';
import { type ExtraBackends, desiredLoadBalancing } from './lb-desired.js';

const KEEP_PLANS = 50;

interface Plan { view: PlanView; desired: Map<string, LbDesired> }

export interface PlanDeps {
  store: Store;
  runJob: (serverId: string, kind: 'lb-plan' | 'lb-apply', opts: JobOptions) => Promise<JobResult>;
  onChange: (plan: PlanView) => void;
  /** What else the load balancers serve (a Galera cluster's TCP backend, with its live server states). */
  extraBackends?: () => ExtraBackends;
}

export class Plans {
  private plans = new Map<string, Plan>();

  constructor(private readonly deps: PlanDeps) {}

  get(id: string): PlanView {
    const p = this.plans.get(id);
    if (!p) throw notFound(`no plan with id '${id}' (plans are kept in memory until the hub restarts)`);
    return p.view;
  }

  /**
   * Drops the plans of a cluster about to be renamed (they were made under its old name); 409
   * while one of them is being applied.
   */
  forgetCluster(name: string): void {
    const mine = [...this.plans].filter(([, p]) => p.view.cluster === name);
    if (mine.some(([, p]) => p.view.state === 'applying')) throw conflict(`a plan is being applied to cluster '${name}': rename it once that is done`);
    for (const [id] of mine) this.plans.delete(id);
  }

  /** Asks every load balancer of `cluster` for its plan; resolves once all have answered. */
  async create(cluster: Cluster, user: string): Promise<PlanView> {
    const desired = desiredLoadBalancing(this.deps.store.state, cluster, this.deps.extraBackends?.());
    const view: PlanView = {
      id: randomBytes(9).toString('hex'), cluster: cluster.name, createdBy: user, createdAt: new Date().toISOString(), state: 'planned',
      nodes: [...desired.keys()].map((serverId) => ({ serverId, state: 'planned', files: [], steps: [] })),
    };
    this.plans.set(view.id, { view, desired });
    for (const old of [...this.plans.keys()].slice(0, Math.max(0, this.plans.size - KEEP_PLANS))) this.plans.delete(old);
    await Promise.all(view.nodes.map(async (node) => {
      const r = await this.job(node.serverId, 'lb-plan', { payload: { lb: desired.get(node.serverId)! } });
      node.files = r.plan?.files ?? [];
      if (!r.ok) Object.assign(node, { state: 'invalid', error: r.error ?? 'refused' });
    }));
    if (view.nodes.some((n) => n.state === 'invalid')) view.state = 'invalid';
    this.deps.onChange(view);
    return view;
  }

  /** Starts applying a planned plan; `done` resolves when every node has answered. */
  apply(id: string, user: string): { view: PlanView; done: Promise<PlanView> } {
    const plan = this.plans.get(id);
    if (!plan) throw notFound(`no plan with id '${id}'`);
    const { view } = plan;
    if (view.state !== 'planned') throw conflict(`plan ${id} is ${view.state}; only a planned plan can be applied (plan again)`);
    view.state = 'applying';
    view.appliedBy = user;
    const started = Date.now();
    for (const n of view.nodes) n.state = 'applying';
    this.deps.onChange(view);
    const done = Promise.all(view.nodes.map(async (node) => {
      const expect = node.files.map((f) => ({ applier: f.applier, base: f.base, next: f.next }));
      const r = await this.job(node.serverId, 'lb-apply', {
        payload: { lb: plan.desired.get(node.serverId)!, expect },
        onProgress: (step) => {
          if (node.steps.length < 4096) node.steps.push(step);
          this.deps.onChange(view);
        },
      });
      if (r.ok) node.state = 'done';
      else Object.assign(node, { state: 'failed', error: r.error ?? 'refused' });
      this.deps.onChange(view);
    })).then(async () => {
      view.applyMs = Date.now() - started;
      view.state = view.nodes.every((n) => n.state === 'done') ? 'applied' : 'failed';
      await this.deps.store.update((s) => audit(s, view));
      this.deps.onChange(view);
      return view;
    });
    return { view, done };
  }

  /** A job's result; an offline agent or a timeout becomes a failed result with the reason. */
  private async job(serverId: string, kind: 'lb-plan' | 'lb-apply', opts: JobOptions): Promise<JobResult> {
    try {
      return await this.deps.runJob(serverId, kind, opts);
    } catch (e) {
      return { v: 1, type: 'job-result', jobId: '', ok: false, error: e instanceof HttpError ? e.message : String(e) };
    }
  }
}

/** One audit entry per apply: who, which cluster, the outcome per node and the whole diff. */
function audit(s: State, view: PlanView): State {
  const outcome = view.nodes.map((n) => `# ${n.serverId}: ${n.state}${n.error ? ` (${n.error})` : ''}`);
  const diffs = view.nodes.flatMap((n) => n.files.filter((f) => f.diff).map((f) => `# ${n.serverId}\n${f.diff}`));
  const detail = [...outcome, ...diffs].join('\n').slice(0, 262144);
  const ok = view.state === 'applied';
  return withAudit(s, view.appliedBy ?? '?', ok ? 'lb.apply' : 'lb.apply-failed', `${view.cluster} plan ${view.id}`, new Date(), {
    detail, result: ok ? 'ok' : 'failed', clusters: [view.cluster], servers: view.nodes.map((n) => n.serverId),
  });
}
