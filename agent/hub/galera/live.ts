/**
 * Each Galera node's latest status (galera-status frames, one a second), in memory, and the
 * cluster's view from it: per node its state and what HAProxy is told, the writer, and the
 * floor's summary (`Primary 3/3`, or what is wrong). The view is a pure function.
 */
import type { Cluster, GaleraClusterStatus, GaleraNodeStatus, State } from '../../protocol/types.js';
import { members, writerOrder } from './settings.js';

/** A status older than this is not trusted: the agent (or its link) is gone. */
export const GALERA_STATUS_STALE_MS = 5000;

type Node = GaleraClusterStatus['nodes'][number];
type Backend = NonNullable<Node['backend']>;

/** Healthy for clients: Synced in a Primary component. */
export const isSynced = (s: GaleraNodeStatus | undefined) => s?.running === true && s.state === 'Synced' && s.primary === true;

/**
 * What HAProxy should do with a node: ready when Synced and Primary; maint (no new connections)
 * when it is a Donor, joining, non-Primary, down or drained by an operation. A node with no fresh
 * report stays ready: HAProxy's own check still takes a dead one out.
 */
export function backendState(status: GaleraNodeStatus | undefined, drained: boolean): Backend {
  if (drained) return 'maint';
  if (!status) return 'ready';
  return isSynced(status) ? 'ready' : 'maint';
}

function problem(n: Node): string | null {
  if (n.stale || !n.status) return `${n.serverId} no report`;
  const s = n.status;
  if (!s.running) return `${n.serverId} down`;
  if (s.state === 'Synced' && s.primary) return null;
  return `${n.serverId} ${s.state}`;
}

/** The floor's line and tone. */
export function summarize(nodes: readonly Node[]): { summary: string; tone: GaleraClusterStatus['tone'] } {
  if (!nodes.length) return { summary: 'Galera: no database servers', tone: 'idle' };
  const fresh = nodes.filter((n) => !n.stale && n.status);
  if (!fresh.length) return { summary: 'Galera: no node reports', tone: 'idle' };
  const primary = fresh.filter((n) => n.status!.running && n.status!.primary).length;
  const synced = fresh.filter((n) => isSynced(n.status)).length;
  const problems = nodes.map(problem).filter((p): p is string => p !== null);
  if (!problems.length) return { summary: `Primary ${synced}/${nodes.length}`, tone: 'ok' };
  if (fresh.every((n) => !n.status!.running)) return { summary: 'every node down: recovery needed', tone: 'bad' };
  if (!primary) return { summary: `no Primary component · ${problems.join(', ')}`, tone: 'bad' };
  return { summary: `Primary ${synced}/${nodes.length} · ${problems.join(', ')}`, tone: 'warn' };
}

/** How fast the estimate of an agent's clock offset may grow per frame (ms): it follows a clock that was stepped back. */
const OFFSET_CREEP_MS = 50;

export class GaleraLive {
  private byServer = new Map<string, { cluster: string; status: GaleraNodeStatus; at: number }>();
  /** Per node, the smallest (hub time − agent time) seen lately: the clock offset plus the fastest delivery. */
  private offsets = new Map<string, number>();

  /**
   * Records a report received at `now` and read by the agent at `sentAt` (its clock). A report
   * that took longer than the fastest ones (it sat in the buffer of a link that was down) counts
   * as of when it was read, so it may be stale on arrival rather than look like news.
   */
  record(serverId: string, cluster: string, status: GaleraNodeStatus, now = Date.now(), sentAt?: number): void {
    let at = now;
    if (sentAt !== undefined) {
      const lag = now - sentAt;
      const offset = Math.min(lag, (this.offsets.get(serverId) ?? lag) + OFFSET_CREEP_MS);
      this.offsets.set(serverId, offset);
      at = now - Math.max(0, lag - offset);
    }
    const prev = this.byServer.get(serverId);
    if (prev && prev.at > at) return; // an older report than the one already held
    this.byServer.set(serverId, { cluster, status, at });
  }

  /** Every server that sent a status (fresh or not). */
  servers(): Iterable<string> {
    return this.byServer.keys();
  }

  /** The node's fresh status, if any. */
  status(serverId: string, now = Date.now()): GaleraNodeStatus | undefined {
    const e = this.byServer.get(serverId);
    return e && now - e.at < GALERA_STATUS_STALE_MS ? e.status : undefined;
  }

  view(state: Pick<State, 'servers'>, cluster: Cluster, drained: ReadonlySet<string> = new Set(), now = Date.now()): GaleraClusterStatus {
    const ids = members(state, cluster).map((s) => s.id);
    const nodes: Node[] = ids.map((serverId) => {
      const e = this.byServer.get(serverId);
      const fresh = e && now - e.at < GALERA_STATUS_STALE_MS ? e.status : undefined;
      return { serverId, stale: !fresh, ...(e ? { status: e.status } : {}), backend: backendState(fresh, drained.has(serverId)) };
    });
    const writer = writerOrder(cluster, ids).find((id) => nodes.find((n) => n.serverId === id)?.backend === 'ready' && !drained.has(id));
    return { cluster: cluster.name, ...summarize(nodes), ...(writer ? { writer } : {}), nodes };
  }
}
