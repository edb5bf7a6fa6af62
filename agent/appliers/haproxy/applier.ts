/**
 * HAProxy on this node. Membership, weight, maintenance and host rules go through the runtime API
 * on the stats socket (no reload, no dropped requests) and into the files; anything else is
 * validated with `haproxy -c` and activated by a seamless master-worker reload, polling `show
 * proc` for the new worker. A reload that fails (e.g. a bind address the node lacks, which `-c`
 * cannot see) restores the previous files and reports the master's startup log.
 *
 * The files are haproxy.cfg and one host map per http frontend (host-maps.ts); a plan's `base`
 * and `next` hash them together, its diff shows each.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FilePlan, HaproxyDesired, LbStatus } from '../../protocol/types.js';
import { type Applier, ApplyError, type Progress } from '../contract.js';
import { unifiedDiff } from '../diff.js';
import { readOrEmpty, replaceWithBackup, restore, run, sha256, validateText } from '../files.js';
import type { HaproxyPaths } from '../paths.js';
import { type HostMapFile, type MapOp, describeMapOp, hostMapDiff, hostMapFiles, mapCommand, parseHostMap, parseShowMap, planHostMaps } from './host-maps.js';
import { type RuntimeOp, describeOp, planHaproxy } from './plan.js';
import { type HaproxyRenderPaths, renderHaproxy } from './render.js';
import { haproxyCommand, parseShowProc, parseShowStat } from './socket.js';

/** The ALERT lines of HAProxy's output, without their prefix: what went wrong. */
function alerts(output: string): string {
  return output.split('\n').filter((l) => l.startsWith('[ALERT]')).map((l) => l.replace(/^\[ALERT\]\s*\(\d+\)\s*:\s*/, ''))
    .filter((l) => !/^Fatal errors found/.test(l)).slice(-5).join(' ').slice(0, 800);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long a removed server may keep requests in flight before it is taken out anyway. */
const DRAIN_MS = 10_000;
const RELOAD_MS = 15_000;

/** haproxy.cfg and the host maps it reads: what a plan compares and an apply writes. */
interface Files { config: string; maps: HostMapFile[] }

/** What it takes to go from the files on disk to the desired ones. */
type Change = { change: 'none' | 'reload'; ops: RuntimeOp[]; mapOps: MapOp[] } | { change: 'runtime'; ops: RuntimeOp[]; mapOps: MapOp[] };

/**
 * Host-map steps listed one by one in a plan and in progress, at most: a cluster's first plan may
 * route thousands of names, and an agent's frames are small and rate-limited (10 a second).
 */
const LISTED_MAP_OPS = 8;
const describeMapOps = (ops: readonly MapOp[]) => (ops.length <= LISTED_MAP_OPS ? ops.map(describeMapOp)
  : [...ops.slice(0, LISTED_MAP_OPS - 1).map(describeMapOp), `… and ${ops.length - LISTED_MAP_OPS + 1} more host routes`]);

const hashOf = (f: Files) => (f.maps.length ? sha256([f.config, ...f.maps.flatMap((m) => [m.path, m.text])].join('\0')) : sha256(f.config));

export class HaproxyApplier implements Applier<HaproxyDesired> {
  constructor(private readonly paths: HaproxyPaths) {}

  private renderPaths(mapDir = this.paths.mapDir): HaproxyRenderPaths {
    return { statsSocket: this.paths.statsSocket, hostMap: (frontend) => join(mapDir, `${frontend}.map`) };
  }

  private render(cluster: string, d: HaproxyDesired): Files {
    const paths = this.renderPaths();
    try {
      return { config: renderHaproxy(cluster, d, paths), maps: hostMapFiles(cluster, d, paths.hostMap) };
    } catch (e) {
      throw new ApplyError(`cannot render the HAProxy configuration: ${(e as Error).message}`);
    }
  }

  /** The files on disk now: the config and the maps `next` names (a missing file reads as empty). */
  private async current(next: Files): Promise<Files> {
    const maps = await Promise.all(next.maps.map(async (m) => ({ ...m, text: await readOrEmpty(m.path) })));
    return { config: await readOrEmpty(this.paths.config), maps };
  }

  /** `haproxy -c` on the config with its maps, all in temp files beside the real ones. */
  private async validate(cluster: string, d: HaproxyDesired): Promise<void> {
    await mkdir(dirname(this.paths.config), { recursive: true });
    const dir = await mkdtemp(join(dirname(this.paths.config), '.uc-check-'));
    try {
      const paths = this.renderPaths(dir);
      for (const m of hostMapFiles(cluster, d, paths.hostMap)) await writeFile(m.path, m.text, { mode: 0o600 });
      const why = await validateText(this.paths.config, renderHaproxy(cluster, d, paths), (f) => run(this.paths.bin, ['-c', '-f', f]));
      if (why) throw new ApplyError(`haproxy -c refused the new configuration: ${(alerts(why) || why).split(dir).join(this.paths.mapDir)}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private change(current: Files, next: Files): Change {
    const cfg = planHaproxy(current.config, next.config);
    if (cfg.change === 'reload') return { change: 'reload', ops: [], mapOps: [] };
    const ops = cfg.change === 'runtime' ? cfg.ops : [];
    const mapOps = planHostMaps(new Map(current.maps.map((m) => [m.path, m.text])), next.maps);
    return cfg.change === 'none' && !mapOps.length ? { change: 'none', ops, mapOps } : { change: 'runtime', ops, mapOps };
  }

  private filePlan(current: Files, next: Files, change: Change, running: boolean): FilePlan {
    const diff = [
      unifiedDiff(current.config, next.config, this.paths.config),
      ...next.maps.map((m, i) => hostMapDiff(current.maps[i]!.text, m.text, m.path)),
    ].join('');
    const base = { applier: 'haproxy' as const, path: this.paths.config, diff, base: hashOf(current), next: hashOf(next) };
    if (!running) return { ...base, change: 'reload', steps: ['start haproxy (master-worker)'] };
    if (change.change === 'runtime') return { ...base, change: 'runtime', steps: [...change.ops.map(describeOp), ...describeMapOps(change.mapOps)] };
    return { ...base, change: change.change };
  }

  async plan(cluster: string, d: HaproxyDesired): Promise<FilePlan> {
    const next = this.render(cluster, d);
    await this.validate(cluster, d);
    const current = await this.current(next);
    return this.filePlan(current, next, this.change(current, next), await this.running());
  }

  async apply(cluster: string, d: HaproxyDesired, expect: { base: string; next: string }, progress: Progress): Promise<FilePlan> {
    const next = this.render(cluster, d);
    const current = await this.current(next);
    if (hashOf(current) !== expect.base) throw new ApplyError(`${this.paths.config} or its host maps changed since the plan was made: plan again`);
    if (hashOf(next) !== expect.next) throw new ApplyError('the desired state differs from the plan: plan again');
    // `next` is byte for byte what `haproxy -c` passed at plan time (its hash says so).
    const running = await this.running();
    const change = this.change(current, next);
    const planned = this.filePlan(current, next, change, running);
    if (running && change.change === 'none') {
      progress('haproxy: already as planned, nothing to do');
      return planned;
    }
    for (const [i, m] of next.maps.entries()) await replaceWithBackup(m.path, current.maps[i]!.text, m.text);
    await replaceWithBackup(this.paths.config, current.config, next.config);
    progress(`haproxy: wrote ${this.paths.config}${next.maps.length ? ' and its host maps' : ''} (validated by haproxy -c when planned; previous kept as backup)`);
    if (!running) await this.start(current, progress);
    else if (change.change === 'runtime') await this.runtime(change, current, progress);
    else await this.reload(current, progress);
    try {
      await this.verify(d, next);
    } catch (e) {
      await this.restoreFiles(current);
      await this.reload(current, () => {}).catch(() => {});
      throw new ApplyError(`${(e as Error).message}; previous configuration restored and reloaded`);
    }
    progress('haproxy: verified: every server and host rule is live as planned');
    return planned;
  }

  private async restoreFiles(previous: Files): Promise<void> {
    await restore(this.paths.config, previous.config);
    for (const m of previous.maps) await restore(m.path, m.text);
  }

  /** The master answers on its socket. */
  async running(): Promise<boolean> {
    if (!existsSync(this.paths.masterSocket)) return false;
    return haproxyCommand(this.paths.masterSocket, 'show proc', 2000).then((t) => parseShowProc(t).masterReloads >= 0, () => false);
  }

  /**
   * Starts the master in the foreground of its own session (not -D), its output appended to
   * the log file: 2.6's master CLI cannot tell why a reload failed, its output can.
   */
  private async start(previous: Files, progress: Progress): Promise<void> {
    progress('haproxy: starting (master-worker)');
    const log = openSync(this.paths.logFile, 'a', 0o600);
    const child = spawn(this.paths.bin, ['-W', '-S', this.paths.masterSocket, '-f', this.paths.config, '-p', this.paths.pidFile], {
      detached: true, stdio: ['ignore', log, log],
    });
    closeSync(log);
    let exited: string | null = null;
    child.once('exit', (code, signal) => (exited = `exit ${signal ?? code}`));
    child.unref();
    try {
      await this.waitFor('the stats socket', async () => {
        if (exited) throw new ApplyError(exited);
        return (await haproxyCommand(this.paths.statsSocket, 'show info', 1000)).includes('Pid:');
      });
    } catch (e) {
      if (!exited) child.kill('SIGKILL');
      await this.restoreFiles(previous);
      throw new ApplyError(`haproxy did not start (${(e as Error).message}): ${alerts(await this.logSince(0)) || 'no output'}; previous file restored`);
    }
  }

  private async logSince(offset: number): Promise<string> {
    return (await readOrEmpty(this.paths.logFile)).slice(offset);
  }

  private async runtime(change: { ops: RuntimeOp[]; mapOps: MapOp[] }, previous: Files, progress: Progress): Promise<void> {
    try {
      for (const o of change.ops) {
        await this.runOp(o);
        progress(`haproxy: ${describeOp(o)}`);
      }
      for (const o of change.mapOps) {
        // `add map` of a key already there would add a second entry: the plan says which one to use.
        await this.cmd(mapCommand(o));
        if (change.mapOps.length <= LISTED_MAP_OPS) progress(`haproxy: ${describeMapOp(o)}`);
      }
      if (change.mapOps.length > LISTED_MAP_OPS) progress(`haproxy: changed ${change.mapOps.length} host routes`);
    } catch (e) {
      // The files already say the new state: put the old ones back and reload so the running
      // process and the files agree on the old state again.
      await this.restoreFiles(previous);
      await this.reload(previous, () => {}).catch(() => {});
      throw new ApplyError(`haproxy runtime API: ${(e as Error).message}; previous configuration restored and reloaded`);
    }
  }

  private async cmd(command: string, expectText?: RegExp): Promise<string> {
    const out = (await haproxyCommand(this.paths.statsSocket, command)).trim();
    if (expectText ? !expectText.test(out) : out !== '') throw new Error(`'${command}' answered: ${out || '(nothing)'}`);
    return out;
  }

  private async runOp(o: RuntimeOp): Promise<void> {
    const at = `${o.backend}/${o.server}`;
    switch (o.op) {
      case 'add':
        // Added servers start in maintenance and do not inherit default-server (DAEMONS.md).
        await this.cmd(`add server ${at} ${o.args.replace(/\s*\bdisabled\b/, '')}`, /New server registered/);
        // A server without checks (health checks turned off) has none to enable.
        if (/(^|\s)check(\s|$)/.test(o.args)) await this.cmd(`enable health ${at}`);
        if (!o.disabled) await this.cmd(`set server ${at} state ready`);
        return;
      case 'weight':
        await this.cmd(`set server ${at} weight ${o.weight}`);
        return;
      case 'state':
        await this.cmd(`set server ${at} state ${o.state}`);
        return;
      case 'remove': {
        await this.cmd(`set server ${at} weight 0`);
        await this.waitFor(`${at} to finish its requests`, async () => (await this.stats()).find((r) => r.pxname === o.backend && r.svname === o.server)?.scur === 0, DRAIN_MS)
          .catch(() => {}); // past the drain time it goes anyway: retries/redispatch cover the rest
        await this.cmd(`set server ${at} state maint`);
        await this.waitFor(`${at} to be deleted`, async () => {
          const out = (await haproxyCommand(this.paths.statsSocket, `del server ${at}`)).trim();
          if (/Server deleted/.test(out)) return true;
          if (/No such server/.test(out)) return true;
          await haproxyCommand(this.paths.statsSocket, `shutdown sessions server ${at}`);
          return false;
        }, DRAIN_MS);
        return;
      }
    }
  }

  /** Seamless reload through the master; restores `previous` if no new worker comes up. */
  private async reload(previous: Files, progress: Progress): Promise<void> {
    const before = parseShowProc(await haproxyCommand(this.paths.masterSocket, 'show proc'));
    const logOffset = (await readOrEmpty(this.paths.logFile)).length;
    progress('haproxy: reloading (seamless, master-worker)');
    // 2.6 answers nothing to `reload` and refuses connections while it re-executes.
    await haproxyCommand(this.paths.masterSocket, 'reload').catch(() => '');
    let after = before;
    await this.waitFor('the master to finish the reload', async () => {
      after = parseShowProc(await haproxyCommand(this.paths.masterSocket, 'show proc', 1000).catch(() => ''));
      return after.masterReloads > before.masterReloads;
    }, RELOAD_MS);
    const oldPids = new Set(before.workers.map((w) => w.pid));
    if (after.failed === 0 && after.workers.some((w) => w.reloads === 0 && !oldPids.has(w.pid))) {
      progress('haproxy: new worker serving');
      return;
    }
    const why = alerts(await this.logSince(logOffset)) || 'the new worker did not start';
    await this.restoreFiles(previous);
    throw new ApplyError(`haproxy reload failed, the previous worker keeps serving and the previous file was restored: ${why}`);
  }

  private async stats() {
    return parseShowStat(await haproxyCommand(this.paths.statsSocket, 'show stat'));
  }

  /** Every planned frontend and server is in `show stat` with its planned weight, every host map as planned. */
  private async verify(d: HaproxyDesired, next: Files): Promise<void> {
    const rows = await this.stats();
    const has = (px: string, sv: string) => rows.find((r) => r.pxname === px && r.svname === sv);
    for (const f of d.frontends) if (!has(f.name, 'FRONTEND')) throw new ApplyError(`verify: frontend ${f.name} is not running`);
    for (const b of d.backends) {
      for (const s of b.servers) {
        const row = has(b.name, s.name);
        const weight = s.state === 'drain' ? 0 : s.weight;
        if (!row) throw new ApplyError(`verify: server ${b.name}/${s.name} is not running`);
        if (row.weight !== weight && s.state !== 'maint') throw new ApplyError(`verify: ${b.name}/${s.name} has weight ${row.weight}, not ${weight}`);
      }
    }
    for (const m of next.maps) {
      const live = parseShowMap(await haproxyCommand(this.paths.statsSocket, `show map ${m.path}`));
      const want = parseHostMap(m.text);
      const wrong = [...new Set([...want.keys(), ...live.keys()])].find((h) => want.get(h) !== live.get(h));
      if (wrong) throw new ApplyError(`verify: host ${wrong} routes to ${live.get(wrong) ?? 'nothing'} on frontend ${m.frontend}, not ${want.get(wrong) ?? 'nothing'}`);
    }
  }

  /** Live server states for the diagram; null when HAProxy is not running. */
  async status(): Promise<LbStatus['servers'] | null> {
    if (!existsSync(this.paths.statsSocket)) return null;
    const rows = await this.stats().catch(() => null);
    return rows?.filter((r) => r.svname !== 'FRONTEND' && r.svname !== 'BACKEND')
      .map((r) => ({ backend: r.pxname, server: r.svname, status: r.status, weight: r.weight, sessions: r.scur })) ?? null;
  }

  private async waitFor(what: string, fn: () => Promise<boolean>, timeoutMs = RELOAD_MS): Promise<void> {
    const end = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < end) {
      try {
        if (await fn()) return;
      } catch (e) {
        last = e;
      }
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${what}${last ? ` (${(last as Error).message})` : ''}`);
  }
}
