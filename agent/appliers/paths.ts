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

/** MariaDB Galera on a database node. UC_GALERA_DIR puts every file (and the data) in one directory. */
export interface GaleraPaths {
  mariadbd: string;
  /** The client, for status queries and the few statements the hub asks for (over the socket, as root or the monitor user). */
  mariadb: string;
  installDb: string;
  /** mariabackup and mbstream (package mariadb-backup): database backups and their restore. */
  mariabackup: string;
  mbstream: string;
  provider: string;
  /** The fragment the applier owns (the plan's diff). */
  config: string;
  /** What mariadbd is started with (`--defaults-file`): Debian's my.cnf includes the fragment; in a test directory the fragment itself. */
  defaultsFile: string;
  /** wsrep_sst_auth, readable by root and the mysql group only (mariadbd and its SST scripts read it); never in the diff. */
  secretsFile: string;
  /** The monitor user's client options, root-only: the status poller logs in with them. */
  monitorFile: string;
  datadir: string;
  /** Socket, pid file and wsrep status file; owned by the mysql user. */
  runDir: string;
  logFile: string;
  /** The user mariadbd runs as (the rsync SST fails as root). */
  user: string;
}

export function galeraPaths(env: Record<string, string | undefined>): GaleraPaths {
  const dir = env['UC_GALERA_DIR'];
  const at = (name: string, fallback: string) => (dir ? join(dir, name) : fallback);
  const config = env['UC_GALERA_CONFIG'] ?? at('galera.cnf', '/etc/mysql/mariadb.conf.d/60-unlimited-cluster-galera.cnf');
  return {
    mariadbd: env['UC_MARIADBD_BIN'] ?? '/usr/sbin/mariadbd',
    mariadb: env['UC_MARIADB_BIN'] ?? '/usr/bin/mariadb',
    installDb: env['UC_MARIADB_INSTALL_DB_BIN'] ?? '/usr/bin/mariadb-install-db',
    mariabackup: env['UC_MARIABACKUP_BIN'] ?? '/usr/bin/mariabackup',
    mbstream: env['UC_MBSTREAM_BIN'] ?? '/usr/bin/mbstream',
    provider: env['UC_GALERA_PROVIDER'] ?? '/usr/lib/galera/libgalera_smm.so',
    config,
    defaultsFile: env['UC_GALERA_DEFAULTS_FILE'] ?? (dir ? config : '/etc/mysql/my.cnf'),
    secretsFile: env['UC_GALERA_SECRETS'] ?? at('secrets.cnf', '/etc/mysql/unlimited-cluster-secrets.cnf'),
    monitorFile: env['UC_GALERA_MONITOR'] ?? at('monitor.cnf', '/etc/mysql/unlimited-cluster-monitor.cnf'),
    datadir: env['UC_GALERA_DATADIR'] ?? at('data', '/var/lib/mysql'),
    runDir: env['UC_GALERA_RUN_DIR'] ?? at('run', '/run/mysqld'),
    logFile: env['UC_GALERA_LOG'] ?? at('run/error.log', '/var/log/mysql/error.log'),
    user: env['UC_GALERA_USER'] ?? 'mysql',
  };
}
