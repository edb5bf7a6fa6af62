import { describe, expect, it } from 'vitest';
import type { LbClusterStatus, PlanView } from '../../agent/protocol/types.js';
import { backendLines, backendMarks, backendTone, lbMarks, planMarks, shorten, vipMarks } from './lb-marks.js';

const node = (serverId: string, servers: { backend: string; server: string; status: string; weight: number; sessions?: number }[], stale = false) =>
  ({ serverId, reportedAt: null, stale, vips: [], servers });
const status: LbClusterStatus = {
  cluster: 'shop', vip: '10.0.0.9', vipHolders: ['lb1'],
  nodes: [
    node('lb1', [{ backend: 'web', server: 'web1', status: 'UP', weight: 10, sessions: 2 }, { backend: 'web', server: 'web2', status: 'DRAIN', weight: 0 }, { backend: 'api', server: 'web2', status: 'DOWN', weight: 5 }]),
    node('lb2', [{ backend: 'web', server: 'web1', status: 'MAINT', weight: 10 }], true),
  ],
};
const plan = (state: PlanView['state'], nodes: [string, PlanView['nodes'][number]['state'], string[], string?][]): PlanView => ({
  id: 'p1', cluster: 'shop', createdBy: 'admin', createdAt: '', state,
  nodes: nodes.map(([serverId, s, steps, error]) => ({ serverId, state: s, files: [], steps, ...(error ? { error } : {}) })),
});

describe('load-balancing marks on the diagram', () => {
  it('tones HAProxy server states', () => {
    expect(['UP', 'no check', 'DOWN', 'DRAIN', 'NOLB', 'UP 1/3', 'DOWN 1/2', 'MAINT', 'MAINT(via)', 'weird'].map(backendTone))
      .toEqual(['ok', 'ok', 'bad', 'warn', 'warn', 'warn', 'warn', 'idle', 'idle', 'idle']);
  });

  it('badges the VIP holder, and both holders while a failover is under way', () => {
    expect(vipMarks(status)).toEqual([{ id: 'lb1', kind: 'vip', text: 'VIP 10.0.0.9', tone: 'vip' }]);
    expect(vipMarks({ ...status, vipHolders: ['lb1', 'lb2'] }).map((m) => [m.id, m.text, m.tone])).toEqual([['lb1', 'VIP 10.0.0.9 · failover', 'warn'], ['lb2', 'VIP 10.0.0.9 · failover', 'warn']]);
    expect(vipMarks({ ...status, vipHolders: [] })).toEqual([]);
    expect(vipMarks({ ...status, vip: null })).toEqual([]);
  });

  it('shows each node\'s progress while applying and how it ended, nothing for a plan not applied', () => {
    expect(planMarks(plan('planned', [['lb1', 'planned', []]]))).toEqual([]);
    const applying = planMarks(plan('applying', [['lb1', 'applying', ['haproxy: wrote /tmp/x/haproxy.cfg (validated by haproxy -c)']], ['lb2', 'planned', []], ['lb3', 'applying', []]]));
    expect(applying.map((m) => [m.id, m.text, m.tone, m.ring])).toEqual([
      ['lb1', 'step 1 · haproxy: wrote /tmp/x/haproxy.…', 'busy', true], ['lb2', 'waiting', 'idle', true], ['lb3', 'applying…', 'busy', true],
    ]);
    const ended = planMarks(plan('failed', [['lb1', 'done', ['a']], ['lb2', 'failed', ['a'], 'reload failed']]));
    expect(ended.map((m) => [m.id, m.text, m.tone])).toEqual([['lb1', '✓ applied', 'ok'], ['lb2', '✗ failed: reload failed', 'bad']]);
    expect(planMarks(plan('invalid', [['lb1', 'invalid', [], 'haproxy -c refused it']]))[0]!.text).toBe('✗ invalid: haproxy -c refused it');
  });

  it('puts each fresh load balancer\'s view of a server on the line to it, once per pair', () => {
    expect(backendMarks(status)).toEqual([
      { from: 'lb1', to: 'web1', text: 'UP', tone: 'ok' },
      { from: 'lb1', to: 'web2', text: 'DRAIN / DOWN', tone: 'bad' },
    ]);
  });

  it('orders the VIP badge before the progress badge and lists the states for tooltips', () => {
    const m = lbMarks([status], [plan('applying', [['lb1', 'applying', []]])]);
    expect(m.blocks.map((b) => b.kind)).toEqual(['vip', 'apply']);
    expect(m.links).toHaveLength(2);
    expect(backendLines([status], 'web2')).toEqual(['lb1: web/web2 DRAIN · weight 0', 'lb1: api/web2 DOWN · weight 5']);
    expect(backendLines([status], 'web1', 'lb1')).toEqual(['lb1: web/web1 UP · weight 10 · 2 sessions']);
    expect(backendLines([status], 'web1', 'lb2')).toEqual([]);
    expect(shorten('abcdef', 4)).toBe('abc…');
  });
});
