/**
 * The one runner of operations (DESIGN: Operations). A feature plans an operation with a pure
 * function (the ordered steps) and gives an executor that performs one step, usually as a job on
 * one node; the runner runs the steps one at a time, persists each change of state (a hub restart
 * then shows where it stopped), streams every change to `publish`, and audits the start, each
 * question answered and the end. One operation per cluster at a time. A step that throws stops the
 * operation with its message; the steps after it are skipped.
 */
import { randomBytes } from 'node:crypto';
import type { Operation, OperationFlag, OperationStep, State } from '../../protocol/types.js';
import { withAudit } from '../audit/entries.js';
import { conflict, notFound } from '../errors.js';
import type { Store } from '../store.js';
import { interruptUnfinished, isFinished, recordOperation } from './records.js';

/** A step as a planner writes it; the runner adds its id and state. */
export interface StepPlan {
  action: string;
  title: string;
  serverId?: string;
  args?: Record<string, unknown>;
}

export interface OperationPlan {
  cluster: string;
  kind: string;
  title: string;
  /** The flag needed to confirm or cancel it: the one its endpoint required to start it. */
  flag: OperationFlag;
  steps: StepPlan[];
}

/** Thrown by `confirm` when the user cancels instead, and by `cancelled()` after a cancel. */
export class OperationCancelled extends Error {}

export interface StepContext {
  readonly operationId: string;
  readonly cluster: string;
  /** The latest progress line, shown at once (persisted at most every few seconds). */
  progress(detail: string): void;
  /** Facts for the user (merged into the step's evidence and persisted). */
  evidence(facts: Record<string, unknown>): void;
  /** Asks the user; resolves when confirmed, throws OperationCancelled when cancelled. */
  confirm(question: string): Promise<void>;
  /** Plans more steps right after this one (e.g. the joins once the bootstrap node is chosen). */
  insertAfter(steps: StepPlan[]): void;
  /** Throws OperationCancelled once a user has cancelled: long waits call it between polls. */
  cancelled(): void;
  /** The steps done so far (their evidence is the input of later steps). */
  done(): readonly OperationStep[];
}

/** Performs one step; what it returns is merged into the step's evidence. */
export type StepExecutor = (step: OperationStep, ctx: StepContext) => Promise<Record<string, unknown> | void>;

interface Running {
  op: Operation;
  cancelRequested: boolean;
  answer?: { resolve(): void; reject(e: Error): void };
  finished: Promise<Operation>;
}

const PERSIST_PROGRESS_MS = 2000;

/** Every change makes a new operation object with the next `rev`, so a reader can tell the newer of two. */
function set(r: Running, op: Operation): void {
  r.op = { ...op, rev: r.op.rev + 1 };
}

export interface OperationsDeps {
  store: Store;
  publish: (op: Operation) => void;
  log: (msg: string) => void;
  now?: () => Date;
}

export class Operations {
  private running = new Map<string, Running>();
  private readonly now: () => Date;

  constructor(private readonly deps: OperationsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** At start-up: operations the previous hub left unfinished are marked interrupted. */
  async recover(): Promise<void> {
    if (this.deps.store.state.operations?.some((o) => !isFinished(o))) {
      await this.deps.store.update((s) => interruptUnfinished(s, this.now()));
    }
  }

  get(id: string): Operation {
    const op = this.running.get(id)?.op ?? this.deps.store.state.operations?.find((o) => o.id === id);
    if (!op) throw notFound(`no operation with id '${id}'`);
    return op;
  }

  /** A cluster's operations, newest first. */
  list(cluster: string): Operation[] {
    return (this.deps.store.state.operations ?? []).filter((o) => o.cluster === cluster).map((o) => this.running.get(o.id)?.op ?? o).reverse();
  }

  /** The cluster's unfinished operation, if any. */
  current(cluster: string): Operation | undefined {
    for (const r of this.running.values()) if (r.op.cluster === cluster) return r.op;
    return undefined;
  }

  /**
   * Starts `plan` as `user` (whose ACL the caller checked) and runs it in the background. Refused
   * with 409 while another operation runs on the cluster. Resolves once the start is persisted.
   */
  async start(plan: OperationPlan, user: string, execute: StepExecutor): Promise<Operation> {
    const busy = this.current(plan.cluster);
    if (busy) throw conflict(`cluster '${plan.cluster}' is busy with "${busy.title}" (operation ${busy.id}); wait for it to end or cancel it`);
    const op: Operation = {
      id: randomBytes(9).toString('hex'), cluster: plan.cluster, kind: plan.kind, title: plan.title, flag: plan.flag,
      state: 'running', createdBy: user, createdAt: this.now().toISOString(), rev: 1,
      steps: plan.steps.map((s, i) => ({ ...s, id: String(i + 1), state: 'pending' })),
    };
    let finish!: (op: Operation) => void;
    const r: Running = { op, cancelRequested: false, finished: new Promise((res) => (finish = res)) };
    this.running.set(op.id, r);
    try {
      await this.deps.store.update((s) => withAudit(recordOperation(s, op), user, `${op.kind}.start`, `${op.cluster} operation ${op.id}`, this.now(), { detail: op.title, clusters: [op.cluster] }));
    } catch (e) {
      this.running.delete(op.id);
      throw e;
    }
    this.deps.publish(op);
    void this.run(r, execute).then(() => finish(r.op));
    return op;
  }

  /** Resolves with the operation once it has ended (done, failed or cancelled). */
  finished(id: string): Promise<Operation> {
    const r = this.running.get(id);
    return r ? r.finished : Promise.resolve(this.get(id));
  }

  /** Answers the question of a waiting operation with yes. */
  async confirm(id: string, user: string): Promise<Operation> {
    const r = this.running.get(id);
    if (!r?.answer) throw conflict(`operation ${id} is ${this.get(id).state}: it asks nothing now`);
    await this.deps.store.update((s) => withAudit(s, user, `${r.op.kind}.confirm`, `${r.op.cluster} operation ${id}`, this.now(), { ...(r.op.question ? { detail: r.op.question } : {}), clusters: [r.op.cluster] }));
    r.answer.resolve();
    return r.op;
  }

  /** Stops an operation after its current step (at once while it waits for an answer). */
  async cancel(id: string, user: string): Promise<Operation> {
    const r = this.running.get(id);
    if (!r) throw conflict(`operation ${id} is ${this.get(id).state}: only a running or waiting operation can be cancelled`);
    await this.deps.store.update((s) => withAudit(s, user, `${r.op.kind}.cancel`, `${r.op.cluster} operation ${id}`, this.now(), { clusters: [r.op.cluster] }));
    r.cancelRequested = true;
    r.answer?.reject(new OperationCancelled(`cancelled by ${user}`));
    return r.op;
  }

  private async run(r: Running, execute: StepExecutor): Promise<void> {
    let failure: { state: 'failed' | 'cancelled'; error: string } | undefined;
    for (let i = 0; i < r.op.steps.length && !failure; i++) {
      if (r.cancelRequested) {
        failure = { state: 'cancelled', error: 'cancelled before this step' };
        break;
      }
      const step = () => r.op.steps[i]!;
      await this.setStep(r, i, { state: 'running', startedAt: this.now().toISOString() });
      try {
        const facts = await execute(step(), this.context(r, i));
        await this.setStep(r, i, { state: 'done', finishedAt: this.now().toISOString(), ...(facts ? { evidence: { ...step().evidence, ...facts } } : {}) });
      } catch (e) {
        const cancelled = e instanceof OperationCancelled;
        const error = e instanceof Error ? e.message : String(e);
        await this.setStep(r, i, { state: cancelled ? 'skipped' : 'failed', finishedAt: this.now().toISOString(), error });
        failure = cancelled ? { state: 'cancelled', error } : { state: 'failed', error: `step "${step().title}" failed: ${error}` };
      }
    }
    const steps = r.op.steps.map((s) => (s.state === 'pending' ? { ...s, state: 'skipped' as const } : s));
    const { question: _q, ...rest } = r.op;
    set(r, { ...rest, steps, state: failure?.state ?? 'done', finishedAt: this.now().toISOString(), ...(failure ? { error: failure.error } : {}) });
    this.running.delete(r.op.id);
    const op = r.op;
    const outcome = op.steps.map((s) => `${s.id}. ${s.title}: ${s.state}${s.error ? ` (${s.error})` : ''}`).join('\n');
    await this.persist(op, (s) => withAudit(s, op.createdBy, `${op.kind}.${op.state}`, `${op.cluster} operation ${op.id}`, this.now(), { detail: outcome, result: op.state === 'done' ? 'ok' : 'failed', clusters: [op.cluster], servers: [...new Set(op.steps.flatMap((x) => (x.serverId ? [x.serverId] : [])))] }));
    this.deps.log(`operation ${op.id} (${op.kind} on ${op.cluster}): ${op.state}${op.error ? `: ${op.error}` : ''}`);
  }

  private context(r: Running, i: number): StepContext {
    let lastPersist = 0;
    return {
      operationId: r.op.id,
      cluster: r.op.cluster,
      progress: (detail) => {
        this.patchStep(r, i, { detail: detail.slice(0, 1024) });
        if (Date.now() - lastPersist < PERSIST_PROGRESS_MS) return void this.deps.publish(r.op);
        lastPersist = Date.now();
        void this.persist(r.op);
      },
      evidence: (facts) => {
        this.patchStep(r, i, { evidence: { ...r.op.steps[i]!.evidence, ...facts } });
        void this.persist(r.op);
      },
      confirm: async (question) => {
        if (r.cancelRequested) throw new OperationCancelled('cancelled');
        const answered = new Promise<void>((resolve, reject) => (r.answer = { resolve, reject }));
        set(r, { ...r.op, state: 'waiting', question: question.slice(0, 2048) });
        await this.setStep(r, i, { state: 'waiting' });
        try {
          await answered;
        } finally {
          r.answer = undefined;
          const { question: _q, ...rest } = r.op;
          set(r, { ...rest, state: 'running' });
          await this.setStep(r, i, { state: 'running' });
        }
      },
      insertAfter: (steps) => {
        const all = [...r.op.steps.slice(0, i + 1), ...steps.map((s) => ({ ...s, id: '', state: 'pending' as const })), ...r.op.steps.slice(i + 1)];
        set(r, { ...r.op, steps: all.map((s, k) => (k <= i ? s : { ...s, id: String(k + 1) })) });
      },
      cancelled: () => {
        if (r.cancelRequested) throw new OperationCancelled('cancelled');
      },
      done: () => r.op.steps.slice(0, i),
    };
  }

  private patchStep(r: Running, i: number, patch: Partial<OperationStep>): void {
    set(r, { ...r.op, steps: r.op.steps.map((s, k) => (k === i ? { ...s, ...patch } : s)) });
  }

  private async setStep(r: Running, i: number, patch: Partial<OperationStep>): Promise<void> {
    this.patchStep(r, i, patch);
    await this.persist(r.op);
  }

  /** Writes the operation (and `also`) and tells the browsers; a failed write is logged, not fatal. */
  private async persist(op: Operation, also: (s: State) => State = (s) => s): Promise<void> {
    this.deps.publish(op);
    try {
      await this.deps.store.update((s) => also(recordOperation(s, op)));
    } catch (e) {
      this.deps.log(`operation ${op.id}: cannot save its progress: ${(e as Error).message}`);
    }
  }
}
