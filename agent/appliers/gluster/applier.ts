/**
 * The Gluster applier: runs one job op on this node through the gluster CLI (argv built by
 * commands.ts), checks brick directories, manages client mounts in fstab, and takes the status
 * round the cluster's reporter sends every second. Every answer is read from `--xml` output.
 */
import { mkdir, mkdtemp, readdir, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { GlusterJob, GlusterJobResult, GlusterMount, GlusterStatus } from '../../protocol/types.js';
import { ApplyError, type Progress } from '../contract.js';
import { readOrEmpty, replaceWithBackup, run } from '../files.js';
import { GlusterCli } from './cli.js';
import { glusterCommands } from './commands.js';
import { glusterMountPoints, managedEntries, mountArgs, mountSource, renderFstab } from './fstab.js';
import {
  type BrickLive, type VolumeInfo, mergeVolume, parseHealSummary, parsePeers, parseRebalance, peersInCluster, parseSplitBrainFiles, parseVolumeInfo, parseVolumeStatus,
} from './parse.js';
import type { GlusterPaths } from './paths.js';
import { makeVolumeDirectory, removeVolumeDirectory } from './volume-files.js';

const WAIT_MS = 30_000;
/** How long a heal refused because a self-heal daemon is down waits for it before restarting it. */
const SHD_GRACE_MS = 5000;
const SHD_DOWN = /Self-heal daemon is not running/i;
/** `volume info` changes only through commands: re-read it this often at most (and after every job). */
const INFO_MAX_AGE_MS = 5000;
/** How long a `volume status` answer stands in for one that failed (glusterd busy with another command). */
const LIVE_MAX_AGE_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class GlusterApplier {
  private readonly cli: GlusterCli;
  /** Status reads are not retried: the next round comes in a second. */
  private readonly reader: GlusterCli;
  /** A heal's first try: a self-heal daemon that is not running by then is restarted. */
  private readonly quick: GlusterCli;
  private info: { at: number; volumes: VolumeInfo[] } | undefined;
  private live: { at: number; bricks: Map<string, Map<string, BrickLive>> } | undefined;

  constructor(private readonly paths: GlusterPaths) {
    this.cli = new GlusterCli(paths.bin);
    this.reader = new GlusterCli(paths.bin, 30_000, 0);
    this.quick = new GlusterCli(paths.bin, 30_000, SHD_GRACE_MS);
  }

  async run(job: GlusterJob, progress: Progress): Promise<GlusterJobResult> {
    this.info = undefined;
    switch (job.op) {
      case 'inspect': {
        const paths = await Promise.all((job.paths ?? []).map((p) => checkBrickPath(p)));
        const status = await this.status();
        if (status.error) throw new ApplyError(status.error);
        const uuid = status.peers.find((p) => p.self)?.uuid;
        return { ...(uuid ? { uuid } : {}), status, paths };
      }
      case 'prepare': {
        for (const p of job.paths) {
          if ((await checkBrickPath(p)).state === 'used') throw new ApplyError(`brick path ${p} is in use: bricks cannot be reused`);
          await mkdir(dirname(p), { recursive: true });
        }
        return {};
      }
      case 'probe': {
        for (const c of glusterCommands(job)) {
          progress(`gluster ${c.args.join(' ')}`);
          await this.cli.call(c);
        }
        await this.waitFor(`${job.hosts.join(', ')} to be connected and in the cluster`, async () => {
          const ready = peersInCluster(await this.cli.xml('peer', 'status'));
          return job.hosts.every((h) => ready.includes(h));
        });
        return {};
      }
      case 'wait-bricks': {
        let last = '';
        await this.waitFor(`every brick of ${job.volume} to be online`, async () => {
          const v = (await this.status()).volumes.find((x) => x.name === job.volume);
          if (!v) throw new ApplyError(`there is no volume ${job.volume}`);
          last = v.bricks.filter((b) => !b.online).map((b) => `${b.host}:${b.path}`).join(', ');
          return v.bricks.length > 0 && !last;
        }, () => `still offline: ${last}`);
        return {};
      }
      case 'rebalance-status': {
        const r = parseRebalance(await this.cli.xml(...glusterCommands(job)[0]!.args));
        return { rebalance: r };
      }
      case 'status': return { status: await this.status() };
      case 'mounts': return { mounted: await this.mounts(job.mounts, progress) };
      case 'mkdir': return this.mkdir(job, progress);
      case 'heal': return this.heal(job, progress);
      case 'rmdir': return this.rmdir(job, progress);
      default: {
        let output = '';
        for (const c of glusterCommands(job)) {
          progress(`gluster ${c.args.join(' ')}`);
          const r = await this.cli.call(c);
          if (typeof r === 'string') output += r;
        }
        return output ? { output: output.slice(0, 2048) } : {};
      }
    }
  }

  /** One status round: pool, volumes (info merged with status), heal backlog, split-brain files. */
  async status(): Promise<GlusterStatus> {
    let peers;
    try {
      peers = parsePeers(await this.reader.xml('pool', 'list'));
    } catch (e) {
      return { error: (e as Error).message.slice(0, 1024), peers: [], volumes: [] };
    }
    if (!this.info || Date.now() - this.info.at > INFO_MAX_AGE_MS) this.info = { at: Date.now(), volumes: parseVolumeInfo(await this.reader.xml('volume', 'info')) };
    const infos = this.info.volumes;
    // `volume status all` fails when no volume is started (then every brick is offline anyway), and
    // now and then while another node holds glusterd's cluster lock: then the previous answer stands.
    if (infos.some((v) => v.started)) {
      const live = await this.reader.xml('volume', 'status', 'all', 'detail').then(parseVolumeStatus, () => undefined);
      if (live || Date.now() - (this.live?.at ?? 0) > LIVE_MAX_AGE_MS) this.live = { at: Date.now(), bricks: live ?? new Map() };
    }
    const volumes = [];
    for (const info of infos) {
      const statusOf = info.started ? this.live?.bricks.get(info.name) : undefined;
      let heal;
      let files: string[] = [];
      if (info.started && info.replica > 1) {
        heal = await this.reader.xml('volume', 'heal', info.name, 'info', 'summary').then(parseHealSummary, () => undefined);
        if (heal && [...heal.values()].some((h) => h && h.splitBrain > 0)) {
          files = await this.reader.xml('volume', 'heal', info.name, 'info', 'split-brain').then(parseSplitBrainFiles, () => []);
        }
      }
      volumes.push(mergeVolume(info, statusOf, heal, files));
    }
    return { peers, volumes };
  }

  /**
   * `volume heal VOL [full]`. A node's self-heal daemon can crash when a volume's graph changes
   * under it (after a replace-brick: glusterfs issue #4644), and glusterd does not restart it:
   * every heal is then refused. `volume start VOL force` starts only what is missing (daemons,
   * bricks) on every node; then the heal is asked again.
   */
  private async heal(job: Extract<GlusterJob, { op: 'heal' }>, progress: Progress): Promise<GlusterJobResult> {
    const [heal] = glusterCommands(job);
    const say = `gluster ${heal!.args.join(' ')}`;
    progress(say);
    let output: unknown;
    try {
      output = await this.quick.call(heal!);
    } catch (e) {
      if (!(e instanceof ApplyError) || !SHD_DOWN.test(e.message)) throw e;
      progress(`a self-heal daemon is not running (${e.message.split('\n').pop()}): gluster volume start ${job.volume} force starts it`);
      await this.cli.xml('volume', 'start', job.volume, 'force');
      progress(say);
      output = await this.cli.call(heal!);
    }
    return typeof output === 'string' && output ? { output: output.slice(0, 2048) } : {};
  }

  private async waitFor(what: string, done: () => Promise<boolean>, why: () => string = () => ''): Promise<void> {
    const end = Date.now() + WAIT_MS;
    for (;;) {
      if (await done()) return;
      if (Date.now() > end) throw new ApplyError(`timed out after ${WAIT_MS / 1000} s waiting for ${what}${why() ? ` (${why()})` : ''}`);
      await sleep(500);
    }
  }

  /** Makes the managed mounts exactly `wanted`: fstab (with a backup) and what is mounted. Returns the mounted paths. */
  private async mounts(wanted: readonly GlusterMount[], progress: Progress): Promise<string[]> {
    const fstab = await readOrEmpty(this.paths.fstab);
    const before = managedEntries(fstab);
    // fstab first: what is (or is no longer) mounted below survives a reboot even if a later step fails.
    const next = renderFstab(fstab, wanted);
    if (next !== fstab) {
      progress(`write ${this.paths.fstab} (previous kept as ${this.paths.fstab}.uc-previous)`);
      await replaceWithBackup(this.paths.fstab, fstab, next);
    }
    let mounted = glusterMountPoints(await readOrEmpty(this.paths.procMounts));
    for (const old of before) {
      if (wanted.some((m) => m.path === old.path && mountSource(m) === old.source) || !mounted.has(old.path)) continue;
      progress(`umount ${old.path}`);
      const r = await run(this.paths.umountBin, [old.path]);
      // Busy (a shell or a web server has it open): detach it now, it goes when released.
      if (r.code !== 0 && (await run(this.paths.umountBin, ['-l', old.path])).code !== 0) throw new ApplyError(`cannot unmount ${old.path}: ${r.output}`);
    }
    mounted = glusterMountPoints(await readOrEmpty(this.paths.procMounts));
    for (const m of wanted) {
      if (mounted.has(m.path)) continue;
      await mkdir(m.path, { recursive: true });
      progress(`mount -t glusterfs ${mountSource(m)} ${m.path}`);
      const r = await run(this.paths.mountBin, mountArgs(m), 30_000);
      if (r.code !== 0) throw new ApplyError(`mount -t glusterfs ${mountSource(m)} ${m.path} failed: ${r.output || `exit code ${r.code}`}`);
    }
    mounted = glusterMountPoints(await readOrEmpty(this.paths.procMounts));
    const missing = wanted.filter((m) => !mounted.has(m.path));
    if (missing.length) throw new ApplyError(`not mounted after mount: ${missing.map((m) => m.path).join(', ')}`);
    return wanted.map((m) => m.path);
  }

  /** A directory inside the volume (and its links), made through a temporary mount. */
  private async mkdir(job: Extract<GlusterJob, { op: 'mkdir' }>, progress: Progress): Promise<GlusterJobResult> {
    const made = await this.inVolume(job, progress, (root) => makeVolumeDirectory(root, job));
    progress(`${made.created ? 'made' : 'kept'} ${job.path} on ${job.volume}${made.linked.length ? `; linked ${made.linked.join(', ')} to it` : ''}${made.unlinked.length ? `; removed the links ${made.unlinked.join(', ')}` : ''}`);
    return { created: made.created };
  }

  /** Removes a directory inside the volume (and its links), through a temporary mount. */
  private async rmdir(job: Extract<GlusterJob, { op: 'rmdir' }>, progress: Progress): Promise<GlusterJobResult> {
    const gone = await this.inVolume(job, progress, (root) => removeVolumeDirectory(root, job));
    progress(`${gone.removed ? 'removed' : 'there was no'} ${job.path} on ${job.volume}${gone.unlinked.length ? `; removed the links ${gone.unlinked.join(', ')}` : ''}`);
    return { removed: gone.removed };
  }

  /** Runs `work` on the volume mounted at a temporary mount point that is gone afterwards. */
  private async inVolume<T>(job: { volume: string; servers: string[] }, progress: Progress, work: (root: string) => Promise<T>): Promise<T> {
    const point = await mkdtemp(join(this.paths.tmpDir, 'uc-gluster-'));
    const m: GlusterMount = { cluster: 'tmp', volume: job.volume, servers: job.servers, path: point };
    try {
      progress(`mount -t glusterfs ${mountSource(m)} ${point} (temporary)`);
      const r = await run(this.paths.mountBin, mountArgs(m, point), 30_000);
      if (r.code !== 0) throw new ApplyError(`cannot mount ${mountSource(m)}: ${r.output || `exit code ${r.code}`}`);
      try {
        return await work(point);
      } finally {
        const u = await run(this.paths.umountBin, [point]);
        if (u.code !== 0) await run(this.paths.umountBin, ['-l', point]);
      }
    } finally {
      await rmdir(point).catch(() => {});
    }
  }
}

/** Whether a brick directory may be used: absent or empty. A directory that held a brick keeps `.glusterfs`. */
export async function checkBrickPath(path: string): Promise<{ path: string; state: 'absent' | 'empty' | 'used'; detail?: string }> {
  try {
    const s = await stat(path);
    if (!s.isDirectory()) return { path, state: 'used', detail: 'exists and is not a directory' };
    const entries = await readdir(path);
    if (!entries.length) return { path, state: 'empty' };
    return {
      path, state: 'used',
      detail: entries.includes('.glusterfs') ? 'holds .glusterfs: it was a brick before, and a brick directory cannot be reused' : `is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ' …' : ''})`,
    };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { path, state: 'absent' };
    return { path, state: 'used', detail: (e as Error).message };
  }
}
