/** Slows password guessing: at most MAX_FAILURES failed logins per client and user per window. */
const WINDOW_MS = 5 * 60 * 1000;
const MAX_FAILURES = 10;

export class LoginLimiter {
  private failures = new Map<string, number[]>();

  blocked(key: string, now = Date.now()): boolean {
    const recent = (this.failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    if (recent.length) this.failures.set(key, recent);
    else this.failures.delete(key);
    return recent.length >= MAX_FAILURES;
  }

  fail(key: string, now = Date.now()): void {
    if (this.failures.size > 100_000) this.failures.clear(); // bounded, whatever the attacker sends
    this.failures.set(key, [...(this.failures.get(key) ?? []), now]);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
