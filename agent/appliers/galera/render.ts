/**
 * The node's my.cnf fragment, its secrets file and its monitor client file, from the desired
 * state and the node's own paths. Deterministic, so re-applying the same state is a no-op. The
 * fragment carries what every Galera node needs (DAEMONS.md: ROW binlog, autoinc lock mode 2,
 * user=mysql) and the paths, so the same text runs mariadbd from Debian's my.cnf or, in a test
 * directory, on its own.
 */
import type { GaleraDesired, GaleraSecrets } from '../../protocol/types.js';
import type { GaleraPaths } from '../paths.js';

export const MANAGED_MARK = '# Managed by Unlimited Cluster';
export const SST_USER = 'uc_sst';
export const MONITOR_USER = 'uc_monitor';
/** The line of the fragment a running node need not restart for: gcomm learns new members by itself. */
const PEERS_KEY = 'wsrep_cluster_address';

type RenderPaths = Pick<GaleraPaths, 'datadir' | 'runDir' | 'logFile' | 'user' | 'provider' | 'secretsFile'>;

export const socketPath = (p: Pick<GaleraPaths, 'runDir'>) => `${p.runDir}/mysqld.sock`;
export const pidPath = (p: Pick<GaleraPaths, 'runDir'>) => `${p.runDir}/mysqld.pid`;
export const statusFilePath = (p: Pick<GaleraPaths, 'runDir'>) => `${p.runDir}/wsrep-status.json`;

export function renderGalera(d: GaleraDesired, p: RenderPaths): string {
  const out = [
    `${MANAGED_MARK} (cluster ${d.cluster}): edits here are replaced by the next apply.`,
    '[mysqld]',
    `user=${p.user}`,
    `datadir=${p.datadir}`,
    `socket=${socketPath(p)}`,
    `pid-file=${pidPath(p)}`,
    `log-error=${p.logFile}`,
    'bind-address=0.0.0.0',
    'port=3306',
    'binlog_format=ROW',
    'default_storage_engine=InnoDB',
    'innodb_autoinc_lock_mode=2',
    // 0 lost committed transactions when every node crashed (DAEMONS.md); 1 and 2 lost none.
    `innodb_flush_log_at_trx_commit=${d.flushLogAtTrxCommit}`,
    'wsrep_on=ON',
    `wsrep_provider=${p.provider}`,
    `wsrep_cluster_name=${d.clusterName}`,
    `${PEERS_KEY}=gcomm://${d.peers.join(',')}`,
    `wsrep_node_address=${d.nodeAddress}`,
    `wsrep_node_name=${d.nodeName}`,
    `wsrep_sst_method=${d.sstMethod}`,
    `wsrep_slave_threads=${d.slaveThreads}`,
    // Galera writes its state and transfer progress here even while SQL is not available yet.
    `wsrep_status_file=${statusFilePath(p)}`,
    `wsrep_provider_options="gcache.size=${d.gcacheSize}"`,
  ];
  const extra = Object.keys(d.options).sort();
  if (extra.length) out.push('# options of the cluster', ...extra.map((k) => `${k}=${d.options[k]}`));
  out.push(`!include ${p.secretsFile}`);
  return out.join('\n') + '\n';
}

/** The fragment as the real mariadbd checks it before use: without the include of the secrets file, which may not exist yet. */
export const withoutInclude = (text: string) => text.split('\n').filter((l) => !l.startsWith('!include ')).join('\n');

/** wsrep_sst_auth: read by mariadbd and, through it, by the SST scripts (as user mysql). */
export function renderSecrets(s: GaleraSecrets): string {
  return `${MANAGED_MARK}: the SST user's password. Readable by root and mysql only.\n[mysqld]\nwsrep_sst_auth=${SST_USER}:${s.sstPassword}\n`;
}

/** The monitor user's client options for the status poller (root-only). */
export function renderMonitor(s: GaleraSecrets, p: Pick<GaleraPaths, 'runDir'>): string {
  return `${MANAGED_MARK}: the monitor user's login. Root only.\n[client]\nuser=${MONITOR_USER}\npassword=${s.monitorPassword}\nsocket=${socketPath(p)}\n`;
}

/**
 * Whether going from `before` to `after` needs a restart: any difference but the peer list (a
 * running node learns new members from the group; the list matters only at its next start).
 */
export function needsRestart(before: string, after: string): boolean {
  const strip = (t: string) => t.split('\n').filter((l) => !l.startsWith(`${PEERS_KEY}=`)).join('\n');
  return strip(before) !== strip(after);
}
