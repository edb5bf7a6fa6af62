/** The stored alert log: alerts appended when they fire, updated in place when they resolve, bounded. */
import type { Alert, State } from '../../protocol/types.js';

/** Entries kept; firing alerts are never dropped (there are at most rules × servers of them). */
export const ALERTS_KEEP = 1000;

/**
 * Applies one evaluation round's alerts to the log in one change: a known id is replaced, a new
 * one appended (a resolved alert whose firing record is missing, because that write failed, is
 * appended as it is). Untouched entries keep their identity (the browser socket diffs by it).
 */
export function recordAlerts(state: State, alerts: readonly Alert[], keep = ALERTS_KEEP): State {
  if (!alerts.length) return state;
  const next = state.alerts.slice();
  const index = new Map<string, number>();
  next.forEach((a, i) => index.set(a.id, i));
  for (const a of alerts) {
    const i = index.get(a.id);
    if (i === undefined) {
      index.set(a.id, next.length);
      next.push(a);
    } else {
      next[i] = a;
    }
  }
  return { ...state, alerts: trimAlerts(next, keep) };
}

/** Drops the oldest resolved alerts until at most `keep` remain (or only firing ones are left). */
export function trimAlerts(alerts: Alert[], keep: number): Alert[] {
  let drop = alerts.length - keep;
  if (drop <= 0) return alerts;
  return alerts.filter((a) => {
    if (drop > 0 && a.state === 'resolved') {
      drop--;
      return false;
    }
    return true;
  });
}
