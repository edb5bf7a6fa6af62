/**
 * One poll of a rebalance's status, as the `rebalance-wait` step reads it. glusterd answers the
 * status query with an error ("Brick ops failed on … 'Rebalance' failed") while a node's
 * rebalance process is still starting, more so on a busy machine: such answers are waited out for
 * a while; a rebalance that says it failed fails at once.
 */
import type { GlusterJobResult } from '../../protocol/types.js';

/** How many unreadable answers in a row are waited out (one poll a second). */
export const UNREADABLE_POLLS = 30;

export type RebalancePoll =
  | { done: NonNullable<GlusterJobResult['rebalance']>; progress: string }
  | { progress: string; unreadable: number }
  | { error: string };

/** `answer`: the job's result, or the error of a status query; `unreadable`: such errors in a row before it. */
export function readRebalance(answer: GlusterJobResult | Error, unreadable: number): RebalancePoll {
  if (answer instanceof Error) {
    if (unreadable + 1 >= UNREADABLE_POLLS) return { error: `the rebalance status could not be read ${UNREADABLE_POLLS} times in a row: ${answer.message}` };
    return { progress: `rebalance status not readable yet: ${answer.message}`, unreadable: unreadable + 1 };
  }
  const r = answer.rebalance;
  if (!r) return { progress: 'rebalance status not reported yet', unreadable: 0 };
  const progress = `rebalance ${r.state}: ${r.files} files (${r.size} bytes) moved, ${r.failures} failures`;
  if (/fail/i.test(r.state)) return { error: `rebalance ${r.state} (${r.failures} failures)` };
  return r.state === 'completed' ? { done: r, progress } : { progress, unreadable: 0 };
}
