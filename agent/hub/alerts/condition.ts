/**
 * Whether a rule's condition holds for one server right now, from the server's derived status
 * and latest sample. Returns a number so the once-a-second evaluation allocates nothing:
 * the value (≥ 0) when it holds, CLEAR when it does not, NO_DATA when it cannot be told.
 */
import type { AlertRule, MetricsSample, ServerStatus } from '../../protocol/types.js';
import { maxDiskPct, memPct } from '../live/status.js';
import { GLUSTER_ALERT_METRICS } from '../../protocol/gluster.js';

/** Metrics another part of the hub computes per server (Gluster): asked through `Probe.external`. */
const EXTERNAL = new Set<string>(GLUSTER_ALERT_METRICS);
export const isExternalMetric = (metric: string): boolean => EXTERNAL.has(metric);

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
 * Metric rules hold at or above the threshold (≥, like the warning status: a threshold of 100
 * means "full", not "never"). `down` holds while the status is `inactive` (its value, 0 here, is
 * replaced by how long it has held); a server that never had an agent (`unknown`) is not down.
 */
export function conditionValue(rule: AlertRule, status: ServerStatus, sample: MetricsSample | undefined): number {
  if (rule.metric === 'down') return status === 'inactive' ? 0 : CLEAR;
  if (rule.metric !== 'cpu' && rule.metric !== 'mem' && rule.metric !== 'disk') return NO_DATA; // external: see the engine
  const v = metricValue(rule.metric, status, sample);
  if (v === NO_DATA) return NO_DATA;
  return v >= (rule.threshold ?? 100) ? v : CLEAR;
}
