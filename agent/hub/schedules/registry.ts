/**
 * The one registry of scheduled jobs (node-cron). Each job has a cron expression in a time zone;
 * a run is audited and leaves its result and duration; two runs of one job never overlap (a tick
 * that comes while the job still runs is skipped and audited, a manual run is refused with 409).
 * The next due time is kept in the state: a hub that starts after it finds the run missed,
 * reports it, and runs it once if the job says so (catch-up, oldest first).
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { ScheduleKind, ScheduleRecord, ScheduleRun, ScheduleSettings, ScheduleView, State } from '../../protocol/types.js';
import { withAudit } from '../audit/entries.js';
import { conflict, notFound } from '../errors.js';
import type { Store } from '../store.js';

export interface RunContext { reason: ScheduleRun['reason']; by: string }

export interface JobDef {
  id: string;
  kind: ScheduleKind;
  title: string;
  cluster?: string;
  settings: ScheduleSettings;
  /** Does the work; returns what to show as the run's detail, throws to fail it. */
  run(ctx: RunContext): Promise<string>;
}

interface Entry { def: JobDef; task?: ScheduledTask; key: string; running: boolean }

export const SYSTEM_USER = 'scheduler';

export class ScheduleRegistry {
  private jobs = new Map<string, Entry>();
  private stopped = false;

  constructor(private readonly deps: { store: Store; log(msg: string): void; now?: () => Date }) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Makes the registry hold exactly `defs`: new or changed ones (re)scheduled, gone ones stopped. */
  sync(defs: readonly JobDef[]): void {
    if (this.stopped) return;
    const ids = new Set(defs.map((d) => d.id));
    for (const [id, e] of this.jobs) {
      if (ids.has(id)) continue;
      void e.task?.destroy();
      this.jobs.delete(id);
    }
    for (const def of defs) {
      const key = JSON.stringify([def.settings.cron, def.settings.timeZone, def.settings.enabled]);
      const e = this.jobs.get(def.id);
      if (e && e.key === key) {
        e.def = def;
        continue;
      }
      void e?.task?.destroy();
      const entry: Entry = { def, key, running: e?.running ?? false };
      if (def.settings.enabled) {
        entry.task = cron.createTask(def.settings.cron, () => this.execute(def.id, 'scheduled', SYSTEM_USER).catch(() => {}), {
          timezone: def.settings.timeZone, name: def.id, suppressMissedWarning: true, unref: true,
        });
        void entry.task.start();
      }
      this.jobs.set(def.id, entry);
    }
  }

  /**
   * At start-up (after the first sync): every enabled job whose recorded next run lies in the
   * past missed it while the hub was down. Each is reported (state and audit); those with
   * `catchUp` run once now, in the order they were due. Then every next run is recorded.
   */
  async recoverMissed(): Promise<void> {
    const now = this.now();
    const records = this.deps.store.state.schedules ?? {};
    const missed = [...this.jobs.values()]
      .map((e) => ({ e, due: records[e.def.id]?.nextRunAt }))
      .filter((m): m is { e: Entry; due: string } => !!m.due && Date.parse(m.due) < now.getTime() && m.e.def.settings.enabled)
      .sort((a, b) => a.due.localeCompare(b.due));
    for (const { e, due } of missed) {
      const catchUp = e.def.settings.catchUp === true;
      this.deps.log(`schedule ${e.def.id}: the run due at ${due} was missed while the hub was down${catchUp ? '; running it once now' : ''}`);
      await this.deps.store.update((s) => withAudit(this.patchRecord(s, e.def.id, { missed: { dueAt: due, noticedAt: now.toISOString(), caughtUp: catchUp } }),
        SYSTEM_USER, 'schedule.missed', e.def.id, now, { detail: `due at ${due}${catchUp ? '; run once at start-up' : ''}` }));
    }
    for (const { e } of missed) if (e.def.settings.catchUp) await this.execute(e.def.id, 'catch-up', SYSTEM_USER).catch(() => {});
    await this.deps.store.update((s) => {
      let next = s;
      for (const e of this.jobs.values()) next = this.patchRecord(next, e.def.id, { nextRunAt: this.nextRun(e) });
      return next;
    });
  }

  /** Runs a job now for `by`; 409 while it runs. Resolves with the finished run. */
  async runNow(id: string, by: string): Promise<ScheduleRun> {
    const e = this.entry(id);
    if (e.running) throw conflict(`${e.def.title} is running: two runs of one job never overlap`);
    return this.execute(id, 'manual', by);
  }

  isRunning(id: string): boolean {
    return this.jobs.get(id)?.running ?? false;
  }

  get(id: string): JobDef {
    return this.entry(id).def;
  }

  private entry(id: string): Entry {
    const e = this.jobs.get(id);
    if (!e) throw notFound(`no scheduled job '${id}'`);
    return e;
  }

  private async execute(id: string, reason: ScheduleRun['reason'], by: string): Promise<ScheduleRun> {
    const e = this.entry(id);
    if (e.running) {
      const at = this.now();
      this.deps.log(`schedule ${id}: skipped the run due at ${at.toISOString()}: the previous one still runs`);
      await this.deps.store.update((s) => withAudit(s, by, 'schedule.skipped', id, at, { detail: 'the previous run still runs' })).catch(() => {});
      return { startedAt: at.toISOString(), result: 'skipped', reason, detail: 'the previous run still runs', by };
    }
    e.running = true;
    const started = this.now();
    const t0 = performance.now();
    let result: ScheduleRun['result'] = 'ok';
    let detail: string;
    try {
      detail = await e.def.run({ reason, by });
    } catch (err) {
      result = 'failed';
      detail = (err as Error).message;
      this.deps.log(`schedule ${id}: failed: ${detail}`);
    } finally {
      e.running = false;
    }
    const run: ScheduleRun = {
      startedAt: started.toISOString(), finishedAt: this.now().toISOString(), durationMs: Math.round(performance.now() - t0),
      result, reason, detail: detail.slice(0, 2048), by,
    };
    await this.deps.store.update((s) => withAudit(this.patchRecord(s, id, { lastRun: run, nextRunAt: this.nextRun(e) }), by, `schedule.${result}`, id, started, { detail: `${reason}: ${run.detail}`, result: result === 'ok' ? 'ok' : 'failed' }))
      .catch((err: Error) => this.deps.log(`schedule ${id}: cannot record its run: ${err.message}`));
    return run;
  }

  private nextRun(e: Entry): string | undefined {
    return e.task?.getNextRun()?.toISOString();
  }

  private patchRecord(s: State, id: string, patch: Partial<ScheduleRecord>): State {
    const old = s.schedules?.[id] ?? {};
    const next: ScheduleRecord = { ...old, ...patch };
    if (patch.nextRunAt === undefined && 'nextRunAt' in patch) delete next.nextRunAt;
    return { ...s, schedules: { ...s.schedules, [id]: next } };
  }

  /** Every job as the panel shows it. */
  views(): ScheduleView[] {
    const records = this.deps.store.state.schedules ?? {};
    return [...this.jobs.values()].map(({ def, running, task }) => {
      const r = records[def.id];
      return {
        id: def.id, kind: def.kind, title: def.title, ...(def.cluster ? { cluster: def.cluster } : {}),
        cron: def.settings.cron, timeZone: def.settings.timeZone, enabled: def.settings.enabled,
        ...(def.settings.catchUp !== undefined ? { catchUp: def.settings.catchUp } : {}),
        ...(def.settings.keep !== undefined ? { keep: def.settings.keep } : {}),
        running, nextRunAt: task?.getNextRun()?.toISOString() ?? null,
        ...(r?.lastRun ? { lastRun: r.lastRun } : {}),
        ...(r?.missed ? { missed: r.missed } : {}),
      };
    });
  }

  stop(): void {
    this.stopped = true;
    for (const e of this.jobs.values()) void e.task?.destroy();
    this.jobs.clear();
  }
}
