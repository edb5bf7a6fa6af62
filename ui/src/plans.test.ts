import { describe, expect, it } from 'vitest';
import type { PlanView } from '../../agent/protocol/types.js';
import { diffLineKind, onPlan, publishPlan, vipLine } from './plans.js';

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
  it('says who holds the VIP', () => {
    const s = { cluster: 'c', vip: '10.0.0.9', vipHolders: ['lb1'], nodes: [] };
    expect(vipLine(s)).toBe('VIP 10.0.0.9 held by lb1');
    expect(vipLine({ ...s, vipHolders: ['lb1', 'lb2'] })).toBe('VIP 10.0.0.9 held by lb1 and lb2 (failover under way)');
    expect(vipLine({ ...s, vipHolders: [] })).toBe('VIP 10.0.0.9: no load balancer holds it');
    expect(vipLine({ ...s, vip: null })).toBeNull();
  });
});
