/**
 * A cluster's members as the group sees them (pure): which servers are the group's instances (by
 * the instance id their agent reported), the policy's metric averaged over the ones that count,
 * and the order in which a scale-in would take them.
 */
import type { Cluster, LbClusterStatus, MetricsSample, ScalingMetric, ScalingPolicy, State } from '../../protocol/types.js';
import type { GroupInfo, GroupInstance } from './aws-provider.js';
import { DEFAULTS, type Reading } from './evaluate.js';

export interface Member extends GroupInstance {
  /** The server whose agent reported this instance id. */
  serverId?: string;
  enrolledAt?: number;
}

/** The group's instances, each with its server when one of the cluster's agents reported its id. */
export function groupMembers(state: Pick<State, 'servers' | 'agentCredentials'>, cluster: Cluster, group: GroupInfo): Member[] {
  const byInstance = new Map<string, string>();
  const inCluster = new Set(cluster.servers);
  for (const s of state.servers) {
    const id = s.agent?.inventory.instanceId;
    if (id && inCluster.has(s.id)) byInstance.set(id, s.id);
  }
  const enrolled = new Map((state.agentCredentials ?? []).map((c) => [c.serverId, Date.parse(c.enrolledAt)]));
  return group.instances.map((i) => {
    const serverId = byInstance.get(i.instanceId);
    const at = serverId ? enrolled.get(serverId) : undefined;
    return { ...i, ...(serverId ? { serverId } : {}), ...(at ? { enrolledAt: at } : {}) };
  });
}

export interface LiveSource {
  sample(id: string): MetricsSample | undefined;
  isConnected(id: string): boolean;
}

/** Each metric averaged over the members that count: in service, reporting, past their warm-up. */
export function readMetrics(members: readonly Member[], policy: Pick<ScalingPolicy, 'warmupSeconds'>, live: LiveSource, lb: LbClusterStatus | null, now: number): Record<ScalingMetric, Reading> {
  const warmupMs = (policy.warmupSeconds ?? DEFAULTS.warmupSeconds) * 1000;
  const serving = members.filter((m) => m.serverId && m.lifecycle === 'InService' && live.isConnected(m.serverId));
  const warming = serving.filter((m) => m.enrolledAt !== undefined && now - m.enrolledAt < warmupMs);
  const counted = serving.filter((m) => !warming.includes(m)).map((m) => m.serverId!);
  const avg = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
  const samples = counted.map((id) => live.sample(id)).filter((s): s is MetricsSample => s !== undefined);
  // Sessions: per backend server, summed over the load balancers whose report is fresh.
  const sessions = new Map<string, number>();
  for (const node of lb?.nodes ?? []) {
    if (node.stale) continue;
    for (const s of node.servers) {
      if (s.backend !== 'web' || !counted.includes(s.server) || /DRAIN|MAINT/.test(s.status)) continue;
      sessions.set(s.server, (sessions.get(s.server) ?? 0) + (s.sessions ?? 0));
    }
  }
  const reading = (metric: ScalingMetric, values: number[]): Reading => ({ metric, value: avg(values), servers: values.length, warming: warming.length });
  return {
    cpu: reading('cpu', samples.map((s) => s.cpu)),
    mem: reading('mem', samples.map((s) => (s.mem.total ? (s.mem.used / s.mem.total) * 100 : 0))),
    sessions: reading('sessions', [...sessions.values()]),
  };
}

export interface Candidate { instanceId: string; serverId?: string; order: number; skip?: string }

/**
 * The order a scale-in takes the group's instances: instances no agent reported first (nothing
 * to drain), then by enrollment, newest first (or oldest, as the policy says). Protected ones
 * (by the policy or in the group) and ones already leaving are listed with the reason they are skipped.
 */
export function scaleInCandidates(members: readonly Member[], policy: Pick<ScalingPolicy, 'protectedServers' | 'scaleInOrder'>): Candidate[] {
  const protectedIds = new Set(policy.protectedServers ?? []);
  const newestFirst = (policy.scaleInOrder ?? 'newest') === 'newest';
  const sorted = [...members].sort((a, b) => {
    if (!a.serverId !== !b.serverId) return a.serverId ? 1 : -1;
    const d = (a.enrolledAt ?? 0) - (b.enrolledAt ?? 0);
    return newestFirst ? -d : d;
  });
  return sorted.map((m, order) => {
    const skip = m.lifecycle !== 'InService' ? `it is ${m.lifecycle}`
      : m.protected ? 'protected from scale-in in the group'
      : m.serverId && protectedIds.has(m.serverId) ? 'protected from scale-in by the policy'
      : undefined;
    return { instanceId: m.instanceId, ...(m.serverId ? { serverId: m.serverId } : {}), order, ...(skip ? { skip } : {}) };
  });
}
