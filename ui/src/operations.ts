/**
 * Operations in the browser (agent/hub/operations): the REST calls, the `operation` frames the
 * live socket streams (and the snapshot's), and pure helpers for the view.
 */
import type { Operation, OperationStep } from '../../agent/protocol/types.js';
import { call } from './api.js';
import { topic } from './topic.js';

const path = (id: string, what: string) => `api/operations/${encodeURIComponent(id)}/${what}`;
export const listOperations = (base: string, cluster: string) => call<Operation[]>(base, 'GET', `api/clusters/${encodeURIComponent(cluster)}/operations`);
export const confirmOperation = (base: string, id: string) => call<Operation>(base, 'POST', path(id, 'confirm'));
export const cancelOperation = (base: string, id: string) => call<Operation>(base, 'POST', path(id, 'cancel'));

const operations = topic<Operation>();
export const publishOperation = operations.publish;
export const onOperation = operations.on;

/** The later of two copies of one operation (a REST answer may arrive after a newer socket frame). */
export const newerOperation = (cur: Operation | undefined, next: Operation): Operation =>
  cur && cur.id === next.id && cur.rev > next.rev ? cur : next;

/** `ops` with `op` put in place of the one with its id (unless that one is newer), newest first. */
export function upsertOperation(ops: readonly Operation[], op: Operation): Operation[] {
  const kept = newerOperation(ops.find((o) => o.id === op.id), op);
  return [kept, ...ops.filter((o) => o.id !== op.id)].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export const isUnfinished = (op: Pick<Operation, 'state'>) => op.state === 'running' || op.state === 'waiting';

export const STEP_MARKS: Record<OperationStep['state'], string> = {
  pending: '○', running: '◔', waiting: '?', done: '✓', failed: '✗', skipped: '–', interrupted: '!',
};

/** A table of evidence rows (e.g. each node's grastate.dat): the union of their keys, in order of first appearance. */
export function evidenceColumns(rows: readonly Record<string, unknown>[]): string[] {
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return cols;
}

/** One evidence value as text. */
export const evidenceText = (v: unknown): string => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
