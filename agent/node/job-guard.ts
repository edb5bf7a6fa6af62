/**
 * The agent's rules for jobs: only for this server, not expired, never twice. Seen ids are kept
 * until their job expires (an expired job is refused anyway), so the memory stays bounded.
 */
import type { Job } from '../protocol/types.js';

/** Jobs may be this much older than the agent's clock says, for small clock differences. */
const CLOCK_SKEW_MS = 30_000;
const MAX_REMEMBERED = 10_000;

export class JobGuard {
  private seen = new Map<string, number>();

  constructor(private readonly serverId: () => string) {}

  /** Null when the job may run; otherwise why it is refused. */
  check(job: Job, now = Date.now()): string | null {
    for (const [id, expires] of this.seen) if (expires + CLOCK_SKEW_MS < now) this.seen.delete(id);
    if (job.serverId !== this.serverId()) return `job ${job.id} is for '${job.serverId}', not for this agent ('${this.serverId()}')`;
    if (job.expiresAt + CLOCK_SKEW_MS < now) return `job ${job.id} expired at ${new Date(job.expiresAt).toISOString()}`;
    if (this.seen.has(job.id)) return `job ${job.id} was already received (replay)`;
    if (this.seen.size >= MAX_REMEMBERED) return 'too many jobs at once';
    this.seen.set(job.id, job.expiresAt);
    return null;
  }
}
