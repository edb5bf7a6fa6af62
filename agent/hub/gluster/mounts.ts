/**
 * Client mounts: a `filesystem` connection from a server to a member of a cluster with a Gluster
 * role mounts that cluster's volume on the server (the role's `mountVolume`, default its first
 * volume) at the role's `mountPath` (default /mnt/gluster/{volume}); a virtual server whose files
 * are on a volume has it mounted at its `mountPath` on every web server of its web cluster. Every
 * peer of the cluster is a volfile server (the first one, then the others as backups). The
 * reconciler sends each server its whole list of managed mounts whenever it changes and when the
 * agent connects (a `mounts` job: the agent mounts, unmounts and writes fstab to match), and
 * retries a failed list every RETRY_MS.
 */
import { DEFAULT_MOUNT_PATH } from '../../protocol/gluster.js';
import type { GlusterJob, GlusterMount, JobResult, State } from '../../protocol/types.js';
import type { MountState } from './live.js';
import { glusterMembers } from './plan.js';

const RETRY_MS = 15_000;
/** A server's managed mounts at most (the `mounts` job's limit). */
const MAX_MOUNTS = 16;

type MountModel = Pick<State, 'servers' | 'connections' | 'clusters' | 'virtualServers'>;

/** The web servers of a cluster (those a virtual server's files are mounted on). */
export function webServersOf(state: Pick<State, 'servers' | 'clusters'>, cluster: string): string[] {
  const byId = new Map(state.servers.map((s) => [s.id, s]));
  return state.clusters.find((c) => c.name === cluster)?.servers.filter((id) => byId.get(id)?.type === 'web') ?? [];
}

/** Every server's managed mounts, from the model (pure): connections' first, then virtual servers'. A path is used once per server. */
export function desiredMounts(state: MountModel): Map<string, GlusterMount[]> {
  const out = new Map<string, GlusterMount[]>();
  const add = (serverId: string, m: GlusterMount) => {
    const list = out.get(serverId) ?? [];
    if (!list.some((x) => x.path === m.path) && list.length < MAX_MOUNTS) list.push(m);
    out.set(serverId, list);
  };
  const peersOf = (cluster: State['clusters'][number]) => glusterMembers(cluster, state.servers).map((s) => s.address).slice(0, 16);
  for (const c of state.connections) {
    if (c.type !== 'filesystem') continue;
    for (const cluster of state.clusters) {
      const g = cluster.gluster;
      if (!g || !cluster.servers.includes(c.to)) continue;
      const volume = g.mountVolume ?? g.volumes[0]!.name;
      const path = (g.mountPath ?? DEFAULT_MOUNT_PATH).replaceAll('{volume}', volume).replaceAll('{cluster}', cluster.name);
      const peers = peersOf(cluster);
      if (peers.length) add(c.from, { cluster: cluster.name, volume, servers: peers, path });
    }
  }
  for (const v of state.virtualServers ?? []) {
    const f = v.files;
    const cluster = f && state.clusters.find((c) => c.name === f.cluster && c.gluster);
    if (!f || !cluster) continue;
    const peers = peersOf(cluster);
    if (!peers.length) continue;
    for (const id of webServersOf(state, f.webCluster)) add(id, { cluster: cluster.name, volume: f.volume, servers: peers, path: f.mountPath });
  }
  return out;
}

/**
 * Why `servers` cannot have `volume` of `cluster` mounted at `path` (another volume or cluster is
 * mounted there, or a server already has as many mounts as it may), or null when they can.
 */
export function mountConflict(state: MountModel, servers: readonly string[], want: { cluster: string; volume: string; path: string }): string | null {
  const mounts = desiredMounts(state);
  for (const id of servers) {
    const list = mounts.get(id) ?? [];
    const there = list.find((m) => m.path === want.path);
    if (there && (there.cluster !== want.cluster || there.volume !== want.volume)) {
      return `${id} already mounts volume ${there.volume} of cluster ${there.cluster} at ${want.path}: choose another mount path`;
    }
    if (!there && list.length >= MAX_MOUNTS) return `${id} already has ${MAX_MOUNTS} Gluster mounts, as many as a server may have`;
  }
  return null;
}

export interface MountDeps {
  runJob: (serverId: string, job: GlusterJob) => Promise<JobResult>;
  connected: (serverId: string) => boolean;
  log: (msg: string) => void;
  /** A server's mounts changed state (for the browsers). */
  onChange: (serverId: string) => void;
}

/** A mount's state, with the cluster it belongs to. */
type Tracked = MountState & { cluster: string };

interface ServerMounts {
  /** The list last sent (or being sent), as JSON. */
  sent?: string;
  /** What the last job for this server made of each path. */
  states: Tracked[];
  busy: boolean;
  failedAt?: number;
}

export class MountReconciler {
  private servers = new Map<string, ServerMounts>();
  private desired = new Map<string, GlusterMount[]>();
  private inputs: unknown[] | undefined;
  private timer = setInterval(() => this.retry(), RETRY_MS).unref();

  constructor(private readonly deps: MountDeps) {}

  stop(): void {
    clearInterval(this.timer);
  }

  /** The model changed: servers whose list changed get it. */
  sync(state: MountModel): void {
    // Most changes (users, audit entries, layout) leave every mount as it was.
    const inputs = [state.servers, state.connections, state.clusters, state.virtualServers];
    if (this.inputs?.every((x, i) => x === inputs[i])) return;
    this.inputs = inputs;
    const next = desiredMounts(state);
    const ids = new Set([...next.keys(), ...this.desired.keys()]);
    this.desired = next;
    for (const id of ids) {
      const s = this.servers.get(id);
      if (JSON.stringify(next.get(id) ?? []) !== (s?.sent ?? '[]')) this.send(id);
    }
  }

  /** An agent connected: it gets its list again (its mounts may have gone with a reboot). */
  connected(serverId: string): void {
    if (this.desired.has(serverId) || this.servers.get(serverId)?.states.length) this.send(serverId, true);
  }

  /** Mount states of the servers that mount `cluster` (or are unmounting it). */
  states(cluster: string): MountState[] {
    const out: MountState[] = [];
    for (const s of this.servers.values()) for (const { cluster: c, ...m } of s.states) if (c === cluster) out.push(m);
    return out;
  }

  /** Resolves once `serverId` has every path of `cluster` mounted, or rejects with the failure. */
  async whenMounted(serverId: string, cluster: string, timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const want = (this.desired.get(serverId) ?? []).filter((m) => m.cluster === cluster);
      const states = this.servers.get(serverId)?.states ?? [];
      const failed = states.find((m) => m.state === 'failed');
      if (failed) throw new Error(`${serverId}: ${failed.error ?? 'mount failed'}`);
      if (want.length && want.every((m) => states.some((x) => x.path === m.path && x.state === 'mounted'))) return;
      if (Date.now() > end) throw new Error(`${serverId} has not mounted the volume of ${cluster} within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  private retry(): void {
    for (const [id, s] of this.servers) if (s.failedAt && !s.busy) this.send(id, true);
  }

  private send(serverId: string, again = false): void {
    let s = this.servers.get(serverId);
    if (!s) this.servers.set(serverId, (s = { states: [], busy: false }));
    const mounts = this.desired.get(serverId) ?? [];
    const text = JSON.stringify(mounts);
    if (s.busy) {
      s.sent = undefined; // sent again once the running job ends
      return;
    }
    if (!again && text === s.sent) return;
    if (!this.deps.connected(serverId)) {
      s.sent = undefined;
      return;
    }
    s.sent = text;
    s.busy = true;
    const before = s.states;
    s.states = [
      ...mounts.map((m) => ({ cluster: m.cluster, serverId, path: m.path, state: 'mounting' as const })),
      ...before.filter((b) => b.state === 'mounted' && !mounts.some((m) => m.path === b.path)).map((b) => ({ ...b, state: 'unmounting' as const })),
    ];
    this.deps.onChange(serverId);
    void this.deps.runJob(serverId, { op: 'mounts', mounts }).then(
      (r) => (r.ok ? undefined : r.error ?? 'refused'),
      (e: Error) => e.message,
    ).then((error) => {
      s.busy = false;
      s.failedAt = error ? Date.now() : undefined;
      if (error) this.deps.log(`gluster mounts on ${serverId}: ${error}`);
      s.states = error
        ? mounts.map((m) => ({ cluster: m.cluster, serverId, path: m.path, state: 'failed' as const, error: error.slice(0, 1024) }))
        : mounts.map((m) => ({ cluster: m.cluster, serverId, path: m.path, state: 'mounted' as const }));
      this.deps.onChange(serverId);
      if (s.sent === undefined || JSON.stringify(this.desired.get(serverId) ?? []) !== text) this.send(serverId, true);
    });
  }
}
