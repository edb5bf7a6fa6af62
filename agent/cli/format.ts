/**
 * What clusterctl prints for servers, connections, clusters and stats, pure. Tables are for
 * people; `--json` prints the hub's answer unchanged for scripts.
 */
import type { Cluster, Connection, MetricsSample, Server } from '../protocol/types.js';
import { renderTable, sanitizeCell } from './table.js';

/** A server as GET /api/servers lists it: the model plus derived status and latest sample. */
export type ListedServer = Server & { status?: string; metrics?: MetricsSample | null };

/** `12.5` for 12.46; `-` when there is no number. */
export function formatPercent(value: number | undefined | null): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(1) : '-';
}

/** Memory in use as a percentage of total, or undefined without a sample. */
export function memPercent(metrics: MetricsSample | null | undefined): number | undefined {
  if (!metrics || !(metrics.mem.total > 0)) return undefined;
  return (metrics.mem.used / metrics.mem.total) * 100;
}

function byKey<T>(key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

export function serversTable(servers: readonly ListedServer[]): string {
  if (servers.length === 0) return 'no servers\n';
  const rows = [...servers].sort(byKey((s) => s.id)).map((s) => [
    s.id, s.name, s.type, s.address, s.region || '-', s.status ?? '-',
    formatPercent(s.metrics?.cpu), formatPercent(memPercent(s.metrics)),
  ]);
  return renderTable([
    { header: 'ID' }, { header: 'NAME' }, { header: 'TYPE' }, { header: 'ADDRESS' }, { header: 'REGION' },
    { header: 'STATUS' }, { header: 'CPU%', align: 'right' }, { header: 'MEM%', align: 'right' },
  ], rows);
}

/** A connection as GET /api/connections lists it: the model plus the probe's status and latency. */
export type ListedConnection = Connection & { status?: string; latencyMs?: number | null };

export function connectionsTable(connections: readonly ListedConnection[]): string {
  if (connections.length === 0) return 'no connections\n';
  const rows = [...connections].sort(byKey((c) => c.id)).map((c) => [
    c.from, c.to, c.type, c.status ?? '-', typeof c.latencyMs === 'number' ? `${c.latencyMs.toFixed(1)} ms` : '-',
  ]);
  return renderTable([{ header: 'FROM' }, { header: 'TO' }, { header: 'TYPE' }, { header: 'STATUS' }, { header: 'LATENCY', align: 'right' }], rows);
}

export function clustersTable(clusters: readonly Cluster[]): string {
  if (clusters.length === 0) return 'no clusters\n';
  const rows = [...clusters].sort(byKey((c) => c.name)).map((c) => [
    c.name, String(c.servers.length), c.servers.join(',') || '-', c.description ?? '',
  ]);
  return renderTable([{ header: 'NAME' }, { header: 'SERVERS', align: 'right' }, { header: 'MEMBERS' }, { header: 'DESCRIPTION' }], rows);
}

/** `key: value` lines, aligned, for one record. */
export function keyValues(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${sanitizeCell(v)}\n`).join('');
}

/** One server in detail (`servers show`). */
export function serverDetails(s: ListedServer): string {
  const labels = Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(', ');
  const pairs: [string, string][] = [
    ['id', s.id], ['name', s.name], ['type', s.type], ['address', s.address], ['region', s.region || '-'],
    ['labels', labels || '-'], ['ports', s.ports.join(', ') || '-'], ['status', s.status ?? '-'],
  ];
  if (s.agent) pairs.push(['agent', `${s.agent.version} on ${s.agent.inventory.hostname} (${s.agent.inventory.os}, ${s.agent.inventory.cores} cores)`]);
  if (s.metrics) pairs.push(['cpu%', formatPercent(s.metrics.cpu)], ['mem%', formatPercent(memPercent(s.metrics))], ['load', s.metrics.load.join(' ')]);
  return keyValues(pairs);
}

/** One cluster in detail (`cluster show`). */
export function clusterDetails(c: Cluster): string {
  return keyValues([['name', c.name], ['description', c.description ?? '-'], ['servers', c.servers.join(', ') || '-']]);
}

/** `web 2, database 1` from a map of counts (zeros left out, biggest first). */
export function formatCounts(counts: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(counts)
    .filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] !== 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k} ${v}`).join(', ');
}
