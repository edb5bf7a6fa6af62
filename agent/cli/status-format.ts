/** The `clusterctl status` report, pure. */
import { formatCounts, formatPercent, keyValues } from './format.js';

/** GET /api/health. */
export interface Health { ok?: boolean; version?: string }

/** GET /api/stats, as far as the report reads it (every part optional: older or newer hubs differ). */
export interface Stats {
  servers?: { total?: number; byType?: Record<string, number>; byStatus?: Record<string, number> };
  connections?: { total?: number; byType?: Record<string, number> };
  clusters?: { total?: number };
  agents?: { connected?: number };
  averages?: { cpuPct?: number | null; memPct?: number | null };
}

function count(n: number | undefined): string {
  return typeof n === 'number' ? String(n) : '-';
}

/** `5 (active 3, inactive 2)`: a total with its non-zero parts. */
function totalWith(total: number | undefined, ...parts: (Record<string, number> | undefined)[]): string {
  const details = parts.filter((p): p is Record<string, number> => p !== undefined).map(formatCounts).filter((t) => t !== 'none');
  return details.length ? `${count(total)} (${details.join('; ')})` : count(total);
}

export function statusReport(hubUrl: string, health: Health, stats: Stats, clientVersion: string): string {
  const version = health.version ?? 'unknown';
  const mismatch = version !== clientVersion ? ` (clusterctl is ${clientVersion})` : '';
  const avg = stats.averages;
  const averages = avg && (typeof avg.cpuPct === 'number' || typeof avg.memPct === 'number')
    ? `cpu ${formatPercent(avg.cpuPct)}%, memory ${formatPercent(avg.memPct)}% (servers with a connected agent)`
    : '- (no connected agent has reported yet)';
  return keyValues([
    ['hub', `${hubUrl}  ${health.ok === false ? 'NOT OK' : 'ok'}, version ${version}${mismatch}`],
    ['servers', totalWith(stats.servers?.total, stats.servers?.byStatus, stats.servers?.byType)],
    ['connections', totalWith(stats.connections?.total, stats.connections?.byType)],
    ['clusters', count(stats.clusters?.total)],
    ['agents', `${count(stats.agents?.connected)} connected`],
    ['averages', averages],
  ]);
}
