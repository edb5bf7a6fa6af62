import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEEP_OPERATIONS } from '../../protocol/operations.js';
import type { Operation } from '../../protocol/types.js';
import { HttpError } from '../errors.js';
import { Store, loadState } from '../store.js';
import { recordOperation, snapshotOperations } from './records.js';
import { waitFor } from '../../test/harness.js';
import { type OperationPlan, Operations } from './runner.js';

let dir: string;
let file: string;
let store: Store;
let published: Operation[];
let ops: Operations;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uc-ops-'));
  file = join(dir, 'state.json');
  store = await Store.open(file);
  published = [];
  ops = new Operations({ store, publish: (op) => published.push(op), log: () => {} });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const plan = (cluster = 'db', steps = ['one', 'two', 'three']): OperationPlan => ({
  cluster, kind: 'test.run', title: 'a test run', flag: 'apply',
  steps: steps.map((title) => ({ action: title, title, serverId: 'n1' })),
});

/** A step that waits until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

const onDisk = async (id: string) => (await loadState(file)).operations?.find((o) => o.id === id);

describe('Operations', () => {
  it('runs the steps in order, persists each with its evidence, and audits start and end', async () => {
    const seen: string[] = [];
    const op = await ops.start(plan(), 'alice', async (step) => {
      seen.push(step.action);
      return { ran: step.action };
    });
    expect(op.state).toBe('running');
    expect((await onDisk(op.id))?.state).toBe('running');
    const done = await ops.finished(op.id);
    expect(seen).toEqual(['one', 'two', 'three']);
    expect(done.state).toBe('done');
    expect(done.steps.map((s) => [s.state, s.evidence])).toEqual([['done', { ran: 'one' }], ['done', { ran: 'two' }], ['done', { ran: 'three' }]]);
    expect(await onDisk(op.id)).toEqual(done);
    expect(store.state.audit.map((a) => [a.user, a.action])).toEqual([['alice', 'test.run.start'], ['alice', 'test.run.done']]);
    // Every change of state went to the browsers, ending with the finished operation, each newer than the one before.
    expect(published.at(-1)).toEqual(done);
    expect(published.every((p, i) => i === 0 || p.rev > published[i - 1]!.rev)).toBe(true);
    expect(published.some((p) => p.steps[1]?.state === 'running')).toBe(true);
  });

  it('stops at a failed step, says why and skips the rest', async () => {
    const op = await ops.start(plan(), 'alice', async (step) => {
      if (step.action === 'two') throw new Error('node n1 did not come back Synced');
    });
    const done = await ops.finished(op.id);
    expect(done.state).toBe('failed');
    expect(done.error).toBe('step "two" failed: node n1 did not come back Synced');
    expect(done.steps.map((s) => s.state)).toEqual(['done', 'failed', 'skipped']);
    expect(done.steps[1]?.error).toBe('node n1 did not come back Synced');
    expect(store.state.audit.at(-1)?.action).toBe('test.run.failed');
  });

  it('runs one operation per cluster at a time', async () => {
    const g = gate();
    const first = await ops.start(plan('db'), 'alice', () => g.opened);
    await expect(ops.start(plan('db'), 'bob', async () => {})).rejects.toMatchObject({ status: 409 });
    const other = await ops.start(plan('web'), 'bob', async () => {});
    expect((await ops.finished(other.id)).state).toBe('done');
    g.open();
    expect((await ops.finished(first.id)).state).toBe('done');
    // Once it ended the cluster is free again.
    const again = await ops.start(plan('db'), 'bob', async () => {});
    expect((await ops.finished(again.id)).state).toBe('done');
  });

  it('asks a question, waits for the answer, then goes on', async () => {
    const op = await ops.start(plan('db', ['gather', 'bootstrap']), 'alice', async (step, ctx) => {
      if (step.action !== 'gather') return;
      ctx.evidence({ nodes: [{ id: 'n1', seqno: 7 }] });
      await ctx.confirm('Bootstrap from n1?');
    });
    const waiting = await waitForState(op.id, 'waiting');
    expect(waiting.question).toBe('Bootstrap from n1?');
    expect(waiting.steps[0]).toMatchObject({ state: 'waiting', evidence: { nodes: [{ id: 'n1', seqno: 7 }] } });
    // The question is shown as soon as it is asked; its write to disk follows.
    await waitFor('the question on disk', async () => (await onDisk(op.id))?.state === 'waiting');
    await ops.confirm(op.id, 'bob');
    const done = await ops.finished(op.id);
    expect(done.state).toBe('done');
    expect(done.question).toBeUndefined();
    expect(store.state.audit.map((a) => [a.user, a.action])).toContainEqual(['bob', 'test.run.confirm']);
  });

  it('cancels a waiting operation at once and a running one after its step', async () => {
    const asking = await ops.start(plan('db', ['gather', 'bootstrap']), 'alice', async (step, ctx) => {
      if (step.action === 'gather') await ctx.confirm('Go?');
    });
    await waitForState(asking.id, 'waiting');
    await ops.cancel(asking.id, 'bob');
    const cancelled = await ops.finished(asking.id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.steps.map((s) => s.state)).toEqual(['skipped', 'skipped']);

    const g = gate();
    const running = await ops.start(plan('db', ['slow', 'next']), 'alice', async (step) => {
      if (step.action === 'slow') await g.opened;
    });
    await ops.cancel(running.id, 'bob');
    g.open();
    const stopped = await ops.finished(running.id);
    expect(stopped.state).toBe('cancelled');
    expect(stopped.steps.map((s) => s.state)).toEqual(['done', 'skipped']);
    await expect(ops.cancel(running.id, 'bob')).rejects.toBeInstanceOf(HttpError);
    await expect(ops.confirm(running.id, 'bob')).rejects.toMatchObject({ status: 409 });
  });

  it('lets a step plan the steps after it', async () => {
    const seen: string[] = [];
    const op = await ops.start(plan('db', ['choose', 'last']), 'alice', async (step, ctx) => {
      seen.push(step.title);
      if (step.action === 'choose') ctx.insertAfter([{ action: 'join', title: 'join n2', serverId: 'n2' }, { action: 'join', title: 'join n3', serverId: 'n3' }]);
    });
    const done = await ops.finished(op.id);
    expect(seen).toEqual(['choose', 'join n2', 'join n3', 'last']);
    expect(done.steps.map((s) => s.id)).toEqual(['1', '2', '3', '4']);
  });

  it('after a hub restart, an unfinished operation says where it stopped', async () => {
    const g = gate();
    const op = await ops.start(plan('db', ['one', 'two', 'three']), 'alice', async (step, ctx) => {
      if (step.action === 'two') {
        ctx.evidence({ seen: true });
        await g.opened; // the hub "dies" here
      }
    });
    await waitFor('step two\'s evidence on disk', async () => (await onDisk(op.id))?.steps[1]?.evidence?.['seen'] === true, 60_000, 10);
    const restarted = new Operations({ store: await Store.open(file), publish: () => {}, log: () => {} });
    await restarted.recover();
    const after = restarted.get(op.id);
    expect(after.state).toBe('interrupted');
    expect(after.error).toMatch(/during step "two"/);
    expect(after.steps.map((s) => s.state)).toEqual(['done', 'interrupted', 'pending']);
    expect((await onDisk(op.id))?.state).toBe('interrupted');
    g.open(); // let the old runner end before the directory goes
    await ops.finished(op.id);
  });

  it('keeps every unfinished operation and the newest finished ones', () => {
    let state = store.state;
    const op = (i: number, st: Operation['state']): Operation => ({
      id: `o${i}`, cluster: 'c', kind: 'test.run', title: 't', flag: 'apply', state: st, createdBy: 'a', createdAt: '', rev: 1, steps: [],
    });
    state = recordOperation(state, op(0, 'running'));
    for (let i = 1; i <= KEEP_OPERATIONS + 5; i++) state = recordOperation(state, op(i, 'done'));
    expect(state.operations!.length).toBe(KEEP_OPERATIONS + 1);
    expect(state.operations![0]!.id).toBe('o0');
    expect(state.operations![1]!.id).toBe('o6');
    const seen = snapshotOperations(state.operations, (c) => c === 'c');
    expect(seen.map((o) => o.id)).toEqual(['o0', `o${KEEP_OPERATIONS + 5}`]);
    expect(snapshotOperations(state.operations, () => false)).toEqual([]);
  });
});

const waitForState = (id: string, state: Operation['state']): Promise<Operation> =>
  waitFor(`operation ${id} to be ${state}`, () => (ops.get(id).state === state ? ops.get(id) : null), 60_000, 10);
