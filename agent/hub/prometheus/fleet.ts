/**
 * The per-server metric families of /metrics, from the part of the model a caller may see and
 * the live status and latest sample of each server. Pure: no clock, no I/O.
 *
 * Every per-server sample carries `server`, `name`, `type` and `region`. Cluster membership is
 * not a label there (a server may be in several clusters, which would duplicate every series);
 * `uc_server_cluster_info{server,cluster} 1` gives it, to join on `server`.
 *
 * Resource gauges are exposed only for a server that is up (active or warning): a silent agent's
 * last sample is not current, and Prometheus would store it as if it were. A server that is down
 * keeps `uc_server_up 0`, its status, and the time of its last sample.
 */
import { SERVER_STATUSES } from '../../protocol/common.js';
import type { Cluster, MetricsSample, Server, ServerStatus } from '../../protocol/types.js';
import { Family, labels, mergeLabels, type Labels } from './exposition.js';

export interface FleetView {
  servers: readonly Server[];
  clusters: readonly Cluster[];
}

/** What the families need from the live view (the hub's `Live` satisfies it). */
export interface LiveReader {
  status(id: string): ServerStatus;
  sample(id: string): MetricsSample | undefined;
}

type Gauge = readonly [name: string, help: string, value: (s: MetricsSample) => number];

/** Gauges with one value per up server, straight from its latest sample. */
const SAMPLE_GAUGES: readonly Gauge[] = [
  ['uc_server_cpu_percent', 'Busy CPU over the last sampling interval, percent of all cores (0-100).', (s) => s.cpu],
  ['uc_server_memory_used_bytes', 'Memory in use (total minus available).', (s) => s.mem.used],
  ['uc_server_memory_total_bytes', 'Total memory.', (s) => s.mem.total],
  ['uc_server_swap_used_bytes', 'Swap in use.', (s) => s.mem.swapUsed],
  ['uc_server_swap_total_bytes', 'Total swap.', (s) => s.mem.swapTotal],
  ['uc_server_disk_read_bytes_per_second', 'Bytes read from block devices per second.', (s) => s.diskIO.readBps],
  ['uc_server_disk_write_bytes_per_second', 'Bytes written to block devices per second.', (s) => s.diskIO.writeBps],
  ['uc_server_network_receive_bytes_per_second', 'Bytes received on network interfaces per second.', (s) => s.net.rxBps],
  ['uc_server_network_transmit_bytes_per_second', 'Bytes sent on network interfaces per second.', (s) => s.net.txBps],
  ['uc_server_load1', '1-minute load average.', (s) => s.load[0] ?? NaN],
  ['uc_server_load5', '5-minute load average.', (s) => s.load[1] ?? NaN],
  ['uc_server_load15', '15-minute load average.', (s) => s.load[2] ?? NaN],
  ['uc_server_uptime_seconds', 'Seconds since the server booted.', (s) => s.uptime],
  ['uc_server_tcp_sockets', 'TCP sockets in use (IPv4 and IPv6).', (s) => s.tcp],
];

/** Active and warning servers report fresh samples; inactive and unknown ones do not. */
export const isUp = (status: ServerStatus): boolean => status === 'active' || status === 'warning';

/** The identifying labels every per-server sample carries. */
export function serverLabels(s: Server): Labels {
  return labels({ server: s.id, name: s.name, type: s.type, region: s.region });
}

export function fleetFamilies(view: FleetView, live: LiveReader): Family[] {
  const up = new Family('uc_server_up', 'Whether the server\'s agent is connected and reporting (status active or warning).', 'gauge');
  const status = new Family('uc_server_status', 'The server\'s derived status: 1 for the current one, 0 for the others.', 'gauge');
  const lastSample = new Family('uc_server_last_sample_timestamp_seconds', 'When the latest sample was taken, by the agent\'s clock (Unix seconds).', 'gauge');
  const gauges = SAMPLE_GAUGES.map(([name, help]) => new Family(name, help, 'gauge'));
  const fsUsed = new Family('uc_server_filesystem_used_bytes', 'Used space per mounted filesystem.', 'gauge');
  const fsSize = new Family('uc_server_filesystem_size_bytes', 'Size per mounted filesystem.', 'gauge');
  const statusLabels = SERVER_STATUSES.map((st) => [st, labels({ status: st })] as const);

  for (const server of view.servers) {
    const base = serverLabels(server);
    const st = live.status(server.id);
    const alive = isUp(st);
    up.add(base, alive ? 1 : 0);
    for (const [name, set] of statusLabels) status.add(mergeLabels(base, set), name === st ? 1 : 0);
    const sample = live.sample(server.id);
    if (!sample) continue;
    lastSample.add(base, sample.ts / 1000);
    if (!alive) continue;
    for (let i = 0; i < gauges.length; i++) gauges[i]!.add(base, SAMPLE_GAUGES[i]![2](sample));
    addFilesystems(fsUsed, fsSize, base, sample);
  }
  return [up, status, clusterInfo(view), lastSample, ...gauges, fsUsed, fsSize];
}

/** Used and size per mount; a mount listed twice is kept once (a duplicate series fails the scrape). */
function addFilesystems(used: Family, size: Family, base: Labels, sample: MetricsSample): void {
  const seen = new Set<string>();
  for (const d of sample.disks) {
    if (seen.has(d.mount)) continue;
    seen.add(d.mount);
    const set = mergeLabels(base, labels({ mount: d.mount }));
    used.add(set, d.used);
    size.add(set, d.total);
  }
}

/** `uc_server_cluster_info{server,cluster} 1` for every membership among the visible servers. */
function clusterInfo(view: FleetView): Family {
  const family = new Family('uc_server_cluster_info', 'Cluster membership: 1 for each cluster the server belongs to (join on server).', 'gauge');
  const visible = new Set(view.servers.map((s) => s.id));
  for (const c of view.clusters) {
    for (const id of c.servers) if (visible.has(id)) family.add(labels({ server: id, cluster: c.name }), 1);
  }
  return family;
}
