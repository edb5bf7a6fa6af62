/**
 * Load balancing in the browser: REST calls, the plan and status frames the live socket streams
 * (a tiny pub/sub so the socket code needs only one line each), and pure helpers for the view.
 */
import type { LbClusterStatus, PlanView } from '../../agent/protocol/types.js';
import { call } from './api.js';
import { topic } from './topic.js';

export const createPlan = (base: string, cluster: string) => call<PlanView>(base, 'POST', `api/clusters/${encodeURIComponent(cluster)}/plans`);
export const applyPlan = (base: string, id: string) => call<PlanView>(base, 'POST', `api/plans/${encodeURIComponent(id)}/apply`);

const plans = topic<PlanView>();
const statuses = topic<LbClusterStatus>();
export const publishPlan = plans.publish;
export const onPlan = plans.on;
export const publishLbStatus = statuses.publish;
export const onLbStatus = statuses.on;
/** A cluster's panel asks the load-balancing panel to plan that cluster (its settings were just saved). */
const planRequests = topic<string>();
export const requestPlan = planRequests.publish;
export const onPlanRequest = planRequests.on;

/** One line on who holds the VIP, for the panel. */
export function vipLine(s: LbClusterStatus): string | null {
  if (!s.vip) return null;
  if (!s.vipHolders.length) return `VIP ${s.vip}: no load balancer holds it`;
  return `VIP ${s.vip} held by ${s.vipHolders.join(' and ')}${s.vipHolders.length > 1 ? ' (failover under way)' : ''}`;
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
