import { describe, expect, it } from 'vitest';
import type { Alert } from '../../agent/protocol/types.js';
import { KEEP_RESOLVED, alertValue, firingAlerts, mergeAlerts, recentlyResolved } from './alerts.js';

const at = (s: number) => new Date(s * 1000).toISOString();
const alert = (n: number, state: Alert['state'] = 'firing'): Alert => ({
  id: `r:s:${n}`, ruleId: 'r', ruleName: 'R', metric: 'cpu', serverId: 's', state, value: 90, startedAt: at(n),
  ...(state === 'resolved' ? { resolvedAt: at(n + 1) } : {}),
});

describe('mergeAlerts', () => {
  it('replaces by id and keeps the map when there is nothing to apply', () => {
    const m = mergeAlerts(new Map(), [alert(1), alert(2)]);
    expect(mergeAlerts(m, undefined)).toBe(m);
    expect(mergeAlerts(m, [])).toBe(m);
    const next = mergeAlerts(m, [alert(1, 'resolved')]);
    expect(next.get('r:s:1')?.state).toBe('resolved');
    expect(m.get('r:s:1')?.state).toBe('firing');
  });

  it('keeps every firing alert and only the newest resolved ones', () => {
    const resolved = Array.from({ length: KEEP_RESOLVED + 10 }, (_, i) => alert(i, 'resolved'));
    const m = mergeAlerts(new Map(), [alert(1000), ...resolved]);
    expect(firingAlerts(m)).toHaveLength(1);
    const kept = [...m.values()].filter((a) => a.state === 'resolved');
    expect(kept).toHaveLength(KEEP_RESOLVED);
    expect(kept.some((a) => a.id === 'r:s:0')).toBe(false);
  });
});

describe('panel lists', () => {
  it('sorts firing by when they fired and resolved by when they resolved, newest first', () => {
    const m = mergeAlerts(new Map(), [alert(5), alert(9), alert(1, 'resolved'), alert(7, 'resolved'), alert(3, 'resolved')]);
    expect(firingAlerts(m).map((a) => a.id)).toEqual(['r:s:9', 'r:s:5']);
    expect(recentlyResolved(m, 2).map((a) => a.id)).toEqual(['r:s:7', 'r:s:3']);
  });

  it('shows a percent, or how long a server was down', () => {
    expect(alertValue({ metric: 'mem', value: 91.24 })).toBe('91 %');
    expect(alertValue({ metric: 'down', value: 95 })).toBe('down 1m 35s');
  });
});
