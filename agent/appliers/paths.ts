/**
 * Every path and command the appliers use, from the environment, so tests run the real daemons
 * in temp dirs and network namespaces without systemd. UC_LB_DIR moves every file at once.
 */
import { join } from 'node:path';

export interface HaproxyPaths {
  bin: string;
  config: string;
  /** Master CLI (`-S`, absolute): reload and `show proc`. */
  masterSocket: string;
  /** Admin stats socket: the runtime API. */
  statsSocket: string;
  pidFile: string;
  /** The master's own output (ALERT lines say why a reload failed). */
  logFile: string;
  /** Host maps, one per http frontend (`FRONTEND.map`). */
  mapDir: string;
}

export interface KeepalivedPaths {
  bin: string;
  config: string;
  pidFile: string;
  vrrpPidFile: string;
  /** For the addresses this node holds (`ip -o addr show`). */
  ipBin: string;
}

export interface ApplierPaths { haproxy: HaproxyPaths; keepalived: KeepalivedPaths }

export function applierPaths(env: Record<string, string | undefined>): ApplierPaths {
  const dir = env['UC_LB_DIR'];
  const at = (name: string, fallback: string) => (dir ? join(dir, name) : fallback);
  return {
    haproxy: {
      bin: env['UC_HAPROXY_BIN'] ?? '/usr/sbin/haproxy',
      config: env['UC_HAPROXY_CONFIG'] ?? at('haproxy.cfg', '/etc/haproxy/haproxy.cfg'),
      masterSocket: env['UC_HAPROXY_MASTER_SOCKET'] ?? at('haproxy-master.sock', '/run/haproxy-master.sock'),
      statsSocket: env['UC_HAPROXY_STATS_SOCKET'] ?? at('haproxy-admin.sock', '/run/haproxy/admin.sock'),
      pidFile: env['UC_HAPROXY_PID_FILE'] ?? at('haproxy.pid', '/run/haproxy.pid'),
      logFile: env['UC_HAPROXY_LOG_FILE'] ?? at('haproxy-master.log', '/var/log/haproxy-master.log'),
      mapDir: env['UC_HAPROXY_MAP_DIR'] ?? at('maps', '/etc/haproxy/uc-hosts'),
    },
    keepalived: {
      bin: env['UC_KEEPALIVED_BIN'] ?? '/usr/sbin/keepalived',
      config: env['UC_KEEPALIVED_CONFIG'] ?? at('keepalived.conf', '/etc/keepalived/keepalived.conf'),
      pidFile: env['UC_KEEPALIVED_PID_FILE'] ?? at('keepalived.pid', '/run/keepalived.pid'),
      vrrpPidFile: env['UC_KEEPALIVED_VRRP_PID_FILE'] ?? at('keepalived-vrrp.pid', '/run/keepalived-vrrp.pid'),
      ipBin: env['UC_IP_BIN'] ?? '/usr/sbin/ip',
    },
  };
}
