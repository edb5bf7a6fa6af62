import { describe, expect, it } from 'vitest';
import type { GaleraFilePlan, GaleraNodeFacts, GaleraNodeStatus } from '../../protocol/types.js';
import { chooseBootstrap, evidenceRow, orderRollingRestart, planApply, planRollingRestart, promotionCandidate, quorumProblem, removeProblem } from './planner.js';

const U = '48f94a0c-f1be-11f1-bc3e-6300bc7c59f0';
const file = (diff: string, restart = false): GaleraFilePlan => ({ path: '/x', diff, base: '0'.repeat(64), next: '1'.repeat(64), restart });
const fresh: GaleraNodeFacts = { running: false, initialized: false, grastate: {} };
const up: GaleraNodeFacts = { running: true, initialized: true, grastate: { uuid: U, seqno: -1 } };
const crashed: GaleraNodeFacts = { running: false, initialized: true, grastate: { uuid: U, seqno: -1, safeToBootstrap: false } };
const order = ['db1', 'db2', 'db3'];
const synced: GaleraNodeStatus = { running: true, state: 'Synced', primary: true };
const ids = (steps: { action: string; serverId?: string }[]) => steps.map((s) => `${s.action} ${s.serverId ?? ''}`.trim());

describe('planApply', () => {
  it('a new cluster: write every node, bootstrap the writer, join the others one at a time', () => {
    const p = planApply(['db2', 'db1', 'db3'], order.map((serverId) => ({ serverId, file: file('+x', true), facts: fresh })));
    expect(ids(p.steps)).toEqual(['configure db2', 'configure db1', 'configure db3', 'bootstrap db2', 'join db1', 'join db3']);
    expect(p.steps[3]!.args).toEqual({ initUsers: true });
    expect(p.steps[4]!.args).toEqual({ sstMethod: 'rsync' });
  });

  it('a running cluster: nothing when all is as planned; peer lists written; the down joined; restarts last, one at a time, drained', () => {
    expect(planApply(order, order.map((serverId) => ({ serverId, file: file(''), facts: up })))).toEqual({ steps: [] });
    const p = planApply(order, [
      { serverId: 'db1', file: file('+slave threads', true), facts: up },
      { serverId: 'db2', file: file('+peers'), facts: up },
      { serverId: 'db3', file: file('+peers'), facts: crashed },
    ]);
    expect(ids(p.steps)).toEqual(['configure db2', 'configure db3', 'join db3', 'drain db1', 'restart db1', 'undrain db1']);
    expect(p.steps[2]!.title).toMatch(/recovered position/);
  });

  it('refuses when a node did not answer, and sends a crashed cluster to recovery', () => {
    expect(planApply(order, [{ serverId: 'db1', error: 'mariadbd refused: unknown variable' }, { serverId: 'db2', file: file(''), facts: up }]).error).toBe('db1: mariadbd refused: unknown variable');
    expect(planApply(order, order.map((serverId) => ({ serverId, file: file(''), facts: crashed }))).error).toMatch(/every node is down .* this is a recovery/);
  });
});

describe('rolling restart and quorum', () => {
  it('restarts the backups first and the writer last', () => {
    expect(orderRollingRestart(order, ['db1', 'db3'])).toEqual(['db3', 'db1']);
    expect(ids(planRollingRestart(order)).filter((s) => s.startsWith('restart'))).toEqual(['restart db3', 'restart db2', 'restart db1']);
  });

  it('lets a node go only while the others keep a majority', () => {
    const all = (id: string) => (id ? synced : undefined);
    expect(quorumProblem(order, all, 'db1')).toBeNull();
    const db2Down = (id: string) => (id === 'db2' ? { running: false, state: 'down' as const } : synced);
    expect(quorumProblem(order, db2Down, 'db1')).toMatch(/only 1 of 3 nodes would be Synced \(db3\)/);
    expect(removeProblem(order, all, 'db3')).toBeNull();
    expect(removeProblem(order, db2Down, 'db1')).toMatch(/the 2 nodes left would have only 1 Synced/);
    expect(removeProblem(['db1'], all, 'db1')).toMatch(/last node/);
  });
});

describe('chooseBootstrap', () => {
  const row = (node: string, recovered: string | undefined, extra: Partial<GaleraNodeFacts['grastate']> = {}) =>
    evidenceRow(node, { running: false, initialized: true, grastate: { uuid: U, seqno: -1, safeToBootstrap: false, ...extra }, ...(recovered ? { recovered } : {}) });

  it('takes the highest recovered seqno, and says why', () => {
    const c = chooseBootstrap(order, [row('db1', `${U}:130`), row('db2', `${U}:131`), row('db3', `${U}:129`)]);
    expect(c).toEqual({ serverId: 'db2', position: `${U}:131`, why: `it has the highest recovered seqno (131) of cluster ${U}` });
  });

  it('prefers safe_to_bootstrap: 1, and breaks a tie by writer order', () => {
    expect(chooseBootstrap(order, [row('db1', `${U}:130`), row('db2', `${U}:90`, { safeToBootstrap: true }), row('db3', `${U}:131`)])).toMatchObject({ serverId: 'db2', why: expect.stringMatching(/safe_to_bootstrap: 1/) });
    expect(chooseBootstrap(['db3', 'db1', 'db2'], [row('db1', `${U}:5`), row('db2', `${U}:5`), row('db3', `${U}:5`)])).toMatchObject({ serverId: 'db3', why: expect.stringMatching(/tied/) });
  });

  it('refuses on a uuid mismatch, an all-zero uuid, a node without evidence or one still running', () => {
    const other = '11111111-1111-1111-1111-111111111111';
    expect(chooseBootstrap(order, [row('db1', `${U}:5`), row('db2', `${other}:9`), row('db3', `${U}:5`)])).toEqual({ refuse: expect.stringMatching(/different cluster uuids/) });
    const zero = '00000000-0000-0000-0000-000000000000';
    expect(chooseBootstrap(order, order.map((n) => row(n, `${zero}:-1`)))).toEqual({ refuse: expect.stringMatching(/all zeros/) });
    expect(chooseBootstrap(order, [row('db1', `${U}:5`), evidenceRow('db2', undefined, 'agent offline'), row('db3', `${U}:5`)])).toEqual({ refuse: expect.stringMatching(/no evidence from db2/) });
    expect(chooseBootstrap(order, [row('db1', undefined), row('db2', `${U}:5`), row('db3', `${U}:5`)])).toEqual({ refuse: expect.stringMatching(/no recovered position for db1/) });
    expect(chooseBootstrap(order, [evidenceRow('db1', up), row('db2', `${U}:5`), row('db3', `${U}:5`)])).toEqual({ refuse: expect.stringMatching(/still running/) });
  });

  it('offers the most advanced non-Primary survivor for promotion', () => {
    const np = (n: number): GaleraNodeFacts => ({ ...up, status: { running: true, state: 'non-Primary', primary: false, lastCommitted: n } });
    expect(promotionCandidate(order, [evidenceRow('db1', np(10)), evidenceRow('db2', np(12)), evidenceRow('db3', crashed)])?.node).toBe('db2');
  });
});
