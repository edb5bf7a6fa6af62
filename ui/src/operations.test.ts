import { describe, expect, it } from 'vitest';
import type { Operation } from '../../agent/protocol/types.js';
import { evidenceColumns, evidenceText, newerOperation, onOperation, publishOperation, upsertOperation } from './operations.js';

const op = (id: string, createdAt: string, state: Operation['state'] = 'running', rev = 1): Operation => ({
  id, cluster: 'db', kind: 'galera.bootstrap', title: id, flag: 'apply', state, createdBy: 'a', createdAt, rev, steps: [],
});

describe('operations in the browser', () => {
  it('replaces an operation by id and keeps the newest first', () => {
    const list = upsertOperation(upsertOperation([], op('a', '2026-01-01T00:00:00Z')), op('b', '2026-01-02T00:00:00Z'));
    expect(list.map((o) => o.id)).toEqual(['b', 'a']);
    const next = upsertOperation(list, op('a', '2026-01-01T00:00:00Z', 'done', 5));
    expect(next.map((o) => [o.id, o.state])).toEqual([['b', 'running'], ['a', 'done']]);
  });

  it('keeps the newer of two copies: a REST answer that arrives after a newer socket frame changes nothing', () => {
    const waiting = op('a', '2026-01-01T00:00:00Z', 'waiting', 4);
    const started = op('a', '2026-01-01T00:00:00Z', 'running', 1);
    expect(newerOperation(waiting, started)).toBe(waiting);
    expect(newerOperation(started, waiting)).toBe(waiting);
    expect(newerOperation(undefined, started)).toBe(started);
    expect(upsertOperation([waiting], started)).toEqual([waiting]);
  });

  it('lays evidence rows out as columns in order of first appearance', () => {
    expect(evidenceColumns([{ node: 'n1', seqno: 5 }, { node: 'n2', uuid: 'u', seqno: 7 }])).toEqual(['node', 'seqno', 'uuid']);
    expect([evidenceText(null), evidenceText(3), evidenceText({ a: 1 })]).toEqual(['—', '3', '{"a":1}']);
  });

  it('tells each subscriber every frame until it unsubscribes', () => {
    const got: string[] = [];
    const off = onOperation((o) => got.push(o.id));
    publishOperation(op('x', ''));
    off();
    publishOperation(op('y', ''));
    expect(got).toEqual(['x']);
  });
});
