/**
 * Load-balancing plans in the browser: REST calls, the plan frames the live socket streams
 * (a tiny pub/sub so the socket code needs only one line), and pure helpers for the view.
 */
import type { PlanView } from '../../agent/protocol/types.js';
import { call } from './api.js';

export const createPlan = (base: string, cluster: string) => call<PlanView>(base, 'POST', `api/clusters/${encodeURIComponent(cluster)}/plans`);
export const applyPlan = (base: string, id: string) => call<PlanView>(base, 'POST', `api/plans/${encodeURIComponent(id)}/apply`);

type Listener = (plan: PlanView) => void;
const listeners = new Set<Listener>();

/** Called by the live socket with each plan frame. */
export const publishPlan: Listener = (plan) => { for (const l of listeners) l(plan); };

export function onPlan(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The class of one diff line: added, removed, hunk header or context. */
export function diffLineKind(line: string): 'add' | 'del' | 'hunk' | 'ctx' {
  if (line.startsWith('+++') || line.startsWith('---')) return 'hunk';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  return line.startsWith('@@') ? 'hunk' : 'ctx';
}

export const CHANGE_LABELS: Record<string, string> = {
  none: 'no change', runtime: 'runtime API, no reload', reload: 'validated reload',
};
