// A process's CPU time and memory from /proc, for the benches that measure another process.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** User and system CPU time of `pid`, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
export function cpuSplit(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses: count fields from the last ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(f[11]), sys: Number(f[12]) };
}

export function cpuTicks(pid) {
  const { user, sys } = cpuSplit(pid);
  return user + sys;
}

export function rssKB(pid) {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** Clock ticks a second (what /proc counts CPU time in). */
export function clockTicks() {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/**
 * Seconds the main thread of `pid` has run and has waited, runnable, for a CPU (/proc/PID/schedstat):
 * on a busy machine the second says how much of a latency is the machine's.
 */
export function schedSeconds(pid) {
  const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
  return { run: run / 1e9, wait: wait / 1e9 };
}
