/**
 * mariadbd on this node, without systemd: is it running (its pid file names a live mariadbd),
 * start it detached (as user mysql, DAEMONS.md), stop it cleanly, run the client over the socket.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import type { GaleraPaths } from '../paths.js';
import { run, type RunResult } from '../files.js';
import { pidPath, socketPath } from './render.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pid of the running mariadbd of these paths, or null. A reused pid (another program) does not count. */
export function runningPid(p: Pick<GaleraPaths, 'runDir'>): number | null {
  try {
    const pid = Number(readFileSync(pidPath(p), 'utf8').trim());
    if (!pid) return null;
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /mariadbd|mysqld/.test(cmd) && readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z' ? pid : null;
  } catch {
    return null;
  }
}

export function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

export interface Started {
  pid: number;
  /** Resolves with how it ended (`exit 1`, `signal SIGKILL`) once the process is gone. */
  exited: Promise<string>;
}

/** Starts mariadbd in its own session with `args`; its early output (before log-error opens) goes to `out`. */
export function startMariadbd(p: GaleraPaths, args: string[], out: string): Started {
  const fd = openSync(out, 'a', 0o600);
  const child = spawn(p.mariadbd, [`--defaults-file=${p.defaultsFile}`, ...args], { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      // Its helpers (an SST script, socat holding the SST port) live in its process group: they go
      // with it, or the next start finds the port taken.
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* none left */ }
      resolve(signal ? `signal ${signal}` : `exit ${code}`);
    });
    child.once('error', (e) => resolve(e.message));
  });
  child.unref();
  return { pid: child.pid ?? 0, exited };
}

/** SIGTERM, then waits for the process to go (a clean shutdown writes the real seqno to grastate.dat). */
export async function stopMariadbd(pid: number, timeoutMs: number, progress: (s: string) => void): Promise<void> {
  process.kill(pid, 'SIGTERM');
  const end = Date.now() + timeoutMs;
  let said = Date.now();
  while (alive(pid)) {
    if (Date.now() > end) throw new Error(`mariadbd (pid ${pid}) did not shut down within ${Math.round(timeoutMs / 1000)} s; it was left running`);
    if (Date.now() - said > 5000) {
      progress('still shutting down');
      said = Date.now();
    }
    await sleep(100);
  }
}

/**
 * The mariadb client in batch mode over the node's socket: as the monitor user (its options
 * file) or as root (unix-socket authentication). `sql` goes to stdin, never to the command line.
 */
export function client(p: GaleraPaths, sql: string, as: 'root' | 'monitor', timeoutMs = 10_000): Promise<RunResult> {
  const login = as === 'monitor' ? [`--defaults-file=${p.monitorFile}`] : ['--no-defaults', '--user=root', `--socket=${socketPath(p)}`];
  return new Promise((resolve) => {
    const child = spawn(p.mariadb, [...login, '--batch', '--skip-column-names', '--connect-timeout=3'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.once('error', (e) => { clearTimeout(timer); resolve({ code: 1, output: e.message }); });
    child.once('close', (code) => { clearTimeout(timer); resolve({ code: code ?? 1, output: out.trim() }); });
    child.stdin.on('error', () => {});
    child.stdin.end(sql);
  });
}

/** `chown OWNER PATH…` (names, not ids: Node has no getpwnam). */
export async function chown(owner: string, ...paths: string[]): Promise<void> {
  const r = await run('chown', [owner, ...paths]);
  if (r.code !== 0) throw new Error(`chown ${owner} failed: ${r.output}`);
}
