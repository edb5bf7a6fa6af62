/** Seconds since boot, the first number of /proc/uptime ("607.72 1139.18"). */
export function parseUptime(text: string): number {
  const s = Number.parseFloat(text);
  return s >= 0 ? s : 0;
}
