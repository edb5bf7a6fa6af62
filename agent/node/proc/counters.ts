/**
 * Rate math over monotonic kernel counters. A counter that went backwards was reset (device
 * re-created, module reloaded) or wrapped; either way the true delta is unknown, so the
 * interval counts as 0 rather than a negative or absurd rate.
 */

/** Per-second rate of a counter between two readings `seconds` apart. */
export function counterRate(prev: number, cur: number, seconds: number): number {
  if (!(seconds > 0) || cur < prev) return 0;
  return (cur - prev) / seconds;
}

/**
 * Per-second rate of the sum of many named counters (interfaces, disks). Deltas are taken per
 * name, so a device that appears or disappears between readings adds nothing instead of its
 * whole lifetime total.
 */
export function summedRate(prev: ReadonlyMap<string, number>, cur: ReadonlyMap<string, number>, seconds: number): number {
  let sum = 0;
  for (const [name, value] of cur) {
    const before = prev.get(name);
    if (before !== undefined) sum += counterRate(before, value, seconds);
  }
  return sum;
}
