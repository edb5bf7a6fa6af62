/**
 * What Galera leaves on disk and in its output, read as data: grastate.dat, the position
 * `mariadbd --wsrep-recover` prints, the wsrep status file, SHOW STATUS rows and the error log's
 * account of how a node joined. Pure: the applier does the reading.
 */
import type { GaleraNodeStatus, GaleraState, Grastate } from '../../protocol/types.js';

/** grastate.dat: `uuid:`, `seqno:`, `safe_to_bootstrap:` lines. */
export function parseGrastate(text: string): Grastate {
  const out: Grastate = {};
  for (const line of text.split('\n')) {
    const m = /^\s*(uuid|seqno|safe_to_bootstrap):\s*(\S+)/.exec(line);
    if (!m) continue;
    if (m[1] === 'uuid') out.uuid = m[2]!;
    else if (m[1] === 'seqno') out.seqno = Number(m[2]);
    else out.safeToBootstrap = m[2] === '1';
  }
  return out;
}

/** grastate.dat with safe_to_bootstrap set to 1: what lets --wsrep-new-cluster start the chosen node. */
export function markSafeToBootstrap(text: string): string {
  return /safe_to_bootstrap:/.test(text) ? text.replace(/safe_to_bootstrap:\s*\d/, 'safe_to_bootstrap: 1') : `${text.trimEnd()}\nsafe_to_bootstrap: 1\n`;
}

/** The last `WSREP: Recovered position: UUID:SEQNO` of a --wsrep-recover run, or null. */
export function parseRecoveredPosition(log: string): string | null {
  const all = [...log.matchAll(/WSREP: Recovered position:\s*([0-9a-f-]{36}:-?\d+)/g)];
  return all.length ? all[all.length - 1]![1]! : null;
}

/** `SHOW GLOBAL STATUS` in batch mode (`name<TAB>value` lines) as a map. */
export function parseStatusRows(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) out.set(line.slice(0, tab).toLowerCase(), line.slice(tab + 1).trim());
  }
  return out;
}

/** The variables the status poller asks for. */
export const STATUS_VARIABLES = [
  'wsrep_local_state_comment', 'wsrep_cluster_status', 'wsrep_cluster_size', 'wsrep_cluster_state_uuid', 'wsrep_last_committed',
  'wsrep_flow_control_paused_ns', 'wsrep_local_recv_queue', 'wsrep_ready',
] as const;

function stateOf(comment: string | undefined, primary: boolean): GaleraState {
  if (!primary) return 'non-Primary';
  switch (comment) {
    case 'Synced': return 'Synced';
    case 'Donor/Desynced': return 'Donor/Desynced';
    case 'Joined': return 'Joined';
    case 'Initialized': return 'Initialized';
    default: return comment?.startsWith('Joining') ? 'Joining' : 'Initialized';
  }
}

/** A node's status from SHOW STATUS; flow control from the paused-ns counter's growth since `prev`. */
export function statusFromRows(rows: Map<string, string>, prev: { pausedNs: number; at: number } | undefined, now: number): { status: GaleraNodeStatus; pausedNs: number } {
  const primary = rows.get('wsrep_cluster_status') === 'Primary';
  const pausedNs = Number(rows.get('wsrep_flow_control_paused_ns') ?? 0) || 0;
  const status: GaleraNodeStatus = {
    running: true,
    state: stateOf(rows.get('wsrep_local_state_comment'), primary),
    primary,
    clusterSize: Number(rows.get('wsrep_cluster_size') ?? 0) || 0,
    lastCommitted: Number(rows.get('wsrep_last_committed') ?? -1),
    recvQueue: Math.max(0, Number(rows.get('wsrep_local_recv_queue') ?? 0) || 0),
  };
  const uuid = rows.get('wsrep_cluster_state_uuid');
  if (uuid) status.clusterUuid = uuid;
  if (prev && now > prev.at && pausedNs >= prev.pausedNs) {
    status.flowControlPaused = Math.min(1, (pausedNs - prev.pausedNs) / ((now - prev.at) * 1e6));
  }
  return { status, pausedNs };
}

/**
 * The wsrep status file (wsrep_status_file): Galera's own state and transfer progress, written
 * while SQL is not available yet (a joiner during SST). Null when it cannot be read as such.
 */
export function statusFromFile(text: string): GaleraNodeStatus | null {
  let doc: { status?: { state?: string; progress?: { total?: number; done?: number } } };
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  const st = doc.status?.state;
  if (typeof st !== 'string') return null;
  const map: Record<string, GaleraState> = {
    SYNCED: 'Synced', DONOR: 'Donor/Desynced', JOINING: 'Joining', JOINED: 'Joined', CONNECTED: 'Initialized', DISCONNECTED: 'starting',
  };
  const status: GaleraNodeStatus = { running: true, state: map[st] ?? 'starting' };
  const p = doc.status?.progress;
  if (p && typeof p.total === 'number' && typeof p.done === 'number' && p.total > 0 && p.done >= 0) {
    status.progressPct = Math.min(100, Math.round((p.done / p.total) * 1000) / 10);
  }
  return status;
}

/**
 * How the start whose log is `log` (the error log since the start) got its data. The SST script
 * runs for an IST too (and then says `IST completed on joiner`), and Galera logs `SST received`
 * either way, so a full copy is told by the script's own `SST completed on joiner`.
 */
export function joinedBy(log: string): 'IST' | 'SST' | 'none' {
  if (/WSREP_SST: \[INFO\] \S+ SST completed on joiner/.test(log)) return 'SST';
  if (/WSREP: IST received|IST completed on joiner/.test(log)) return 'IST';
  return 'none';
}

/**
 * What a joiner is doing now, from the error log since its start. Galera prepares an IST receiver
 * for every state transfer; one that starts past seqno 0 means the node keeps its data (IST).
 */
export function transferOf(log: string): string | undefined {
  if (/Synchronized with group/.test(log)) return undefined;
  const ist = [...log.matchAll(/Receiving IST\.\.\.\s*([\d.]+)%/g)].pop();
  if (ist) return `IST ${ist[1]} %`;
  const from = /Prepared IST receiver for (\d+)-/.exec(log);
  if (/Running IST|IST completed on joiner/.test(log) || (from && Number(from[1]) > 0)) return 'IST';
  const sst = /WSREP_SST: \[INFO\] (\S+) SST started on joiner/.exec(log);
  return sst ? `SST (${sst[1]})` : undefined;
}

/** The lines of a failed start that say why (ERROR lines of the error log, the last few). */
export function whyItFailed(log: string): string {
  const lines = log.split('\n').filter((l) => /\[ERROR\]|WSREP_SST: \[ERROR\]/.test(l)).map((l) => l.replace(/^\S+ \S+ \d+ /, '').trim());
  return lines.slice(-4).join(' ').slice(0, 900);
}
