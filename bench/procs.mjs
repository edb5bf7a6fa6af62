// The processes a bench starts and measures: free ports, optional tools, and `node` children.
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:net';

const ROOT = new URL('..', import.meta.url).pathname;

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Whether a command is on the PATH (taskset, prlimit, nice). */
export function has(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `prefix… node args` in the repository (prefix: e.g. taskset -c 0), keeping the tail of
 * its output for error messages, all of its stdout when asked, and a copy in `logFile`.
 */
export function start(name, prefix, args, env, { keepStdout = false, logFile } = {}) {
  const [cmd, ...rest] = [...prefix, process.execPath, ...args];
  const proc = spawn(cmd, rest, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stdout = '';
  const keep = (d) => {
    out = (out + d).slice(-8000);
    if (logFile) appendFileSync(logFile, d);
  };
  proc.stdout.on('data', (d) => { keep(d); if (keepStdout) stdout += d; });
  proc.stderr.on('data', keep);
  const exited = new Promise((r) => proc.once('exit', r));
  return {
    proc,
    name,
    exited,
    output: () => out,
    stdout: () => stdout,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    async stop(signal = 'SIGTERM', graceMs = 15_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill(signal);
      const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}
