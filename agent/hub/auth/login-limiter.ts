/**
 * Slows password guessing: at most MAX_FAILURES failed checks per client and user within WINDOW_MS.
 * Memory is bounded whatever an attacker sends: past `maxKeys` counted keys the least recently
 * failed go first, while a key that is locked out stays locked out (it lives in its own map, which
 * grows only by ten checked failures a key, each one a scrypt run the password gate paces).
 */
const WINDOW_MS = 5 * 60 * 1000;
const MAX_FAILURES = 10;
const MAX_KEYS = 50_000;
const MAX_LOCKOUTS = 50_000;

export class LoginLimiter {
  /** Recent failure times per key (at most MAX_FAILURES each), least recently failed first. */
  private counting = new Map<string, number[]>();
  /** Locked-out keys and when each lockout ends, soonest first. */
  private lockouts = new Map<string, number>();
  private readonly maxKeys: number;

  constructor(opts: { maxKeys?: number } = {}) {
    this.maxKeys = opts.maxKeys ?? MAX_KEYS;
  }

  blocked(key: string, now = Date.now()): boolean {
    const until = this.lockouts.get(key);
    if (until === undefined) return false;
    if (until > now) return true;
    this.lockouts.delete(key);
    return false;
  }

  /** Failures of `key` still inside the window (a locked-out key counts as MAX_FAILURES). */
  failures(key: string, now = Date.now()): number {
    if (this.blocked(key, now)) return MAX_FAILURES;
    return (this.counting.get(key) ?? []).filter((t) => now - t < WINDOW_MS).length;
  }

  fail(key: string, now = Date.now()): void {
    if (this.blocked(key, now)) return;
    const recent = (this.counting.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    recent.push(now);
    this.counting.delete(key); // re-inserted last: the map stays ordered by last failure
    if (recent.length >= MAX_FAILURES) {
      // Locked until the oldest of the last MAX_FAILURES leaves the window.
      this.lockouts.set(key, recent[recent.length - MAX_FAILURES]! + WINDOW_MS);
      evictOldest(this.lockouts, MAX_LOCKOUTS);
      return;
    }
    this.counting.set(key, recent);
    evictOldest(this.counting, this.maxKeys);
  }

  succeed(key: string): void {
    this.counting.delete(key);
  }

  /** Keys held (counting and locked out). */
  size(): number {
    return this.counting.size + this.lockouts.size;
  }
}

/** Drops the first (oldest) entries of an insertion-ordered map until it holds at most `max`. */
function evictOldest(map: Map<string, unknown>, max: number): void {
  for (const key of map.keys()) {
    if (map.size <= max) return;
    map.delete(key);
  }
}
