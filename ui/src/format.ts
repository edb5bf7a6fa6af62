/** Human-readable numbers for the panels. */

export const DASH = '—';

export const percent = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} %`;

const RATE_UNITS = ['B/s', 'KB/s', 'MB/s', 'GB/s', 'TB/s'];

/** Bytes per second in powers of 1024 with three significant digits: `12.3 MB/s`. */
export function rate(bps: number): string {
  let n = bps;
  let u = 0;
  while (n >= 1000 && u < RATE_UNITS.length - 1) { n /= 1024; u++; }
  return `${u === 0 ? Math.round(n) : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n)} ${RATE_UNITS[u]}`;
}

/** Seconds as the two largest units: `3d 4h`, `5h 12m`, `7m 3s`, `42s`. */
export function duration(sec: number): string {
  const s = Math.floor(sec);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

export const load = (n: number) => n.toFixed(2);

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Bytes in powers of 1024: `15.6 GB`. */
export function bytes(n: number): string {
  let v = n, u = 0;
  while (v >= 1024 && u < BYTE_UNITS.length - 1) { v /= 1024; u++; }
  return `${u === 0 ? Math.round(v) : v < 10 ? v.toFixed(1) : Math.round(v)} ${BYTE_UNITS[u]}`;
}
