/**
 * How long agents should spread their first reconnect over when they lose the hub. The hub tells
 * every agent in its welcome, sized to the fleet it holds, so that a hub restart under 10,000
 * agents meets a steady stream of TLS handshakes instead of all of them in the same second.
 */

/** The reconnects a second a restarted hub plans to take (a TLS handshake costs it ~1–2 ms of CPU). */
export const RECONNECTS_PER_SECOND = 250;
/** Never longer than the agent's backoff cap: every agent is back within this after a restart. */
export const MAX_SPREAD_MS = 30_000;

/** The spread for a fleet of `agents`, in whole seconds so it changes rarely as the fleet grows. */
export function reconnectSpreadMs(agents: number): number {
  return Math.min(MAX_SPREAD_MS, Math.ceil(agents / RECONNECTS_PER_SECOND) * 1000);
}
