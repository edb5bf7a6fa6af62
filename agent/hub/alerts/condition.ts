/**
 * Whether a rule's condition holds for one server right now, from the server's derived status
 * and latest sample. Returns a number so the once-a-second evaluation allocates nothing:
 * the value (≥ 0) when it holds, CLEAR when it does not, NO_DATA when it cannot be told.
 */
import type { AlertRule, MetricsSample, ServerStatus } from '../../protocol/types.js';
import { maxDiskPct, memPct } from '../live/status.js';

export const CLEAR = -1;
/** The server is not reporting (inactive or unknown), so a metric cannot be compared. */
export const NO_DATA = -2;

/** The metric in percent from a fresh sample; NO_DATA unless the server is reporting. */
export function metricValue(metric: 'cpu' | 'mem' | 'disk', status: ServerStatus, sample: MetricsSample | undefined): number {
  if ((status !== 'active' && status !== 'warning') || !sample) return NO_DATA;
  if (metric === 'cpu') return sample.cpu;
  return metric === 'mem' ? memPct(sample) : maxDiskPct(sample);
}

/**
 * A metric the core does not read from samples (a Galera node's state, …): its source, given a
 * server id, returns the value (≥ 0; 0 for a condition that holds), CLEAR or NO_DATA. `ids`, when
 * given, lists every server it may have data for, so the engine asks only those (a Galera rule
 * need not visit 10,000 web servers a second).
 */
export type MetricSource = ((serverId: string) => number) & { ids?: () => Iterable<string> };

/** `value` with the servers it may have data for. */
export function withIds(value: (serverId: string) => number, ids: () => Iterable<string>): MetricSource {
  return Object.assign(value, { ids });
}

/**
 * Metric rules hold at or above the threshold (≥, like the warning status: a threshold of 100
 * means "full", not "never"). `down` holds while the status is `inactive` (its value, 0 here, is
 * replaced by how long it has held); a server that never had an agent (`unknown`) is not down.
 * Other metrics have no data here: the engine reads them from their source (`thresholded`).
 */
export function conditionValue(rule: AlertRule, status: ServerStatus, sample: MetricsSample | undefined): number {
  if (rule.metric === 'down') return status === 'inactive' ? 0 : CLEAR;
  return thresholded(rule, rule.metric === 'cpu' || rule.metric === 'mem' || rule.metric === 'disk' ? metricValue(rule.metric, status, sample) : NO_DATA);
}

/** A metric's value against the rule's threshold, if it has one. */
export function thresholded(rule: AlertRule, v: number): number {
  if (v === NO_DATA || v === CLEAR || !('threshold' in rule)) return v;
  return v >= rule.threshold ? v : CLEAR;
}
