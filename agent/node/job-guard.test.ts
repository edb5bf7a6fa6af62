import { describe, expect, it } from 'vitest';
import type { Job } from '../protocol/types.js';
import { JobGuard } from './job-guard.js';

const job = (over: Partial<Job> = {}): Job => ({ id: 'job-00000001', serverId: 'me', kind: 'inventory', issuedAt: 1000, expiresAt: 61_000, ...over });

describe('JobGuard', () => {
  it('runs a job for this agent once and refuses other targets, expired jobs and replays', () => {
    const g = new JobGuard(() => 'me');
    expect(g.check(job(), 2000)).toBeNull();
    expect(g.check(job(), 3000)).toMatch(/already received \(replay\)/);
    expect(g.check(job({ id: 'job-00000002', serverId: 'other' }), 2000)).toMatch(/for 'other', not for this agent/);
    expect(g.check(job({ id: 'job-00000003', expiresAt: 10_000 }), 100_000)).toMatch(/expired/);
  });

  it('forgets ids once their jobs could no longer run anyway', () => {
    const g = new JobGuard(() => 'me');
    expect(g.check(job(), 2000)).toBeNull();
    // Long after expiry the id is forgotten, and the job is refused as expired, not as a replay.
    expect(g.check(job(), 200_000)).toMatch(/expired/);
  });
});
