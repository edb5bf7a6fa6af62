/** A connection's derived status, from the last probe its `from` agent reported. */
import type { ConnectionLive } from '../../protocol/types.js';

/** A probe older than this no longer says anything: three missed 10 s rounds. */
export const PROBE_FRESH_MS = 30_000;

/** One probe result as the hub keeps it. */
export interface Probe {
  /** Hub time (ms) the result arrived. */
  at: number;
  /** Connect time in ms, or null when the connect failed. */
  ms: number | null;
  error?: string;
}

export const UNKNOWN_CONNECTION: ConnectionLive = Object.freeze({ status: 'unknown', latencyMs: null });

/**
 * `connected` with its latency when the last fresh probe succeeded, `disconnected` when it
 * failed, `unknown` without a fresh probe (never probed, or the agent fell silent).
 */
export function connectionLive(probe: Probe | undefined, now: number, freshMs = PROBE_FRESH_MS): ConnectionLive {
  if (!probe || now - probe.at > freshMs) return UNKNOWN_CONNECTION;
  return probe.ms === null ? { status: 'disconnected', latencyMs: null } : { status: 'connected', latencyMs: probe.ms };
}
