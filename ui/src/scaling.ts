/**
 * Scaling and schedules in the browser (agent/hub/scaling, agent/hub/schedules): the REST calls,
 * the `scaling` frames the live socket streams to users with the scale flag, and pure helpers for
 * the views.
 */
import type { Operation, ScalingBindInput, ScalingDecision, ScalingPolicy, ScalingView, ScheduleRun, ScheduleView } from '../../agent/protocol/types.js';
import { call } from './api.js';
import { topic } from './topic.js';

const at = (cluster: string, what = '') => `api/clusters/${encodeURIComponent(cluster)}/scaling${what}`;
export const getScaling = (base: string, cluster: string) => call<ScalingView>(base, 'GET', at(cluster));
export const setPolicy = (base: string, cluster: string, policy: ScalingPolicy) => call<ScalingView>(base, 'POST', at(cluster, '/policy'), policy);
export const bindGroup = (base: string, cluster: string, body: ScalingBindInput) => call<ScalingView>(base, 'POST', at(cluster, '/binding'), body);
export const unbindGroup = (base: string, cluster: string) => call<null>(base, 'DELETE', at(cluster, '/binding'));
export const makeUserData = (base: string, cluster: string) => call<{ snippet: string; expiresAt: string; uses: number }>(base, 'POST', at(cluster, '/user-data'), {});
export const setProtection = (base: string, cluster: string, serverId: string, on: boolean) => call<ScalingView>(base, 'POST', at(cluster, '/protection'), { serverId, protected: on });
export const previewScaling = (base: string, cluster: string) =>
  call<{ proposal: Pick<ScalingDecision, 'source' | 'action' | 'from' | 'to' | 'reason'> | null; hold: string | null }>(base, 'POST', at(cluster, '/preview'));
export const scaleIn = (base: string, cluster: string, dryRun: boolean, serverId?: string) =>
  call<Operation>(base, 'POST', at(cluster, '/scale-in'), { dryRun, ...(serverId ? { serverId } : {}) });
export const listSchedules = (base: string) => call<ScheduleView[]>(base, 'GET', 'api/schedules');
export const runSchedule = (base: string, id: string) => call<ScheduleRun>(base, 'POST', `api/schedules/${encodeURIComponent(id)}/run`);
export const patchSchedule = (base: string, id: string, body: { enabled?: boolean; cron?: string; timeZone?: string }) =>
  call<ScheduleView>(base, 'PATCH', `api/schedules/${encodeURIComponent(id)}`, body);

const views = topic<ScalingView>();
export const publishScaling = views.publish;
export const onScaling = views.on;

const UNITS = { cpu: '% CPU', mem: '% memory', sessions: ' sessions per server' } as const;

/** "2.5 sessions per server over 3 servers (1 warming up); target 3". */
export function readingLine(v: ScalingView): string | null {
  const r = v.reading;
  if (!r) return null;
  const value = r.value === null ? 'no figures yet' : `${r.value}${UNITS[r.metric]}`;
  const target = v.policy?.targetTracking ? `; target ${v.policy.targetTracking.target}` : '';
  return `${value} over ${r.servers} server${r.servers === 1 ? '' : 's'}${r.warming ? ` (${r.warming} warming up)` : ''}${target}`;
}

/** The figures a decision saw, as "metric=sessions value=4.5 target=3 …". */
export const figuresText = (f: Record<string, unknown> | undefined) =>
  Object.entries(f ?? {}).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ');

/** The policy form's text fields as a policy (numbers parsed; empty optional fields left out); throws with the field at fault. */
export function policyFromForm(f: Record<string, string | boolean>): ScalingPolicy {
  const num = (k: string, required = false): number | undefined => {
    const raw = String(f[k] ?? '').trim();
    if (!raw) {
      if (required) throw new Error(`${k} is required`);
      return undefined;
    }
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new Error(`${k} must be a number, not '${raw}'`);
    return n;
  };
  const json = (k: string): unknown => {
    const raw = String(f[k] ?? '').trim();
    if (!raw) return undefined;
    try { return JSON.parse(raw); } catch (e) { throw new Error(`${k} is not JSON: ${(e as Error).message}`); }
  };
  const opt = <T>(k: string, v: T | undefined) => (v === undefined ? {} : { [k]: v });
  const target = num('target');
  return {
    min: num('min', true)!, max: num('max', true)!, ...opt('desired', num('desired')),
    enabled: f['enabled'] !== false, dryRun: f['dryRun'] === true,
    ...(target !== undefined ? { targetTracking: { metric: String(f['metric'] || 'cpu') as 'cpu', target, ...opt('periodSeconds', num('periodSeconds')) } } : {}),
    ...opt('warmupSeconds', num('warmupSeconds')), ...opt('scaleOutCooldownSeconds', num('scaleOutCooldownSeconds')),
    ...opt('scaleInCooldownSeconds', num('scaleInCooldownSeconds')), ...opt('drainTimeoutSeconds', num('drainTimeoutSeconds')),
    ...opt('steps', json('steps')), ...opt('scheduled', json('scheduled')),
  } as ScalingPolicy;
}

/** A policy as the form's text fields. */
export function formFromPolicy(p: ScalingPolicy | undefined): Record<string, string | boolean> {
  const s = (n: number | undefined) => (n === undefined ? '' : String(n));
  return {
    min: s(p?.min ?? 1), max: s(p?.max ?? 4), desired: s(p?.desired), enabled: p?.enabled !== false, dryRun: p?.dryRun === true,
    metric: p?.targetTracking?.metric ?? 'cpu', target: s(p?.targetTracking?.target), periodSeconds: s(p?.targetTracking?.periodSeconds),
    warmupSeconds: s(p?.warmupSeconds), scaleOutCooldownSeconds: s(p?.scaleOutCooldownSeconds), scaleInCooldownSeconds: s(p?.scaleInCooldownSeconds),
    drainTimeoutSeconds: s(p?.drainTimeoutSeconds),
    steps: p?.steps?.length ? JSON.stringify(p.steps) : '', scheduled: p?.scheduled?.length ? JSON.stringify(p.scheduled) : '',
  };
}
