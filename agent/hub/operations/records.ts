/** Operations as the state keeps them: pure functions over the state's `operations` list. */
import { KEEP_OPERATIONS } from '../../protocol/operations.js';
import type { Operation, State } from '../../protocol/types.js';

export const isFinished = (op: Pick<Operation, 'state'>): boolean => op.state !== 'running' && op.state !== 'waiting';

/** `op` replaces the record with its id (or is appended); the oldest finished ones beyond the limit go. */
export function recordOperation(state: State, op: Operation): State {
  const list = state.operations ?? [];
  const at = list.findIndex((o) => o.id === op.id);
  let next = at < 0 ? [...list, op] : list.map((o, i) => (i === at ? op : o));
  let excess = next.filter(isFinished).length - KEEP_OPERATIONS;
  if (excess > 0) next = next.filter((o) => !(isFinished(o) && excess-- > 0));
  return { ...state, operations: next };
}

/**
 * After a hub restart nothing runs the unfinished operations any more: each one says where it
 * stopped (its running or waiting step is marked interrupted, the steps after it stay pending).
 */
export function interruptUnfinished(state: State, now: Date): State {
  if (!(state.operations ?? []).some((o) => !isFinished(o))) return state;
  const at = now.toISOString();
  return {
    ...state,
    operations: state.operations!.map((op) => {
      if (isFinished(op)) return op;
      const stopped = op.steps.find((s) => s.state === 'running' || s.state === 'waiting');
      const { question: _q, ...rest } = op;
      return {
        ...rest,
        rev: op.rev + 1,
        state: 'interrupted',
        finishedAt: at,
        error: `the hub stopped ${stopped ? `during step "${stopped.title}"` : 'between steps'}; nothing ran after that. Check the nodes, then start the operation again`,
        steps: op.steps.map((s) => (s === stopped ? { ...s, state: 'interrupted', finishedAt: at } : s)),
      };
    }),
  };
}

/** What a browser gets in its snapshot: per cluster it sees, its unfinished operations and its latest finished one. */
export function snapshotOperations(ops: readonly Operation[] | undefined, sees: (cluster: string) => boolean): Operation[] {
  const latestFinished = new Map<string, Operation>();
  const out: Operation[] = [];
  for (const op of ops ?? []) {
    if (!sees(op.cluster)) continue;
    if (isFinished(op)) latestFinished.set(op.cluster, op);
    else out.push(op);
  }
  return [...out, ...latestFinished.values()];
}
