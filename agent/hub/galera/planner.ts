/**
 * How the hub plans Galera operations: pure functions from what the nodes said (their plans,
 * facts and live status) to ordered steps. Which node bootstraps a new cluster, which one a
 * crashed cluster restarts from (the standard rule, with the reason), the order of a rolling
 * restart, and whether the cluster keeps a majority if one node goes.
 */
import type { GaleraFilePlan, GaleraNodeFacts, GaleraNodeStatus } from '../../protocol/types.js';
import type { StepPlan } from '../operations/runner.js';
import { ZERO_UUID, positionSeqno, positionUuid } from '../../protocol/galera.js';
import { isSynced } from './live.js';

export interface NodeInput { serverId: string; file?: GaleraFilePlan; facts?: GaleraNodeFacts; error?: string }

/** A node with a past in some cluster: its data has a grastate with a real uuid. */
const hasHistory = (f: GaleraNodeFacts | undefined) => !!f?.initialized && !!f.grastate.uuid && f.grastate.uuid !== ZERO_UUID;

const drainRestartUndrain = (id: string, restart: StepPlan): StepPlan[] => [
  { action: 'drain', title: `Drain ${id} in HAProxy (the others keep a majority)`, serverId: id },
  restart,
  { action: 'undrain', title: `Put ${id} back in HAProxy`, serverId: id },
];

/**
 * Apply's steps, given every member's plan and facts and the writer order. A new cluster: write
 * each node's configuration, bootstrap the writer, then join the others one at a time (by rsync:
 * an empty cluster has no clients for a blocking donor to keep waiting, and mariabackup's SST
 * script sleeps 10 s before it streams). A running one: write what changed, join the nodes that
 * are down, then restart one at a time the ones whose change needs it. Nothing when all is as planned.
 */
export function planApply(order: readonly string[], nodes: readonly NodeInput[]): { steps: StepPlan[]; error?: string } {
  const bad = nodes.filter((n) => n.error || !n.file || !n.facts);
  if (bad.length) return { steps: [], error: bad.map((n) => `${n.serverId}: ${n.error ?? 'no answer'}`).join('; ') };
  const byId = new Map(nodes.map((n) => [n.serverId, n]));
  const ids = order.filter((id) => byId.has(id));
  const running = ids.filter((id) => byId.get(id)!.facts!.running);
  const configure = (id: string): StepPlan => {
    const f = byId.get(id)!.file!;
    return { action: 'configure', title: `Write ${id}'s configuration`, serverId: id, args: { base: f.base, next: f.next } };
  };
  const changed = (id: string) => byId.get(id)!.file!.diff !== '';
  if (!running.length) {
    const withPast = ids.filter((id) => hasHistory(byId.get(id)!.facts));
    if (withPast.length) {
      return { steps: [], error: `every node is down and ${withPast.join(', ')} ${withPast.length > 1 ? 'hold' : 'holds'} data of a cluster: this is a recovery. Use Recover: it shows each node's evidence and bootstraps the most advanced one` };
    }
    const [first, ...rest] = ids;
    return {
      steps: [
        ...ids.filter(changed).map(configure),
        { action: 'bootstrap', title: `Bootstrap the cluster on ${first} (the writer)`, serverId: first!, args: { initUsers: true } },
        ...rest.map((id): StepPlan => ({ action: 'join', title: `Join ${id} (a full copy by rsync from a Synced node)`, serverId: id, args: { sstMethod: 'rsync' } })),
      ],
    };
  }
  const down = ids.filter((id) => !byId.get(id)!.facts!.running);
  const restart = running.filter((id) => byId.get(id)!.file!.restart);
  const fileOnly = ids.filter((id) => changed(id) && !restart.includes(id));
  return {
    steps: [
      ...fileOnly.map(configure),
      ...down.map((id): StepPlan => ({
        action: 'join', serverId: id, args: { recover: true },
        title: hasHistory(byId.get(id)!.facts) ? `Join ${id} with its recovered position (IST when the donor's gcache still holds what it missed)` : `Join ${id} (a full copy by SST)`,
      })),
      ...orderRollingRestart(order, restart).flatMap((id) => {
        const f = byId.get(id)!.file!;
        return drainRestartUndrain(id, { action: 'restart', title: `Restart ${id} with its new configuration (rolled back if it does not come back Synced)`, serverId: id, args: { base: f.base, next: f.next } });
      }),
    ],
  };
}

/** The backups first (the last in writer order first), the writer last: traffic moves to a node that was already restarted. */
export function orderRollingRestart(order: readonly string[], ids: readonly string[]): string[] {
  const set = new Set(ids);
  return [...order].filter((id) => set.has(id)).reverse();
}

/** A rolling restart of every member. */
export function planRollingRestart(order: readonly string[]): StepPlan[] {
  return orderRollingRestart(order, order).flatMap((id) => drainRestartUndrain(id, { action: 'restart', title: `Restart ${id} and wait until it is Synced`, serverId: id }));
}

/**
 * Whether the cluster keeps a majority while `leaving` is away: the other members that are Synced
 * in a Primary component must be more than half of all members. Null when it does, else why not.
 */
export function quorumProblem(members: readonly string[], status: (id: string) => GaleraNodeStatus | undefined, leaving: string): string | null {
  const others = members.filter((id) => id !== leaving);
  const synced = others.filter((id) => isSynced(status(id)));
  if (synced.length * 2 > members.length) return null;
  return `without ${leaving}, only ${synced.length} of ${members.length} nodes would be Synced (${synced.join(', ') || 'none'}): the cluster would lose its majority`;
}

/** Whether a node may leave for good: the members left must be a majority of themselves, Synced. */
export function removeProblem(members: readonly string[], status: (id: string) => GaleraNodeStatus | undefined, leaving: string): string | null {
  const rest = members.filter((id) => id !== leaving);
  if (!rest.length) return `${leaving} is the cluster's last node: remove the cluster's Galera role instead`;
  const synced = rest.filter((id) => isSynced(status(id)));
  if (synced.length * 2 > rest.length) return null;
  return `the ${rest.length} nodes left would have only ${synced.length} Synced (${synced.join(', ') || 'none'}): they would have no majority`;
}

/** One node's evidence in a recovery, as the table shows it. */
export interface EvidenceRow {
  node: string;
  mariadbd: 'running' | 'down' | 'no answer';
  state?: string;
  uuid?: string;
  seqno?: number;
  safe_to_bootstrap?: number;
  recovered?: string;
  recovered_seqno?: number;
  last_committed?: number;
  chosen?: string;
  note?: string;
}

export function evidenceRow(serverId: string, facts: GaleraNodeFacts | undefined, error?: string): EvidenceRow {
  if (!facts) return { node: serverId, mariadbd: 'no answer', note: error ?? 'no answer' };
  const g = facts.grastate;
  const row: EvidenceRow = { node: serverId, mariadbd: facts.running ? 'running' : 'down' };
  if (facts.status) row.state = facts.status.state;
  if (g.uuid) row.uuid = g.uuid;
  if (g.seqno !== undefined) row.seqno = g.seqno;
  if (g.safeToBootstrap !== undefined) row.safe_to_bootstrap = g.safeToBootstrap ? 1 : 0;
  if (facts.recovered) {
    row.recovered = facts.recovered;
    row.recovered_seqno = positionSeqno(facts.recovered);
  }
  if (facts.status?.lastCommitted !== undefined) row.last_committed = facts.status.lastCommitted;
  if (facts.recoverError) row.note = facts.recoverError;
  return row;
}

export type BootstrapChoice = { serverId: string; position: string; why: string } | { refuse: string };

/**
 * The node a cluster whose every node is down restarts from (the standard rule): the one whose
 * grastate says safe_to_bootstrap 1; else the highest recovered seqno. Refused when a node gave no
 * evidence, when the nodes hold different cluster uuids, or when the uuid is all zero (a history
 * that was wiped: bootstrapping it would start a new cluster and throw the data away).
 */
export function chooseBootstrap(order: readonly string[], rows: readonly EvidenceRow[]): BootstrapChoice {
  const missing = rows.filter((r) => r.mariadbd === 'no answer');
  if (missing.length) return { refuse: `no evidence from ${missing.map((r) => r.node).join(', ')}: every node must answer before one is bootstrapped (take a node that is gone for good out of the cluster's members first)` };
  if (rows.some((r) => r.mariadbd === 'running')) return { refuse: 'a node is still running: this is not a full-cluster crash' };
  const positions = rows.map((r) => ({ r, pos: r.recovered ?? (r.uuid && r.seqno !== undefined && r.seqno >= 0 ? `${r.uuid}:${r.seqno}` : undefined) }));
  const none = positions.filter((p) => !p.pos);
  if (none.length) return { refuse: `no recovered position for ${none.map((p) => p.r.node).join(', ')}${none[0]!.r.note ? ` (${none[0]!.r.note})` : ''}` };
  const uuids = new Set(positions.map((p) => positionUuid(p.pos!)));
  if (uuids.size > 1) return { refuse: `the nodes hold different cluster uuids (${[...uuids].join(', ')}): they are not one cluster's history; decide by hand which data to keep` };
  if (uuids.has(ZERO_UUID)) return { refuse: 'the cluster uuid is all zeros: the nodes\' history was wiped; bootstrapping now would start a new, empty history' };
  const rank = (id: string) => order.indexOf(id);
  const safe = positions.filter((p) => p.r.safe_to_bootstrap === 1);
  const pool = safe.length ? safe : positions;
  const best = pool.reduce((a, b) => {
    const sa = positionSeqno(a.pos!), sb = positionSeqno(b.pos!);
    return sb > sa || (sb === sa && rank(b.r.node) < rank(a.r.node)) ? b : a;
  });
  const seqno = positionSeqno(best.pos!);
  const why = safe.length
    ? `its grastate.dat says safe_to_bootstrap: 1 (it was the last to leave the cluster)`
    : `it has the highest recovered seqno (${seqno}) of cluster ${[...uuids][0]}${positions.filter((p) => positionSeqno(p.pos!) === seqno).length > 1 ? ', tied: the first in writer order' : ''}`;
  return { serverId: best.r.node, position: best.pos!, why };
}

/** Among running non-Primary nodes (no Primary anywhere), the one a user might promote: the highest last committed. */
export function promotionCandidate(order: readonly string[], rows: readonly EvidenceRow[]): EvidenceRow | undefined {
  const running = rows.filter((r) => r.mariadbd === 'running' && r.last_committed !== undefined);
  return running.sort((a, b) => (b.last_committed! - a.last_committed!) || (order.indexOf(a.node) - order.indexOf(b.node)))[0];
}
