/** Derived server status, from the agent's connection, its last sample's age and thresholds. */
import type { MetricsSample, ServerStatus } from '../../protocol/types.js';

export interface StatusThresholds {
  /** No sample for this long (ms) means the server is inactive. */
  staleMs: number;
  cpuPct: number;
  memPct: number;
  diskPct: number;
}

export const DEFAULT_THRESHOLDS: StatusThresholds = { staleMs: 5000, cpuPct: 90, memPct: 90, diskPct: 90 };

export const memPct = (s: MetricsSample): number => (s.mem.total > 0 ? (100 * s.mem.used) / s.mem.total : 0);
export const maxDiskPct = (s: MetricsSample): number =>
  s.disks.reduce((m, d) => Math.max(m, d.total > 0 ? (100 * d.used) / d.total : 0), 0);

export interface AgentView {
  /** The server has had an agent at some point (its record carries agent info). */
  hasAgent: boolean;
  connected: boolean;
  /** Hub time (ms) the last sample arrived, if any. */
  lastSeen?: number;
  sample?: MetricsSample;
}

export function deriveStatus(a: AgentView, now: number, t: StatusThresholds = DEFAULT_THRESHOLDS): ServerStatus {
  if (!a.hasAgent && !a.connected) return 'unknown';
  if (!a.connected || !a.sample || a.lastSeen === undefined || now - a.lastSeen > t.staleMs) return 'inactive';
  const s = a.sample;
  return s.cpu >= t.cpuPct || memPct(s) >= t.memPct || maxDiskPct(s) >= t.diskPct ? 'warning' : 'active';
}
