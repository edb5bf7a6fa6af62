/**
 * Gluster clusters live: the hub names one reporter per cluster (the first `filesystem` member
 * whose agent is connected and whose glusterd answers; the next one when it stops answering), keeps
 * its latest status, and derives the cluster view (bricks online, heal backlog, split-brain, free
 * space, the floor's `vol0 3/3 healthy`) and the per-server values of the Gluster alert metrics.
 * In memory only.
 */
import type { BrickView, Cluster, GlusterClusterView, GlusterStatus, Server, State } from '../../protocol/types.js';
import { glusterMembers } from './plan.js';

/**
 * A status older than this is stale, and its reporter replaced. The reporter sends one a second;
 * a round can take a few seconds on a loaded node (the heal summary connects to every brick).
 */
export const GLUSTER_STATUS_STALE_MS = 10_000;
/** A new reporter has this long to send its first status before the next one is tried. */
const FIRST_REPORT_MS = 10_000;
/** A heal backlog that did not shrink within this window counts as "not shrinking" right now. */
const SHRINK_WINDOW_MS = 3000;

interface ClusterLive {
  reporter: string | null;
  chosenAt: number;
  status?: GlusterStatus;
  at: number;
  /** What the browsers last got, to send only changes. */
  published?: string;
}

/** Per server and cluster, from the latest status: what the alert metrics read (one Map lookup a rule a second). */
interface BrickTotals { offline: number; splitBrain: number; fullestPct: number; pending: number; shrankAt: number }

export type MountState = GlusterClusterView['mounts'][number];

export class GlusterLive {
  private clusters = new Map<string, ClusterLive>();
  /** server id → cluster → its bricks' totals. */
  private totals = new Map<string, Map<string, BrickTotals>>();

  /** Records a status from `serverId`; ignored unless it is a cluster's reporter. Returns the clusters it updated. */
  record(state: Pick<State, 'clusters' | 'servers'>, serverId: string, status: GlusterStatus, now = Date.now()): string[] {
    const updated: string[] = [];
    for (const [name, c] of this.clusters) {
      if (c.reporter !== serverId) continue;
      c.status = status;
      c.at = now;
      updated.push(name);
      const cluster = state.clusters.find((x) => x.name === name);
      if (cluster) this.recordTotals(cluster, state.servers, status, now);
    }
    return updated;
  }

  /**
   * Chooses each Gluster cluster's reporter. Returns the agents to tell: `report: true` to a new
   * reporter, `false` to the one it replaces.
   */
  chooseReporters(state: Pick<State, 'clusters' | 'servers'>, connected: (id: string) => boolean, now = Date.now()): { serverId: string; report: boolean }[] {
    const tell: { serverId: string; report: boolean }[] = [];
    const seen = new Set<string>();
    for (const cluster of state.clusters) {
      if (!cluster.gluster) continue;
      seen.add(cluster.name);
      let c = this.clusters.get(cluster.name);
      if (!c) this.clusters.set(cluster.name, (c = { reporter: null, chosenAt: 0, at: 0 }));
      const members = glusterMembers(cluster, state.servers).map((s) => s.id);
      const candidates = members.filter(connected);
      const current = c.reporter;
      // Working: it reported since it was chosen, its glusterd answered, recently; or it is new and has not reported yet.
      const reported = c.at >= c.chosenAt && c.status !== undefined;
      const working = current !== null && candidates.includes(current)
        && (reported ? !c.status?.error && now - c.at < GLUSTER_STATUS_STALE_MS : now - c.chosenAt < FIRST_REPORT_MS);
      if (working) continue;
      // The next connected member after the current one, so a node whose glusterd is down is not chosen again at once.
      const from = current === null ? -1 : members.indexOf(current);
      const order = [...members.slice(from + 1), ...members.slice(0, from + 1)];
      const next = order.find((id) => candidates.includes(id)) ?? null;
      if (next === current && current !== null) {
        c.chosenAt = now; // the only candidate: keep asking it
        continue;
      }
      if (current !== null) tell.push({ serverId: current, report: false });
      if (next !== null) tell.push({ serverId: next, report: true });
      c.reporter = next;
      c.chosenAt = now;
      // An error from the old reporter is not the cluster's state: shown no longer. A good last word
      // stays until the new reporter speaks (or it turns stale).
      if (c.status?.error) {
        c.status = undefined;
        c.at = 0;
      }
    }
    for (const [name, c] of this.clusters) {
      if (seen.has(name)) continue;
      if (c.reporter) tell.push({ serverId: c.reporter, report: false });
      this.clusters.delete(name);
    }
    // An agent that reports for another cluster too keeps reporting.
    const reporters = new Set([...this.clusters.values()].map((c) => c.reporter));
    return tell.filter((t) => t.report || !reporters.has(t.serverId));
  }

  /** The reporters now, by cluster (an agent that reconnects is told again). */
  reporterOf(cluster: string): string | null {
    return this.clusters.get(cluster)?.reporter ?? null;
  }

  /** The latest fresh status of a cluster, if any. */
  status(cluster: string, now = Date.now()): GlusterStatus | undefined {
    const c = this.clusters.get(cluster);
    return c?.status && now - c.at < GLUSTER_STATUS_STALE_MS ? c.status : undefined;
  }

  view(state: Pick<State, 'servers'>, cluster: Cluster, mounts: MountState[] = [], now = Date.now()): GlusterClusterView {
    const c = this.clusters.get(cluster.name);
    return glusterView(cluster, state.servers, c?.reporter ?? null, c?.status, c?.at ?? 0, mounts, now);
  }

  /** The view if it changed since the last call for this cluster (what the browsers get once a second at most). */
  changedView(state: Pick<State, 'servers'>, cluster: Cluster, mounts: MountState[], now = Date.now()): GlusterClusterView | undefined {
    const view = this.view(state, cluster, mounts, now);
    const c = this.clusters.get(cluster.name);
    if (!c) return undefined;
    const { reportedAt: _r, ...rest } = view;
    const text = JSON.stringify(rest);
    if (text === c.published) return undefined;
    c.published = text;
    return view;
  }

  /** Every server that holds bricks of a cluster reported. */
  servers(): Iterable<string> {
    return this.totals.keys();
  }

  /**
   * The value of a Gluster alert metric for one server (summed or worst over its bricks), -1
   * when the condition does not hold, -2 when there is no fresh status for it. O(1): read from
   * the totals each status leaves behind.
   */
  metric(metric: string, serverId: string, threshold = 0, now = Date.now()): number {
    const byCluster = this.totals.get(serverId);
    if (!byCluster) return -2;
    let fresh = false;
    let offline = 0, split = 0, fullest = 0, stalled = 0;
    for (const [cluster, t] of byCluster) {
      const status = this.status(cluster, now);
      if (!status || status.error) continue;
      fresh = true;
      offline += t.offline;
      split += t.splitBrain;
      fullest = Math.max(fullest, t.fullestPct);
      if (t.pending > 0 && now - t.shrankAt > SHRINK_WINDOW_MS) stalled += t.pending;
    }
    if (!fresh) return -2;
    switch (metric) {
      case 'gluster_brick_offline': return offline > 0 ? offline : -1;
      case 'gluster_split_brain': return split > 0 ? split : -1;
      case 'gluster_heal_stalled': return stalled > 0 ? stalled : -1;
      case 'gluster_brick_full': return fullest >= threshold ? fullest : -1;
      default: return -2;
    }
  }

  /** Each member's totals over its bricks; a backlog that went down (or appeared) restarts its "not shrinking" clock. */
  private recordTotals(cluster: Cluster, servers: readonly Server[], status: GlusterStatus, now: number): void {
    for (const s of glusterMembers(cluster, servers)) {
      const bricks = status.volumes.flatMap((v) => v.bricks.filter((b) => b.host === s.address));
      let byCluster = this.totals.get(s.id);
      if (!bricks.length) {
        byCluster?.delete(cluster.name);
        continue;
      }
      if (!byCluster) this.totals.set(s.id, (byCluster = new Map()));
      const pending = bricks.reduce((a, b) => a + (b.healPending ?? 0), 0);
      const before = byCluster.get(cluster.name);
      const shrankAt = !before || pending < before.pending || (before.pending === 0 && pending > 0) ? now : before.shrankAt;
      byCluster.set(cluster.name, {
        offline: bricks.filter((b) => !b.online).length,
        splitBrain: bricks.reduce((a, b) => a + (b.splitBrain ?? 0), 0),
        fullestPct: Math.max(...bricks.map((b) => usedPct(b.sizeTotal, b.sizeFree) ?? 0)),
        pending, shrankAt,
      });
    }
  }
}

const usedPct = (total: number | undefined, free: number | undefined): number | null =>
  total && free !== undefined ? Math.round(((total - free) / total) * 1000) / 10 : null;

/** The cluster view from the reporter's status (pure). */
export function glusterView(cluster: Cluster, servers: readonly Server[], reporter: string | null, status: GlusterStatus | undefined, at: number, mounts: MountState[], now: number): GlusterClusterView {
  const byAddress = new Map(servers.map((s) => [s.address, s.id]));
  const reporterAddress = servers.find((s) => s.id === reporter)?.address;
  const stale = !status || now - at >= GLUSTER_STATUS_STALE_MS;
  const volumes = (status?.volumes ?? []).map((v) => {
    const bricks: BrickView[] = v.bricks.map((b) => ({
      serverId: byAddress.get(b.host) ?? null, name: `${b.host}:${b.path}`, ...(b.arbiter ? { arbiter: true } : {}),
      online: b.online && !stale, healPending: b.healPending ?? null, splitBrain: b.splitBrain ?? null,
      sizeTotal: b.sizeTotal ?? null, sizeFree: b.sizeFree ?? null, usedPct: usedPct(b.sizeTotal, b.sizeFree),
    }));
    const online = bricks.filter((b) => b.online).length;
    const toHeal = Math.max(0, ...bricks.map((b) => b.healPending ?? 0));
    const split = Math.max(0, (v.splitBrainFiles ?? []).length, ...bricks.map((b) => b.splitBrain ?? 0));
    const problems = [
      ...(v.started ? [] : ['stopped']),
      ...(v.started && online < bricks.length ? [`${bricks.length - online} brick${bricks.length - online > 1 ? 's' : ''} offline`] : []),
      ...(toHeal ? [`${toHeal} to heal`] : []),
      ...(split ? [`${split} in split-brain`] : []),
      ...(bricks.some((b) => (b.usedPct ?? 0) >= 90) ? ['a brick over 90 % full'] : []),
    ];
    const healthy = !problems.length && !stale;
    return {
      name: v.name, started: v.started, type: v.type, replica: v.replica, arbiter: v.arbiter, bricks,
      splitBrainFiles: v.splitBrainFiles ?? [],
      summary: `${v.name} ${online}/${bricks.length} ${healthy ? 'healthy' : problems.join(', ') || 'status unknown'}`,
      healthy,
    };
  });
  const peers = (status?.peers ?? []).map((p) => {
    const hostname = p.self && reporterAddress ? reporterAddress : p.hostname;
    return { serverId: byAddress.get(hostname) ?? null, hostname, connected: p.connected && !stale };
  });
  const down = peers.filter((p) => !p.connected).map((p) => p.serverId ?? p.hostname);
  const summary = !status ? (reporter ? `waiting for ${reporter}'s status` : 'no Gluster server reachable')
    : status.error ? `glusterd unreachable: ${status.error}`
      : [
        ...(volumes.length ? volumes.map((v) => v.summary) : ['no volume yet: plan and apply the role']),
        ...(down.length ? [`peer${down.length > 1 ? 's' : ''} ${down.join(', ')} disconnected`] : []),
        ...(stale ? ['status is stale'] : []),
      ].join('; ');
  return {
    cluster: cluster.name, reporter, reportedAt: at ? new Date(at).toISOString() : null, stale,
    ...(status?.error ? { error: status.error } : {}),
    peers, volumes, mounts, summary: summary.slice(0, 1024),
    healthy: !stale && !status?.error && volumes.length > 0 && volumes.every((v) => v.healthy) && !down.length,
  };
}
