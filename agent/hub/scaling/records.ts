/** Scaling as the state keeps it: pure functions over `state.scaling` and the decision log. */
import { KEEP_DECISIONS } from '../../protocol/scaling.js';
import type { ClusterScaling, ScalingDecision, State } from '../../protocol/types.js';

export const scalingOf = (state: Pick<State, 'scaling'>, cluster: string): ClusterScaling => state.scaling?.[cluster] ?? {};

/** `change` applied to one cluster's scaling record (an empty record is dropped). */
export function updateScaling(state: State, cluster: string, change: (c: ClusterScaling) => ClusterScaling): State {
  const next = change(scalingOf(state, cluster));
  const { [cluster]: _old, ...rest } = state.scaling ?? {};
  return { ...state, scaling: Object.keys(next).length ? { ...rest, [cluster]: next } : rest };
}

/** Appends or replaces (by id) a decision, keeping the newest KEEP_DECISIONS. */
export function recordDecision(state: State, d: ScalingDecision): State {
  const list = state.scalingDecisions ?? [];
  const at = list.findIndex((x) => x.id === d.id);
  const next = at < 0 ? [...list, d] : list.map((x, i) => (i === at ? d : x));
  return { ...state, scalingDecisions: next.length > KEEP_DECISIONS ? next.slice(-KEEP_DECISIONS) : next };
}

/** A cluster's decisions, newest first. */
export const decisionsOf = (state: Pick<State, 'scalingDecisions'>, cluster: string, limit = 100): ScalingDecision[] =>
  (state.scalingDecisions ?? []).filter((d) => d.cluster === cluster).slice(-limit).reverse();

/** A load-balanced server's admin state in its cluster (`undefined`: back to ready, the override goes). */
export function setBackendState(state: State, cluster: string, serverId: string, admin: 'drain' | 'maint' | undefined): State {
  return {
    ...state,
    clusters: state.clusters.map((c) => {
      if (c.name !== cluster || !c.loadBalancer) return c;
      const { [serverId]: old, ...others } = c.loadBalancer.servers ?? {};
      const { state: _s, ...rest } = old ?? {};
      const entry = admin ? { ...rest, state: admin } : rest;
      const servers = Object.keys(entry).length ? { ...others, [serverId]: entry } : others;
      const { servers: _old, ...lb } = c.loadBalancer;
      return { ...c, loadBalancer: Object.keys(servers).length ? { ...lb, servers } : lb };
    }),
  };
}
