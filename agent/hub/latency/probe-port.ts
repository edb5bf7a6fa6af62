/**
 * Which port an agent probes for a connection. The one table of default service ports per
 * connection type lives here (the README lists it too).
 */
import type { ConnectionType } from '../../protocol/types.js';

/** The usual service port of each connection type, for a target server that lists no ports. */
export const DEFAULT_PROBE_PORTS: Readonly<Record<ConnectionType, number>> = {
  http: 80,
  database: 3306, // MariaDB/MySQL
  cache: 6379, // Redis
  monitoring: 9100, // Prometheus node exporter
  standard: 22, // SSH
  filesystem: 24007, // glusterd
};

/**
 * The port to probe on the target server: its own service port for this connection type when it
 * lists it, else the first port it lists, else the type's default. One port per connection: the
 * connect time is the network's round trip, the same on every open port.
 */
export function probePort(type: ConnectionType, targetPorts: readonly number[]): number {
  const usual = DEFAULT_PROBE_PORTS[type];
  return targetPorts.includes(usual) ? usual : targetPorts[0] ?? usual;
}
