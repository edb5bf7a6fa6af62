import { describe, expect, it } from 'vitest';
import type { Alert } from '../../protocol/types.js';
import { SNAPSHOT_RESOLVED, changedAlerts, snapshotAlerts } from './alert-frames.js';

const alert = (n: number, serverId = 'a', state: Alert['state'] = 'resolved'): Alert => ({
  id: `r:${serverId}:${n}`, ruleId: 'r', ruleName: 'R', metric: 'cpu', serverId, state, value: n, startedAt: new Date(n).toISOString(),
});

describe('snapshotAlerts', () => {
  it('carries every firing alert and only the latest resolved ones, of visible servers', () => {
    const log = [alert(0, 'a', 'firing'), ...Array.from({ length: 30 }, (_, i) => alert(i + 1)), alert(99, 'hidden', 'firing')];
    const all = snapshotAlerts(log, null);
    expect(all.filter((a) => a.state === 'firing')).toHaveLength(2);
    expect(all.filter((a) => a.state === 'resolved').map((a) => a.value)).toEqual(Array.from({ length: SNAPSHOT_RESOLVED }, (_, i) => 11 + i));
    expect(snapshotAlerts(log, new Set(['a'])).some((a) => a.serverId === 'hidden')).toBe(false);
  });
});

describe('changedAlerts', () => {
  it('reports new and replaced entries by identity, for visible servers only', () => {
    const a = alert(1, 'a', 'firing');
    const b = alert(2, 'b', 'firing');
    const prev = [a, b];
    const resolvedA = { ...a, state: 'resolved' as const };
    const c = alert(3, 'a', 'firing');
    expect(changedAlerts(prev, prev, null)).toEqual([]);
    expect(changedAlerts(prev, [resolvedA, b, c], null)).toEqual([resolvedA, c]);
    expect(changedAlerts(prev, [a, { ...b }], new Set(['a']))).toEqual([]);
  });
});
