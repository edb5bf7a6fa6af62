import { describe, expect, it } from 'vitest';
import type { Alert } from '../../protocol/types.js';
import { emptyState } from '../empty-state.js';
import { recordAlerts, trimAlerts } from './log.js';

const alert = (n: number, state: Alert['state'] = 'resolved'): Alert => ({
  id: `r:s:${n}`, ruleId: 'r', ruleName: 'R', metric: 'cpu', serverId: 's', state, value: n, startedAt: new Date(n).toISOString(),
});

describe('recordAlerts', () => {
  it('appends new alerts, replaces known ids in place, keeps other entries as they were', () => {
    const first = recordAlerts(emptyState(), [alert(1, 'firing'), alert(2, 'firing')]);
    expect(first.alerts.map((a) => a.id)).toEqual(['r:s:1', 'r:s:2']);
    const resolved = { ...alert(1), resolvedAt: 'x' };
    const next = recordAlerts(first, [resolved, alert(3, 'firing')]);
    expect(next.alerts.map((a) => [a.id, a.state])).toEqual([['r:s:1', 'resolved'], ['r:s:2', 'firing'], ['r:s:3', 'firing']]);
    expect(next.alerts[1]).toBe(first.alerts[1]);
  });

  it('returns the same state when there is nothing to record (no write)', () => {
    const s = emptyState();
    expect(recordAlerts(s, [])).toBe(s);
  });

  it('keeps at most N entries, dropping the oldest resolved and never a firing one', () => {
    const log = [alert(1), alert(2, 'firing'), alert(3), alert(4), alert(5, 'firing')];
    expect(trimAlerts(log, 3).map((a) => a.value)).toEqual([2, 4, 5]);
    expect(trimAlerts(log, 1).map((a) => a.value)).toEqual([2, 5]);
    expect(trimAlerts(log, 10)).toBe(log);
    const big = recordAlerts(emptyState(), Array.from({ length: 1005 }, (_, i) => alert(i)));
    expect(big.alerts).toHaveLength(1000);
    expect(big.alerts[0]!.value).toBe(5);
  });
});
