import { describe, expect, it } from 'vitest';
import type { ScalingView } from '../../agent/protocol/types.js';
import { figuresText, formFromPolicy, policyFromForm, readingLine } from './scaling.js';

describe('scaling helpers', () => {
  it('turns the form into a policy and back', () => {
    const p = { min: 1, max: 4, targetTracking: { metric: 'sessions' as const, target: 3, periodSeconds: 30 }, warmupSeconds: 60, scheduled: [{ name: 'night', cron: '0 22 * * *', timeZone: 'UTC', max: 2 }], enabled: true, dryRun: false };
    expect(policyFromForm(formFromPolicy(p))).toEqual(p);
    expect(() => policyFromForm({ ...formFromPolicy(p), min: '' })).toThrow('min is required');
    expect(() => policyFromForm({ ...formFromPolicy(p), max: 'x' })).toThrow("max must be a number, not 'x'");
    expect(() => policyFromForm({ ...formFromPolicy(p), scheduled: '[{' })).toThrow(/scheduled is not JSON/);
  });

  it('says what the policy watches', () => {
    const v = { cluster: 'c', decisions: [], policy: { min: 1, max: 2, targetTracking: { metric: 'sessions', target: 3 } }, reading: { metric: 'sessions', value: 2.5, servers: 3, warming: 1 } } as ScalingView;
    expect(readingLine(v)).toBe('2.5 sessions per server over 3 servers (1 warming up); target 3');
    expect(figuresText({ metric: 'cpu', value: 80 })).toBe('metric=cpu value=80');
  });
});
