/**
 * Scaling and schedules in /metrics (pure): per cluster the policy bounds, the group's desired
 * capacity and instances, the metric the policy watches with its target, and the decisions taken
 * since the hub started (by action and outcome); per scheduled job its next and last run.
 */
import type { ScalingView, ScheduleView } from '../../protocol/types.js';
import { Family, labels } from './exposition.js';

const secs = (iso: string | null | undefined) => (iso ? Date.parse(iso) / 1000 : undefined);

export function scalingFamilies(views: readonly ScalingView[], counts: ReadonlyMap<string, number>, jobs: readonly ScheduleView[]): Family[] {
  const desired = new Family('uc_scaling_desired_capacity', 'Desired capacity of the cluster\'s Auto Scaling group, as last read.', 'gauge');
  const inService = new Family('uc_scaling_instances_in_service', 'Instances of the group in service.', 'gauge');
  const min = new Family('uc_scaling_policy_min', 'The policy\'s minimum capacity (with the scheduled action in force).', 'gauge');
  const max = new Family('uc_scaling_policy_max', 'The policy\'s maximum capacity (with the scheduled action in force).', 'gauge');
  const value = new Family('uc_scaling_metric_value', 'The latest average of the metric the policy watches (cpu and mem in percent, sessions per backend server).', 'gauge');
  const target = new Family('uc_scaling_metric_target', 'The target of the policy\'s target tracking.', 'gauge');
  const decisions = new Family('uc_scaling_decisions_total', 'Scaling decisions since the hub started, by action and outcome.', 'counter');
  const last = new Family('uc_scaling_last_decision_timestamp_seconds', 'When the cluster\'s latest scaling decision was taken.', 'gauge');
  for (const v of views) {
    const c = labels({ cluster: v.cluster });
    if (v.group) {
      desired.add(c, v.group.desired);
      inService.add(c, v.group.instances.filter((i) => i.lifecycle === 'InService').length);
    }
    if (v.policy) {
      min.add(c, v.override?.min ?? v.policy.min);
      max.add(c, v.override?.max ?? v.policy.max);
    }
    if (v.reading && v.reading.value !== null) value.add(labels({ cluster: v.cluster, metric: v.reading.metric }), v.reading.value);
    if (v.policy?.targetTracking) target.add(labels({ cluster: v.cluster, metric: v.policy.targetTracking.metric }), v.policy.targetTracking.target);
    const at = secs(v.decisions[0]?.at);
    if (at !== undefined) last.add(c, at);
  }
  const visible = new Set(views.map((v) => v.cluster));
  for (const [key, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    const [cluster, action, outcome] = key.split('|') as [string, string, string];
    if (visible.has(cluster)) decisions.add(labels({ cluster, action, outcome }), n);
  }
  const next = new Family('uc_schedule_next_run_timestamp_seconds', 'When the scheduled job runs next.', 'gauge');
  const lastRun = new Family('uc_schedule_last_run_timestamp_seconds', 'When the scheduled job last started.', 'gauge');
  const duration = new Family('uc_schedule_last_run_duration_seconds', 'How long the job\'s last run took.', 'gauge');
  const ok = new Family('uc_schedule_last_run_success', '1 when the job\'s last run succeeded, 0 when it failed.', 'gauge');
  for (const j of jobs) {
    const l = labels({ job: j.id });
    const n = secs(j.nextRunAt);
    if (n !== undefined) next.add(l, n);
    const r = j.lastRun;
    if (!r || r.result === 'skipped') continue;
    lastRun.add(l, secs(r.startedAt)!);
    if (r.durationMs !== undefined) duration.add(l, r.durationMs / 1000);
    ok.add(l, r.result === 'ok' ? 1 : 0);
  }
  return [desired, inService, min, max, value, target, decisions, last, next, lastRun, duration, ok];
}
