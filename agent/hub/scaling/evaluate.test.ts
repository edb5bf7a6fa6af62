import { describe, expect, it } from 'vitest';
import type { ScalingPolicy } from '../../protocol/types.js';
import { type EvalInput, type EvalMemory, evaluate, policyProblems } from './evaluate.js';

const tt: ScalingPolicy = { min: 1, max: 6, targetTracking: { metric: 'cpu', target: 50, periodSeconds: 10 }, scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: 120 };
const reading = (value: number | null, servers = 2, warming = 0) => ({ cpu: { metric: 'cpu' as const, value, servers, warming } });

/** Runs the evaluation once a second from t0 for `seconds`, with the reading `at(t)`. */
function run(policy: ScalingPolicy, seconds: number, at: (t: number) => EvalInput['readings'], extra: Partial<EvalInput> = {}) {
  let memory: EvalMemory = { since: {} };
  const out: { t: number; to: number; action: string; source: string }[] = [];
  for (let t = 0; t <= seconds; t++) {
    const r = evaluate({ policy, desired: 2, readings: at(t), now: 1_000_000 + t * 1000, ...extra }, memory);
    memory = r.memory;
    if (r.proposal) out.push({ t, to: r.proposal.to, action: r.proposal.action, source: r.proposal.source });
  }
  return out;
}

describe('evaluate', () => {
  it('scales out once the average has stayed above the target for the period, to ceil(n × value / target)', () => {
    const got = run(tt, 12, () => reading(80));
    expect(got[0]).toEqual({ t: 10, to: 4, action: 'scale-out', source: 'target-tracking' });
  });

  it('starts the period again when the average dips under the target', () => {
    const got = run(tt, 20, (t) => reading(t === 5 ? 40 : 80));
    expect(got[0]?.t).toBe(16);
  });

  it('records the figures it saw', () => {
    const r = evaluate({ policy: tt, desired: 2, readings: reading(75), now: 20_000 }, { since: { 'tt-high': 10_000 } });
    expect(r.proposal).toMatchObject({ from: 2, to: 3, figures: { metric: 'cpu', value: 75, target: 50, servers: 2, periodSeconds: 10, since: new Date(10_000).toISOString() } });
  });

  it('never scales out within the cooldown of the last scale-out, and says why', () => {
    const r = evaluate({ policy: tt, desired: 2, readings: reading(90), now: 100_000, lastScaleOutAt: 80_000 }, { since: { 'tt-high': 0 } });
    expect(r.proposal).toBeNull();
    expect(r.hold).toMatch(/cooling down until/);
    const later = evaluate({ policy: tt, desired: 2, readings: reading(90), now: 141_000, lastScaleOutAt: 80_000 }, { since: { 'tt-high': 0 } });
    expect(later.proposal?.to).toBe(4);
  });

  it('scales in by one only when the servers left would still be under the target (no flapping)', () => {
    // 2 servers at 30 %: one server would carry 60 % > 50 → hold.
    expect(run(tt, 30, () => reading(30))).toEqual([]);
    // 3 servers at 30 %: two would carry 45 % < 50 → scale in to desired - 1.
    const got = run(tt, 12, () => reading(30, 3));
    expect(got[0]).toEqual({ t: 10, to: 1, action: 'scale-in', source: 'target-tracking' });
  });

  it('does not scale in while instances warm up, within the scale-in cooldown, or at the minimum', () => {
    const low = { since: { 'tt-low': 0 } };
    expect(evaluate({ policy: tt, desired: 3, readings: reading(10, 3, 1), now: 500_000 }, low).hold).toMatch(/warming up/);
    expect(evaluate({ policy: tt, desired: 3, readings: reading(10, 3), now: 500_000, lastScaleOutAt: 400_000 }, low).hold).toMatch(/cooling down/);
    expect(evaluate({ policy: tt, desired: 1, readings: reading(10, 3), now: 500_000 }, low).proposal).toBeNull();
    expect(evaluate({ policy: tt, desired: 3, readings: reading(10, 3), now: 500_000 }, low).proposal?.to).toBe(2);
  });

  it('keeps the desired capacity inside the bounds first, with the schedule in force', () => {
    expect(evaluate({ policy: tt, desired: 0, readings: {}, now: 0 }, { since: {} }).proposal).toMatchObject({ source: 'bounds', action: 'scale-out', to: 1 });
    expect(evaluate({ policy: tt, desired: 7, readings: {}, now: 0 }, { since: {} }).proposal).toMatchObject({ source: 'bounds', action: 'scale-in', to: 6 });
    const night = { name: 'night', max: 2 };
    expect(evaluate({ policy: tt, desired: 4, readings: {}, now: 0, override: night, lastScaleInAt: 0 }, { since: {} }).proposal).toMatchObject({ source: 'schedule', action: 'scale-in', to: 3 });
    // Target tracking cannot go past the scheduled maximum.
    expect(evaluate({ policy: tt, desired: 2, readings: reading(100), now: 20_000, override: night }, { since: { 'tt-high': 0 } }).proposal).toBeNull();
  });

  it('applies step rules; the largest scale-out wins and a scale-in removes one', () => {
    const steps: ScalingPolicy = { min: 1, max: 10, steps: [{ metric: 'cpu', when: 'above', threshold: 60, change: 1, forSeconds: 5 }, { metric: 'cpu', when: 'above', threshold: 85, change: 3, forSeconds: 5 }, { metric: 'cpu', when: 'below', threshold: 20, change: -2, forSeconds: 5 }], scaleInCooldownSeconds: 0 };
    expect(run(steps, 6, () => reading(70))[0]).toMatchObject({ t: 5, to: 3, source: 'step' });
    expect(run(steps, 6, () => reading(90))[0]).toMatchObject({ t: 5, to: 5 });
    expect(run(steps, 6, () => reading(10))[0]).toMatchObject({ t: 5, to: 1, action: 'scale-in' });
  });

  it('holds without figures (no server reporting)', () => {
    expect(run(tt, 30, () => reading(null, 0))).toEqual([]);
  });
});

describe('policyProblems', () => {
  it('names what makes a policy unusable', () => {
    expect(policyProblems({ min: 3, max: 2 })).toEqual(['min 3 is greater than max 2']);
    expect(policyProblems({ min: 1, max: 4, desired: 5 })).toEqual(['desired 5 is not between min 1 and max 4']);
    expect(policyProblems({ min: 1, max: 8 }, { min: 1, max: 5 })).toEqual(["max 8 is above the group's MaxSize 5: raise the group's maximum first"]);
    expect(policyProblems({ min: 0, max: 4 }, { min: 1, max: 5 })[0]).toMatch(/below the group's MinSize 1/);
    expect(policyProblems({ min: 1, max: 4, scheduled: [{ name: 'x', cron: '* * * * *', timeZone: 'UTC' }] })[0]).toMatch(/sets none/);
    expect(policyProblems({ min: 1, max: 4, targetTracking: { metric: 'cpu', target: 150 } })[0]).toMatch(/percentage/);
    expect(policyProblems({ min: 1, max: 4, targetTracking: { metric: 'sessions', target: 150 } })).toEqual([]);
  });
});
