/** The alerts part of browser-socket frames: what a snapshot carries and what a delta adds. */
import type { Alert } from '../../protocol/types.js';

/** Resolved alerts a snapshot carries besides every firing one (the UI lists the latest few). */
export const SNAPSHOT_RESOLVED = 20;

const shown = (visible: ReadonlySet<string> | null, a: Alert) => !visible || visible.has(a.serverId);

/** Every firing alert and the SNAPSHOT_RESOLVED most recently fired resolved ones, oldest first. */
export function snapshotAlerts(log: readonly Alert[], visible: ReadonlySet<string> | null): Alert[] {
  const resolved: Alert[] = [];
  const firing: Alert[] = [];
  for (let i = log.length - 1; i >= 0; i--) {
    const a = log[i]!;
    if (!shown(visible, a)) continue;
    if (a.state === 'firing') firing.push(a);
    else if (resolved.length < SNAPSHOT_RESOLVED) resolved.push(a);
  }
  return [...firing, ...resolved].reverse();
}

/**
 * Alerts new or changed between two logs, by identity (recordAlerts keeps untouched entries as
 * they were). Entries trimmed from the log are not reported: the UI bounds its own list.
 */
export function changedAlerts(prev: readonly Alert[], next: readonly Alert[], visible: ReadonlySet<string> | null): Alert[] {
  if (prev === next) return [];
  const before = new Set(prev);
  return next.filter((a) => !before.has(a) && shown(visible, a));
}
