import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/harness.js';
import { Store } from '../store.js';
import { checkCron } from './cron.js';
import { type JobDef, ScheduleRegistry } from './registry.js';

let dir: string;
let store: Store;
let reg: ScheduleRegistry;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uc-sched-'));
  store = await Store.open(join(dir, 'state.json'));
  reg = new ScheduleRegistry({ store, log: () => {} });
});
afterEach(() => {
  reg.stop();
  rmSync(dir, { recursive: true, force: true });
});

const job = (id: string, run: JobDef['run'], extra: Partial<JobDef['settings']> = {}): JobDef => ({
  id, kind: 'health-sweep', title: id, settings: { cron: '* * * * * *', timeZone: 'UTC', enabled: true, ...extra }, run,
});

describe('ScheduleRegistry', () => {
  it('runs on its cron expression, records the result and duration, and never overlaps two runs of one job', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    reg.sync([job('slow', async () => {
      running++;
      most = Math.max(most, running);
      runs++;
      if (runs === 1) await gate;
      running--;
      return `run ${runs}`;
    })]);
    await waitFor('the first run to start', () => reg.isRunning('slow'));
    // Ticks come every second while it runs: each is skipped and audited; a manual run is refused.
    await waitFor('a tick skipped while the job runs', () => store.state.audit.some((a) => a.action === 'schedule.skipped' && a.target === 'slow'));
    await expect(reg.runNow('slow', 'alice')).rejects.toMatchObject({ status: 409 });
    release();
    await waitFor('a second run after the first ended', () => runs >= 2 && !reg.isRunning('slow'));
    expect(most).toBe(1);
    const view = await waitFor('the run recorded', () => reg.views().find((v) => v.id === 'slow' && v.lastRun));
    expect(view.lastRun).toMatchObject({ result: 'ok', reason: 'scheduled', by: 'scheduler' });
    expect(view.lastRun!.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(view.nextRunAt!)).toBeGreaterThan(Date.now() - 1000);
    expect(store.state.audit.some((a) => a.action === 'schedule.ok' && a.target === 'slow')).toBe(true);
  });

  it('reports a run missed while the hub was down and runs it once when the job says so', async () => {
    const past = new Date(Date.now() - 3_600_000).toISOString();
    await store.update((s) => ({ ...s, schedules: { catchup: { nextRunAt: past }, report: { nextRunAt: past } } }));
    const ran: string[] = [];
    const daily = { cron: '0 3 * * *' };
    reg.sync([job('catchup', async (ctx) => { ran.push(`catchup ${ctx.reason}`); return 'made up'; }, { ...daily, catchUp: true }), job('report', async () => { ran.push('report'); return ''; }, daily)]);
    await reg.recoverMissed();
    expect(ran).toEqual(['catchup catch-up']);
    const views = Object.fromEntries(reg.views().map((v) => [v.id, v]));
    expect(views['catchup']!.missed).toMatchObject({ dueAt: past, caughtUp: true });
    expect(views['catchup']!.lastRun).toMatchObject({ reason: 'catch-up', result: 'ok', detail: 'made up' });
    expect(views['report']!.missed).toMatchObject({ dueAt: past, caughtUp: false });
    expect(views['report']!.lastRun).toBeUndefined();
    expect(store.state.audit.filter((a) => a.action === 'schedule.missed').map((a) => a.target).sort()).toEqual(['catchup', 'report']);
    // The next due time is recorded: a restart now would find nothing missed.
    expect(Date.parse(store.state.schedules!['report']!.nextRunAt!)).toBeGreaterThan(Date.now());
  });

  it('records a failed run with its error', async () => {
    reg.sync([job('bad', async () => { throw new Error('disk full'); }, { cron: '0 3 * * *' })]);
    const run = await reg.runNow('bad', 'alice');
    expect(run).toMatchObject({ result: 'failed', detail: 'disk full', reason: 'manual', by: 'alice' });
    expect(store.state.audit.at(-1)).toMatchObject({ user: 'alice', action: 'schedule.failed', target: 'bad' });
  });
});

describe('checkCron', () => {
  it('names a bad expression or time zone', () => {
    expect(checkCron('0 8 * * 1-5', 'Europe/Berlin')).toEqual([]);
    expect(checkCron('61 * * * *', 'UTC')[0]).toMatch(/'61 \* \* \* \*' is not a valid cron expression \(minute '61'/);
    expect(checkCron('* * *', 'UTC')[0]).toMatch(/expected 5 or 6 fields/);
    expect(checkCron('* * * * *', 'Mars/Olympus')).toEqual(["'Mars/Olympus' is not a time zone (use an IANA name such as Europe/Berlin or UTC)"]);
  });
});
