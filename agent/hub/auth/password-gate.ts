/**
 * Every password check (POST /api/login and Basic credentials) passes here: the brute-force
 * limiter per client address and user name, then a bounded amount of scrypt work. scrypt runs on
 * libuv's small thread pool (4 threads, shared with file I/O), so a flood of guesses must not
 * queue there: at most RUNNING checks run at once, at most WAITING wait, and one address holds
 * at most PER_SOURCE of those places. A check beyond that is refused at once (429 from an address
 * over its share, 503 when the hub is busy) and costs nothing, so a real user elsewhere still gets
 * a place. A failed check counts towards the lockout; a successful one clears its count.
 */
import { HttpError } from '../errors.js';
import { LoginLimiter } from './login-limiter.js';

const RUNNING = 2;
const WAITING = 32;
const PER_SOURCE = 4;

/** A refusal that tells the client when to come back. */
const retryLater = (status: number, code: string, message: string) => new HttpError(status, code, message, { 'retry-after': '1' });

export class PasswordGate {
  private running = 0;
  private queue: (() => void)[] = [];
  private bySource = new Map<string, number>();

  constructor(readonly limiter = new LoginLimiter()) {}

  /**
   * Whether `verify` accepts the password of `username`, asked from `source` (the client
   * address); throws 429 while that client and user are locked out or the address is over its
   * share, 503 when the hub has no place for another check.
   */
  async check(source: string, username: string, verify: () => Promise<boolean>): Promise<boolean> {
    const key = `${source}|${username}`;
    if (this.limiter.blocked(key)) throw new HttpError(429, 'too_many_attempts', 'too many failed logins; wait a few minutes');
    const held = this.bySource.get(source) ?? 0;
    if (held >= PER_SOURCE) throw retryLater(429, 'too_many_attempts', 'too many password checks at once from your address; try again shortly');
    if (this.running >= RUNNING && this.queue.length >= WAITING) throw retryLater(503, 'busy', 'the hub is busy checking passwords; try again shortly');
    this.bySource.set(source, held + 1);
    try {
      if (this.running >= RUNNING) await new Promise<void>((r) => this.queue.push(r));
      else this.running++;
      let ok = false;
      try {
        ok = await verify();
      } finally {
        // The place passes straight to the next waiting check (running stays the same).
        const next = this.queue.shift();
        if (next) next();
        else this.running--;
      }
      if (ok) this.limiter.succeed(key);
      else this.limiter.fail(key);
      return ok;
    } finally {
      const left = (this.bySource.get(source) ?? 1) - 1;
      if (left) this.bySource.set(source, left);
      else this.bySource.delete(source);
    }
  }
}
