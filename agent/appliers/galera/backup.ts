/**
 * Database backups of a Galera node with mariabackup, and their restore into a fresh node.
 *
 * Backup: `mariabackup --backup --galera-info --stream=mbstream` of the running node (as root
 * over its socket), gzipped as it streams: nothing is written to the node's disk but mariabackup's
 * small temp files. Restore (the MariaDB docs' procedure): the stream is unpacked with `mbstream
 * -x` beside the data directory, `mariabackup --prepare`d, copied into the empty data directory
 * with `--copy-back`, owned by the mysql user, and grastate.dat is written from the backup's
 * position (xtrabackup_galera_info) with safe_to_bootstrap: 1, so the node can be bootstrapped
 * with the restored history; the others then join it by SST.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { ApplyError, type Progress } from '../contract.js';
import { run } from '../files.js';
import type { GaleraPaths } from '../paths.js';
import { runningPid } from './daemon.js';
import { socketPath } from './render.js';

const STEP_TIMEOUT_MS = 6 * 60 * 60_000;

/** The position in xtrabackup_galera_info (`uuid:seqno`, maybe followed by a GTID domain), or mariabackup's own line. */
export function parseGaleraInfo(text: string): string | null {
  return /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:-?\d+)/.exec(text)?.[1] ?? null;
}

/** grastate.dat for a node restored from a backup at `position`: it may bootstrap the cluster. */
export function restoredGrastate(position: string): string {
  const at = position.lastIndexOf(':');
  return `# GALERA saved state\nversion: 2.1\nuuid:    ${position.slice(0, at)}\nseqno:   ${position.slice(at + 1)}\nsafe_to_bootstrap: 1\n`;
}

/** The last lines of a tool's output that say what went wrong. */
const tail = (text: string) => text.trim().split('\n').filter((l) => /error|fail|denied|cannot|can't/i.test(l)).slice(-3).join(' ').slice(0, 600) || text.trim().split('\n').slice(-2).join(' ').slice(0, 600);

export interface BackupStream {
  /** The gzipped mbstream, to send on. */
  stream: Readable;
  /** Resolves once mariabackup has finished well, with the position the backup holds. */
  done: Promise<{ position?: string }>;
  /** Stops mariabackup (the transfer failed). */
  abort(): void;
}

/** Starts a backup of the running node. */
export async function streamBackup(p: GaleraPaths, progress: Progress): Promise<BackupStream> {
  if (!runningPid(p)) throw new ApplyError('mariadbd is not running on this node: there is nothing to back up');
  if (!existsSync(p.mariabackup)) throw new ApplyError(`${p.mariabackup} is missing: install the mariadb-backup package`);
  const tmp = join(p.runDir, 'backup-tmp');
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true, mode: 0o700 });
  const child = spawn(p.mariabackup, [
    `--defaults-file=${p.defaultsFile}`, '--backup', '--galera-info', '--stream=mbstream', `--target-dir=${tmp}`, '--user=root', `--socket=${socketPath(p)}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-64 * 1024); });
  const gzip = createGzip({ level: 3 });
  child.stdout.pipe(gzip);
  progress(`mariabackup started (pid ${child.pid})`);
  const done = (async () => {
    const how = await new Promise<string>((resolve) => {
      child.once('error', (e) => resolve(e.message));
      child.once('close', (code, signal) => resolve(code === 0 ? '' : signal ? `signal ${signal}` : `exit ${code}`));
    });
    await rm(tmp, { recursive: true, force: true });
    if (how) {
      const e = new ApplyError(`mariabackup failed (${how}): ${tail(err)}`);
      gzip.destroy(e);
      throw e;
    }
    const position = parseGaleraInfo(/Writing Galera info succeeded with (\S+)/.exec(err)?.[1] ?? '') ?? undefined;
    progress(`mariabackup completed${position ? ` at position ${position}` : ''}`);
    return position ? { position } : {};
  })();
  done.catch(() => {});
  return { stream: gzip, done, abort: () => child.kill('SIGTERM') };
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
}

/** Restores the gzipped mbstream `source` into this node's empty data directory; returns the position it holds. */
export async function restoreInto(p: GaleraPaths, source: Readable, progress: Progress): Promise<{ position: string }> {
  if (runningPid(p)) throw new ApplyError('mariadbd is running on this node: a restore goes into a stopped node with an empty data directory');
  if (!(await isEmptyDir(p.datadir))) throw new ApplyError(`the data directory ${p.datadir} is not empty: a restore goes into a fresh node (move its data away first)`);
  for (const bin of [p.mariabackup, p.mbstream]) if (!existsSync(bin)) throw new ApplyError(`${bin} is missing: install the mariadb-backup package`);
  const work = `${p.datadir}.uc-restore`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true, mode: 0o700 });
  let copying = false;
  try {
    progress('unpacking the backup (mbstream -x)');
    const x = spawn(p.mbstream, ['-x', '-C', work], { stdio: ['pipe', 'ignore', 'pipe'] });
    let xErr = '';
    x.stderr.on('data', (d: Buffer) => { xErr = (xErr + d.toString()).slice(-16 * 1024); });
    const exited = new Promise<number | null>((resolve) => { x.once('close', resolve); x.once('error', () => resolve(-1)); });
    try {
      await pipeline(source, createGunzip(), x.stdin);
    } catch (e) {
      x.kill('SIGKILL');
      throw new ApplyError(`the backup could not be fetched or unpacked: ${(e as Error).message}`);
    }
    const code = await exited;
    if (code !== 0) throw new ApplyError(`mbstream -x failed (exit ${code}): ${tail(xErr)}`);
    const position = parseGaleraInfo(await readFile(join(work, 'xtrabackup_galera_info'), 'utf8').catch(() => ''));
    if (!position) throw new ApplyError('the backup holds no Galera position (xtrabackup_galera_info): it was not taken with --galera-info');
    progress('preparing it (mariabackup --prepare)');
    const prepared = await run(p.mariabackup, ['--prepare', `--target-dir=${work}`], STEP_TIMEOUT_MS);
    if (prepared.code !== 0) throw new ApplyError(`mariabackup --prepare failed: ${tail(prepared.output)}`);
    progress(`copying it into ${p.datadir} (mariabackup --copy-back)`);
    await mkdir(p.datadir, { recursive: true, mode: 0o750 });
    copying = true;
    const copied = await run(p.mariabackup, [`--defaults-file=${p.defaultsFile}`, '--copy-back', `--target-dir=${work}`, `--datadir=${p.datadir}`], STEP_TIMEOUT_MS);
    if (copied.code !== 0) throw new ApplyError(`mariabackup --copy-back failed: ${tail(copied.output)}`);
    await writeFile(join(p.datadir, 'grastate.dat'), restoredGrastate(position), { mode: 0o660 });
    const owned = await run('chown', ['-R', `${p.user}:`, p.datadir]);
    if (owned.code !== 0) throw new ApplyError(`chown -R ${p.user} ${p.datadir} failed: ${owned.output}`);
    copying = false;
    progress(`restored at position ${position}; grastate.dat says safe_to_bootstrap: 1`);
    return { position };
  } finally {
    await rm(work, { recursive: true, force: true });
    // A copy that failed half-way leaves the data directory as it was: empty.
    if (copying) for (const f of await readdir(p.datadir).catch(() => [])) await rm(join(p.datadir, f), { recursive: true, force: true });
  }
}
