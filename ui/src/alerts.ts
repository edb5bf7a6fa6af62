/** The browser's alert list: merged from snapshot and deltas by id, bounded, sorted for the panel. */
import type { Alert } from '../../agent/protocol/types.js';
import { duration, percent } from './format.js';
import { THRESHOLD_METRICS } from '../../agent/protocol/alerts.js';

/** Resolved alerts kept in the browser; firing ones are always kept. */
export const KEEP_RESOLVED = 50;

/**
 * `map` with `upserts` replacing entries of the same id, the oldest resolved dropped past
 * KEEP_RESOLVED; the same map when there is nothing to apply (identity says "unchanged").
 */
export function mergeAlerts(map: ReadonlyMap<string, Alert>, upserts: readonly Alert[] | undefined): ReadonlyMap<string, Alert> {
  if (!upserts?.length) return map;
  const next = new Map(map);
  for (const a of upserts) next.set(a.id, a);
  const resolved = [...next.values()].filter((a) => a.state === 'resolved');
  if (resolved.length > KEEP_RESOLVED) {
    for (const a of byNewest(resolved, 'resolvedAt').slice(KEEP_RESOLVED)) next.delete(a.id);
  }
  return next;
}

/** ISO times compare as strings; a missing one sorts last. */
function byNewest(alerts: Alert[], key: 'startedAt' | 'resolvedAt'): Alert[] {
  return alerts.sort((a, b) => (b[key] ?? '').localeCompare(a[key] ?? '') || (a.id < b.id ? -1 : 1));
}

/** Firing alerts, most recently fired first. */
export const firingAlerts = (alerts: ReadonlyMap<string, Alert>): Alert[] =>
  byNewest([...alerts.values()].filter((a) => a.state === 'firing'), 'startedAt');

/** The `n` most recently resolved alerts, newest first. */
export const recentlyResolved = (alerts: ReadonlyMap<string, Alert>, n: number): Alert[] =>
  byNewest([...alerts.values()].filter((a) => a.state === 'resolved'), 'resolvedAt').slice(0, n);

/** What the alert measured when it fired: `93 %`, or for a condition (`down`, a Galera state) how long it had held. */
export function alertValue(a: Pick<Alert, 'metric' | 'value'>): string {
  if (a.metric === 'down') return `down ${duration(a.value)}`;
  if (a.metric === 'gluster_brick_offline') return `${a.value} brick${a.value === 1 ? '' : 's'} offline`;
  if (a.metric === 'gluster_heal_stalled') return `${a.value} to heal, not shrinking`;
  if (a.metric === 'gluster_split_brain') return `${a.value} in split-brain`;
  return (THRESHOLD_METRICS as readonly string[]).includes(a.metric) ? percent(a.value) : `for ${duration(a.value)}`;
}

/** A time of day for today's alerts, a date and time for older ones (in the browser's locale). */
export function alertTime(iso: string, now = new Date()): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const sameDay = t.toDateString() === now.toDateString();
  return sameDay ? t.toLocaleTimeString() : t.toLocaleString();
}
