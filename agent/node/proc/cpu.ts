/** CPU busy percentage from the aggregate `cpu` line of /proc/stat. */

export interface CpuTimes {
  /** Jiffies spent idle or waiting for I/O. */
  idle: number;
  /** All jiffies (user nice system idle iowait irq softirq steal). */
  total: number;
}

/**
 * Reads the first (all-CPU) line. guest and guest_nice are left out: the kernel already counts
 * them inside user and nice.
 */
export function parseCpuTimes(stat: string): CpuTimes {
  const f = (stat.split('\n', 1)[0] ?? '').trim().split(/\s+/);
  if (f[0] !== 'cpu') throw new Error('/proc/stat: no aggregate cpu line');
  const n = f.slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = n;
  return { idle: idle + iowait, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

/** Busy share of all cores between two readings, 0–100. No time elapsed (or a reset) gives 0. */
export function cpuPercent(prev: CpuTimes, cur: CpuTimes): number {
  const total = cur.total - prev.total;
  const idle = cur.idle - prev.idle;
  if (!(total > 0)) return 0;
  // iowait can step backwards on some kernels: clamp instead of reporting >100 % or <0 %.
  return Math.min(100, Math.max(0, (100 * (total - idle)) / total));
}
