import { describe, expect, it } from 'vitest';
import type { PlanView } from '../../agent/protocol/types.js';
import { diffLineKind, onPlan, publishPlan } from './plans.js';

describe('plans', () => {
  it('classifies diff lines', () => {
    expect(['--- f', '+++ f', '@@ -1 +1 @@', '+a', '-b', ' c'].map(diffLineKind)).toEqual(['hunk', 'hunk', 'hunk', 'add', 'del', 'ctx']);
  });
  it('delivers plan frames to subscribers until they unsubscribe', () => {
    const got: string[] = [];
    const off = onPlan((p) => got.push(p.id));
    const plan = { id: 'p1', cluster: 'c', createdBy: 'u', createdAt: '', state: 'planned', nodes: [] } satisfies PlanView;
    publishPlan(plan);
    off();
    publishPlan({ ...plan, id: 'p2' });
    expect(got).toEqual(['p1']);
  });
});
