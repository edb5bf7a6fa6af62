/** Memory and swap from /proc/meminfo. */

export interface Memory {
  total: number;
  used: number;
  swapTotal: number;
  swapUsed: number;
}

/** The `Key: value kB` lines as bytes. */
function fields(meminfo: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of meminfo.split('\n')) {
    const m = /^([^:]+):\s+(\d+)(\s+kB)?/.exec(line);
    if (m?.[1] && m[2]) out.set(m[1], Number(m[2]) * (m[3] ? 1024 : 1));
  }
  return out;
}

/**
 * `used` is what applications hold: total minus MemAvailable (page cache that can be dropped
 * is not "used"). Kernels before 3.14 lack MemAvailable; there free + buffers + cache stands in.
 */
export function parseMeminfo(meminfo: string): Memory {
  const f = fields(meminfo);
  const get = (k: string) => f.get(k) ?? 0;
  const total = get('MemTotal');
  const available = f.get('MemAvailable') ?? get('MemFree') + get('Buffers') + get('Cached') + get('SReclaimable');
  const swapTotal = get('SwapTotal');
  return {
    total,
    used: Math.max(0, total - available),
    swapTotal,
    swapUsed: Math.max(0, swapTotal - get('SwapFree')),
  };
}
