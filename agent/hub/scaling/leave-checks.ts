/**
 * May a server leave its clusters? One small list of checks, each a pure function over the state
 * and the live facts the hub holds (Galera node states, Gluster status), each able to add the
 * steps the scale-in runs before the instance is terminated (`steps`) and after it is gone
 * (`after`); their executors live with the scale-in operation. A check that cannot tell refuses:
 * a scale-in never takes a server whose role it cannot leave safely.
 *
 * - haproxy: a backend server of a load-balanced cluster is drained first (zero-drop runtime API).
 * - galera: a member of a Galera cluster leaves only when the others stay a majority of Synced
 *   nodes, now and once it is gone (the remove-node rules, agent/hub/galera/planner.ts); it is
 *   taken out of the cluster's HAProxy backend, then stopped cleanly so it leaves the group, and
 *   once terminated the others' peer lists are rewritten without it.
 * - gluster: a server that holds a brick of a Gluster volume is refused, naming its bricks (they
 *   must be replaced first); a peer without bricks is detached from the pool once terminated.
 */
import type { Cluster, GaleraNodeStatus, GlusterStatus, State } from '../../protocol/types.js';
import { isSynced } from '../galera/live.js';
import { quorumProblem, removeProblem } from '../galera/planner.js';
import { members, writerOrder } from '../galera/settings.js';
import { glusterMembers } from '../gluster/plan.js';
import type { StepPlan } from '../operations/runner.js';

export type LeaveVerdict =
  | { ok: true; steps: StepPlan[]; after?: StepPlan[]; note: string; figures?: Record<string, unknown> }
  | { ok: false; reason: string; figures?: Record<string, unknown> };

/** What the hub knows live, for the checks (the scaler gives the Galera and Gluster services' views). */
export interface LeaveFacts {
  /** A Galera node's fresh status (none when its agent has not reported lately). */
  galera(serverId: string): GaleraNodeStatus | undefined;
  /** A Gluster cluster's fresh status from its reporter (none when there is no fresh one). */
  gluster(cluster: string): GlusterStatus | undefined;
  /** The title of the operation running on a cluster, if one does. */
  busy(cluster: string): string | undefined;
}

/** Nothing live is known: a Galera member or a Gluster peer is refused. */
export const NO_FACTS: LeaveFacts = { galera: () => undefined, gluster: () => undefined, busy: () => undefined };

type View = Pick<State, 'servers' | 'clusters'>;

export interface LeaveCheck {
  name: string;
  check(state: View, cluster: Cluster, serverId: string, facts: LeaveFacts): LeaveVerdict;
}

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

/** The figures a Galera verdict is made of: who would be left, and which of them are Synced. */
function galeraFigures(ids: readonly string[], id: string, facts: LeaveFacts) {
  const others = ids.filter((x) => x !== id);
  const synced = others.filter((x) => isSynced(facts.galera(x)));
  return { members: ids.length, left: others.length, synced: synced.length, syncedNodes: synced, notSynced: others.filter((x) => !synced.includes(x)).map((x) => `${x} ${facts.galera(x)?.state ?? 'no report'}`) };
}

export const galeraCheck: LeaveCheck = {
  name: 'galera',
  check(state, cluster, id, facts) {
    const roles = state.clusters.filter((c) => c.galera && members(state, c).some((m) => m.id === id));
    if (!roles.length) return { ok: true, steps: [], note: 'not a Galera member' };
    const steps: StepPlan[] = [];
    const after: StepPlan[] = [];
    const notes: string[] = [];
    const figures: Record<string, unknown> = {};
    for (const g of roles) {
      const ids = writerOrder(g, members(state, g).map((m) => m.id));
      const f = galeraFigures(ids, id, facts);
      figures[g.name] = f;
      // Once gone the rest must be a majority of themselves; while it leaves, of all the members.
      const problem = removeProblem(ids, facts.galera, id) ?? quorumProblem(ids, facts.galera, id);
      if (problem) return { ok: false, reason: `${id} is a Galera node of ${g.name}, and ${problem}: refused`, figures };
      const busy = g.name !== cluster.name ? facts.busy(g.name) : undefined;
      if (busy) return { ok: false, reason: `${id} is a Galera node of ${g.name}, which is busy with "${busy}": refused`, figures };
      const args = { galeraCluster: g.name };
      steps.push(
        { action: 'galera-drain', title: `Take ${id} out of ${g.name}'s HAProxy backend until its connections end`, serverId: id, args },
        { action: 'galera-leave', title: `Stop ${id}'s MariaDB cleanly: it leaves the Galera group of ${g.name} (the others keep a majority)`, serverId: id, args },
      );
      after.push({ action: 'galera-peers', title: `Write the peer list of ${g.name}'s other nodes without ${id}`, args });
      notes.push(`${g.name}: ${f.synced} of the ${f.left} others Synced (${f.syncedNodes.join(', ')})`);
    }
    return { ok: true, steps, after, note: `leaves Galera gracefully; ${notes.join('; ')}`, figures };
  },
};

export const glusterCheck: LeaveCheck = {
  name: 'gluster',
  check(state, _cluster, id, facts) {
    const server = state.servers.find((s) => s.id === id);
    if (!server) return { ok: true, steps: [], note: 'not a server of the model' };
    const after: StepPlan[] = [];
    for (const g of state.clusters.filter((c) => c.gluster)) {
      const peer = glusterMembers(g, state.servers).some((s) => s.id === id);
      const status = facts.gluster(g.name);
      if (!status || status.error) {
        if (!peer) continue;
        return { ok: false, reason: `${id} is a Gluster peer of ${g.name}, and no fresh Gluster status says which bricks it holds${status?.error ? ` (${status.error})` : ''}: refused` };
      }
      const bricks = status.volumes.flatMap((v) => v.bricks.filter((b) => b.host === server.address).map((b) => `${v.name} ${b.host}:${b.path}`));
      if (bricks.length) {
        return {
          ok: false,
          reason: `${id} holds Gluster brick${bricks.length > 1 ? 's' : ''} of ${g.name} (${bricks.join(', ')}): a brick holder is never scaled in; ` +
            `move its bricks to another server first (Replace node, POST /api/clusters/${g.name}/gluster/replace {"from":"${id}","to":"…"}), then scale in`,
          figures: { [g.name]: { bricks } },
        };
      }
      if (peer && status.peers.some((p) => !p.self && p.hostname === server.address)) {
        after.push({ action: 'gluster-detach', title: `Detach ${id} from the Gluster pool of ${g.name}`, args: { glusterCluster: g.name, host: server.address } });
      }
    }
    return { ok: true, steps: [], after, note: after.length ? 'a Gluster peer without bricks: detached from the pool once gone' : 'holds no Gluster brick' };
  },
};

export const LEAVE_CHECKS: readonly LeaveCheck[] = [haproxyCheck, galeraCheck, glusterCheck];

/** Every check's verdict on one server; `ok` only when all agree, with the steps they add, in order. */
export function mayLeave(state: View, cluster: Cluster, serverId: string, facts: LeaveFacts = NO_FACTS, checks = LEAVE_CHECKS) {
  const verdicts = checks.map((c) => ({ check: c.name, ...c.check(state, cluster, serverId, facts) }));
  const refusals = verdicts.filter((v): v is { check: string; ok: false; reason: string; figures?: Record<string, unknown> } => !v.ok);
  return {
    ok: refusals.length === 0,
    reasons: refusals.map((r) => r.reason),
    steps: verdicts.flatMap((v) => (v.ok ? v.steps : [])),
    after: verdicts.flatMap((v) => (v.ok ? v.after ?? [] : [])),
    evidence: verdicts.map((v) => ({ check: v.check, verdict: v.ok ? 'ok' : 'refused', why: v.ok ? v.note : v.reason, ...(v.figures ? { figures: v.figures } : {}) })),
  };
}
