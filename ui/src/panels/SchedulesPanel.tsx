/**
 * Scheduled jobs (agent/hub/schedules): each with its cron expression and time zone, next run,
 * last result and duration, and a run missed while the hub was down. An admin runs a hub-wide job
 * now or turns it on and off; a user with "scale" runs a cluster's scheduled capacity now.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ScheduleView } from '../../../agent/protocol/types.js';
import { listSchedules, patchSchedule, runSchedule } from '../scaling.js';
import type { Model } from '../store.js';

const REFRESH_MS = 5000;
const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' }) : '—');

export function SchedulesPanel({ base, model }: { base: string; model: Model }) {
  const [jobs, setJobs] = useState<ScheduleView[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const acl = model.user.acl;
  const admin = acl.scope === '*' && Object.entries(acl).every(([k, v]) => k === 'scope' || v === true);
  const refresh = () => listSchedules(base).then((j) => { setJobs(j); setError(undefined); }, (e: Error) => setError(e.message));
  useEffect(() => {
    void refresh();
    const t = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(t);
  }, [base]);
  const act = async (id: string, what: () => Promise<unknown>) => {
    setBusy(id);
    setError(undefined);
    try { await what(); await refresh(); } catch (e) { setError((e as Error).message); } finally { setBusy(undefined); }
  };
  return (
    <section class="uc-card" aria-labelledby="uc-schedules-title" data-testid="schedules-panel">
      <h2 id="uc-schedules-title">Schedules</h2>
      {error && <p class="uc-error" role="alert">{error}</p>}
      <div class="uc-table-wrap"><table class="uc-table uc-schedules-table">
        <thead><tr><th scope="col">Job</th><th scope="col">When</th><th scope="col">Next run</th><th scope="col">Last run</th><th scope="col"></th></tr></thead>
        <tbody>
          {(jobs ?? []).map((j) => {
            const mayRun = j.cluster ? acl.scale : admin;
            return (
              <tr data-testid={`schedule-${j.id}`} data-enabled={String(j.enabled)}>
                <td>{j.title}
                  {j.missed && <div class="uc-warn" data-testid="schedule-missed">Missed the run due {when(j.missed.dueAt)} while the hub was down{j.missed.caughtUp ? '; ran it once at start-up' : ''}.</div>}</td>
                <td><code>{j.cron}</code> {j.timeZone}{j.enabled ? '' : ' (off)'}{j.keep ? `, keeps ${j.keep}` : ''}</td>
                <td>{j.enabled ? when(j.nextRunAt) : '—'}</td>
                <td data-testid="schedule-last">{j.running ? 'running…' : j.lastRun
                  ? <><span class={j.lastRun.result === 'failed' ? 'uc-error' : ''}>{j.lastRun.result}</span> {when(j.lastRun.startedAt)}{j.lastRun.durationMs !== undefined ? ` in ${j.lastRun.durationMs} ms` : ''} ({j.lastRun.reason})
                    {j.lastRun.detail && <div class="uc-note">{j.lastRun.detail}</div>}</>
                  : 'never'}</td>
                <td>
                  {mayRun && <button type="button" class="uc-secondary" disabled={busy === j.id || j.running} data-testid={`schedule-run-${j.id}`} onClick={() => act(j.id, () => runSchedule(base, j.id))}>Run now</button>}{' '}
                  {admin && !j.cluster && <button type="button" class="uc-secondary" disabled={busy === j.id} data-testid={`schedule-toggle-${j.id}`} onClick={() => act(j.id, () => patchSchedule(base, j.id, { enabled: !j.enabled }))}>{j.enabled ? 'Turn off' : 'Turn on'}</button>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table></div>
    </section>
  );
}
