/**
 * Reconnect delays: exponential with full jitter (a random delay between 0 and the exponential
 * ceiling), so a fleet that lost its hub at the same moment does not reconnect in lockstep.
 */

export interface BackoffOptions {
  /** Ceiling of the first retry. */
  baseMs?: number;
  /** No ceiling is below this (the spread the hub asks for; at most capMs). */
  floorMs?: number;
  /** The ceiling never grows beyond this. */
  capMs?: number;
  /** [0, 1) source; tests pass a fixed one. */
  random?: () => number;
}

/** Delay before retry number `attempt` (0 for the first retry). */
export function backoffDelay(attempt: number, { baseMs = 500, floorMs = 0, capMs = 30_000, random = Math.random }: BackoffOptions = {}): number {
  // 2 ** attempt overflows to Infinity long after it passes any cap; min() keeps that harmless.
  const ceiling = Math.min(capMs, Math.max(floorMs, baseMs * 2 ** Math.max(0, attempt)));
  return Math.floor(random() * ceiling);
}

/** Counts failed attempts; `reset` after a connection that proved healthy. */
export class Backoff {
  attempt = 0;
  /** Set from the hub's welcome; kept across reconnects until the next welcome says otherwise. */
  floorMs = 0;
  constructor(private readonly opts: BackoffOptions = {}) {}

  /** The next delay, and one more failure counted. */
  next(): number {
    return backoffDelay(this.attempt++, { ...this.opts, floorMs: this.floorMs });
  }

  reset(): void {
    this.attempt = 0;
  }
}
