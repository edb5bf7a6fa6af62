/**
 * May a server leave its clusters? One small list of checks, each a pure function over the state,
 * each able to add the "leave" steps the scale-in runs before the instance is terminated (their
 * executors live with the scale-in operation). A check that cannot tell refuses: a scale-in
 * never takes a server whose role it cannot leave safely.
 *
 * - haproxy: a backend server of a load-balanced cluster is drained first (zero-drop runtime API).
 * - galera (extension point): a Galera member leaves gracefully, never below a majority. The
 *   Galera feature is not in this hub yet, so a database server, or a cluster that carries Galera
 *   settings, is refused until this check is written against them.
 * - gluster (extension point): a Gluster brick holder is never removed. Until the Gluster feature
 *   is merged, a file-system server or a cluster with Gluster settings is refused.
 */
import type { Cluster, State } from '../../protocol/types.js';
import type { StepPlan } from '../operations/runner.js';

export type LeaveVerdict = { ok: true; steps: StepPlan[]; note: string } | { ok: false; reason: string };

export interface LeaveCheck {
  name: string;
  check(state: Pick<State, 'servers' | 'clusters'>, cluster: Cluster, serverId: string): LeaveVerdict;
}

/** A cluster's role settings that this hub's schema does not know yet (added by a later feature). */
const hasRole = (cluster: Cluster, role: string) => Object.hasOwn(cluster as Record<string, unknown>, role);
const typeOf = (state: Pick<State, 'servers'>, id: string) => state.servers.find((s) => s.id === id)?.type;

export const haproxyCheck: LeaveCheck = {
  name: 'haproxy',
  check(state, cluster, id) {
    if (!cluster.loadBalancer) return { ok: true, steps: [], note: 'not load-balanced' };
    const servers = state.servers.filter((s) => cluster.servers.includes(s.id));
    if (!servers.some((s) => s.type === 'loadbalancer') || typeOf(state, id) === 'loadbalancer') {
      return typeOf(state, id) === 'loadbalancer'
        ? { ok: false, reason: `${id} is a load balancer of ${cluster.name}: scale-in removes only backend servers` }
        : { ok: true, steps: [], note: 'no load balancer in the cluster' };
    }
    return { ok: true, steps: [{ action: 'drain', title: `Drain ${id} in HAProxy until its sessions reach 0`, serverId: id }], note: 'drained first' };
  },
};

export const galeraCheck: LeaveCheck = {
  name: 'galera',
  check(state, cluster, id) {
    if (hasRole(cluster, 'galera') || typeOf(state, id) === 'database') {
      return { ok: false, reason: `${id} may be a Galera member of ${cluster.name}, and this hub cannot yet check that it can leave while the cluster keeps a majority (the Galera feature is not merged): refused` };
    }
    return { ok: true, steps: [], note: 'not a Galera member' };
  },
};

export const glusterCheck: LeaveCheck = {
  name: 'gluster',
  check(state, cluster, id) {
    if (hasRole(cluster, 'gluster') || typeOf(state, id) === 'filesystem') {
      return { ok: false, reason: `${id} may hold a Gluster brick of ${cluster.name}, and a brick holder is never removed (this hub cannot yet tell which servers hold bricks): refused` };
    }
    return { ok: true, steps: [], note: 'holds no Gluster brick' };
  },
};

export const LEAVE_CHECKS: readonly LeaveCheck[] = [haproxyCheck, galeraCheck, glusterCheck];

/** Every check's verdict on one server; `ok` only when all agree, with the steps they add, in order. */
export function mayLeave(state: Pick<State, 'servers' | 'clusters'>, cluster: Cluster, serverId: string, checks = LEAVE_CHECKS) {
  const verdicts = checks.map((c) => ({ check: c.name, ...c.check(state, cluster, serverId) }));
  const refusals = verdicts.filter((v): v is { check: string; ok: false; reason: string } => !v.ok);
  return {
    ok: refusals.length === 0,
    reasons: refusals.map((r) => r.reason),
    steps: verdicts.flatMap((v) => (v.ok ? v.steps : [])),
    evidence: verdicts.map((v) => ({ check: v.check, verdict: v.ok ? 'ok' : 'refused', why: v.ok ? v.note : v.reason })),
  };
}
