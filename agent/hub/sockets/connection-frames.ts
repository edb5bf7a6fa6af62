/**
 * The connection-status part of browser-socket frames: what a snapshot carries (every probed
 * connection the user sees; the rest are unknown) and what a delta adds (only changes).
 */
import type { Connection, ConnectionLive } from '../../protocol/types.js';
import type { ConnectionLatency } from '../latency/connection-latency.js';

/** `visible`: ids of the connections the user sees, or null for all of them. */
export function snapshotConnectionStatus(latency: ConnectionLatency, visible: ReadonlySet<string> | null, now = Date.now()): Record<string, ConnectionLive> {
  const out: Record<string, ConnectionLive> = {};
  for (const [id, live] of latency.known(now)) if (!visible || visible.has(id)) out[id] = live;
  return out;
}

/**
 * The changed states the user may see, plus the current state of each connection that just came
 * into view (`upserted`) when it is known. Undefined when there is nothing to send.
 */
export function changedConnectionStatus(
  changes: ReadonlyMap<string, ConnectionLive>, visible: ReadonlySet<string> | null,
  upserted: readonly Connection[] | undefined, latency: ConnectionLatency, now = Date.now(),
): Record<string, ConnectionLive> | undefined {
  const out: Record<string, ConnectionLive> = {};
  for (const [id, live] of changes) if (!visible || visible.has(id)) out[id] = live;
  for (const c of upserted ?? []) {
    if (out[c.id]) continue;
    const live = latency.view(c.id, now);
    if (live.status !== 'unknown') out[c.id] = live;
  }
  return Object.keys(out).length ? out : undefined;
}
