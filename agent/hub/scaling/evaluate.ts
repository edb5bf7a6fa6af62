/**
 * One evaluation of a cluster's scaling policy: pure, so every rule is tested without a hub.
 *
 * - Bounds first: below the minimum scales out to it, above the maximum scales in by one.
 * - Target tracking: the average above the target for `periodSeconds` scales out to
 *   ceil(desired × value / target); below it for as long, and low enough that the servers left
 *   after removing one would still be under the target (so the removal cannot trigger a scale-out
 *   at once), scales in by one. Instances in warm-up do not count and block any scale-in.
 * - Step rules: a condition held for `forSeconds` adds `change` (a negative change removes one
 *   instance per decision: each removal is a drained scale-in operation).
 * - Cooldowns: no scale-out within `scaleOutCooldownSeconds` of the last one; no scale-in within
 *   `scaleInCooldownSeconds` of any scaling. Scale-out wins over scale-in; the largest wins.
 * A condition must hold without a break: `memory.since` keeps when each one started holding.
 */
import type { ScalingMetric, ScalingPolicy, ScalingDecision } from '../../protocol/types.js';

export const DEFAULTS = { periodSeconds: 60, forSeconds: 60, warmupSeconds: 120, scaleOutCooldownSeconds: 120, scaleInCooldownSeconds: 300, drainTimeoutSeconds: 60 };

export interface Reading { metric: ScalingMetric; value: number | null; servers: number; warming: number }

export interface EvalInput {
  policy: ScalingPolicy;
  /** Bounds of the scheduled action in force. */
  override?: { name: string; min?: number; max?: number };
  /** A desired capacity to converge to first (policy or schedule). */
  converge?: { desired: number; source: 'policy' | 'schedule'; name?: string };
  /** The group's desired capacity now. */
  desired: number;
  readings: Partial<Record<ScalingMetric, Reading>>;
  lastScaleOutAt?: number;
  lastScaleInAt?: number;
  now: number;
}

/** What the evaluation would do; the scaler records it as a decision and acts. */
export type Proposal = Pick<ScalingDecision, 'source' | 'action' | 'from' | 'to' | 'reason'> & { figures: Record<string, unknown> };

export interface EvalMemory { since: Record<string, number> }

export interface EvalResult {
  proposal: Proposal | null;
  memory: EvalMemory;
  /** Why nothing is done although a condition holds (cooldown, warm-up …), for the status line. */
  hold?: string;
}

export function effectiveBounds(policy: Pick<ScalingPolicy, 'min' | 'max'>, override?: EvalInput['override']): { min: number; max: number } {
  const max = override?.max ?? policy.max;
  return { min: Math.min(override?.min ?? policy.min, max), max };
}

const iso = (ms: number) => new Date(ms).toISOString();
const round = (n: number) => Math.round(n * 100) / 100;
const UNITS: Record<ScalingMetric, string> = { cpu: '% CPU', mem: '% memory', sessions: ' sessions per server' };

export function evaluate(input: EvalInput, memory: EvalMemory): EvalResult {
  const { policy, desired, now } = input;
  const { min, max } = effectiveBounds(policy, input.override);
  const since: Record<string, number> = {};
  /** Whether `cond` has held without a break for `seconds`; remembers when it started. */
  const held = (key: string, cond: boolean, seconds: number): number | null => {
    if (!cond) return null;
    since[key] = memory.since[key] ?? now;
    return now - since[key]! >= seconds * 1000 ? since[key]! : null;
  };
  const boundsFigures = { desired, min, max, ...(input.override ? { schedule: input.override.name } : {}) };
  const out: Proposal[] = [];
  const inn: Proposal[] = [];
  if (desired < min) out.push({ source: input.override?.min !== undefined ? 'schedule' : 'bounds', action: 'scale-out', from: desired, to: min, reason: `desired ${desired} is below the minimum ${min}`, figures: boundsFigures });
  const target = input.converge ? Math.min(max, Math.max(min, input.converge.desired)) : undefined;
  if (target !== undefined && input.converge) {
    const by = input.converge.source === 'schedule' ? `scheduled action '${input.converge.name ?? ''}'` : 'the policy';
    const figures = { ...boundsFigures, converge: target };
    if (desired < target) out.push({ source: input.converge.source, action: 'scale-out', from: desired, to: target, reason: `${by} sets the desired capacity to ${target}`, figures });
    if (desired > target) inn.push({ source: input.converge.source, action: 'scale-in', from: desired, to: desired - 1, reason: `${by} sets the desired capacity to ${target}`, figures });
    if (desired !== target) return pick(out, inn, now, -Infinity, -Infinity, false, { since }, []);
  }
  if (desired > max) inn.push({ source: input.override?.max !== undefined ? 'schedule' : 'bounds', action: 'scale-in', from: desired, to: desired - 1, reason: `desired ${desired} is above the maximum ${max}`, figures: boundsFigures });

  const outCooldownEnds = (input.lastScaleOutAt ?? -Infinity) + (policy.scaleOutCooldownSeconds ?? DEFAULTS.scaleOutCooldownSeconds) * 1000;
  const inCooldownEnds = Math.max(input.lastScaleOutAt ?? -Infinity, input.lastScaleInAt ?? -Infinity) + (policy.scaleInCooldownSeconds ?? DEFAULTS.scaleInCooldownSeconds) * 1000;
  const holds: string[] = [];

  const tt = policy.targetTracking;
  const r = tt ? input.readings[tt.metric] : undefined;
  if (tt && r && r.value !== null && r.servers > 0) {
    const period = tt.periodSeconds ?? DEFAULTS.periodSeconds;
    const figures = { metric: tt.metric, value: round(r.value), target: tt.target, servers: r.servers, warming: r.warming, periodSeconds: period, desired };
    const highSince = held('tt-high', r.value > tt.target, period);
    if (highSince !== null) {
      const to = Math.min(max, Math.max(min, Math.ceil((desired * r.value) / tt.target)));
      if (to > desired) {
        out.push({ source: 'target-tracking', action: 'scale-out', from: desired, to, reason: `average ${round(r.value)}${UNITS[tt.metric]} above the target ${tt.target} for ${period} s`, figures: { ...figures, since: iso(highSince) } });
      } else if (desired >= max) holds.push(`average above the target, but desired ${desired} is at the maximum ${max}`);
    }
    // After removing one of the n servers counted, their load spreads over n - 1.
    const projected = r.servers > 1 ? (r.value * r.servers) / (r.servers - 1) : Infinity;
    const lowSince = held('tt-low', r.value < tt.target && projected < tt.target, period);
    if (lowSince !== null && desired > min) {
      inn.push({ source: 'target-tracking', action: 'scale-in', from: desired, to: desired - 1, reason: `average ${round(r.value)}${UNITS[tt.metric]} below the target ${tt.target} for ${period} s (${round(projected)} with one server less)`, figures: { ...figures, projected: round(projected), since: iso(lowSince) } });
    }
  }

  (policy.steps ?? []).forEach((step, i) => {
    const sr = input.readings[step.metric];
    if (!sr || sr.value === null || sr.servers === 0) return;
    const cond = step.when === 'above' ? sr.value > step.threshold : sr.value < step.threshold;
    const forSeconds = step.forSeconds ?? DEFAULTS.forSeconds;
    const from = held(`step-${i}`, cond, forSeconds);
    if (from === null) return;
    const figures = { metric: step.metric, value: round(sr.value), threshold: step.threshold, when: step.when, forSeconds, servers: sr.servers, desired, since: iso(from) };
    const reason = `step ${i + 1}: ${round(sr.value)}${UNITS[step.metric]} ${step.when} ${step.threshold} for ${forSeconds} s`;
    if (step.change > 0) {
      const to = Math.min(max, desired + step.change);
      if (to > desired) out.push({ source: 'step', action: 'scale-out', from: desired, to, reason: `${reason}: add ${step.change}`, figures });
    } else if (desired > min) {
      inn.push({ source: 'step', action: 'scale-in', from: desired, to: desired - 1, reason: `${reason}: remove one`, figures });
    }
  });

  const warming = Object.values(input.readings).some((x) => x && x.warming > 0);
  return pick(out, inn, now, outCooldownEnds, inCooldownEnds, warming, { since }, holds);
}

/** Bounds, schedules and the policy's own target are obeyed at once; the rest wait for cooldowns and warm-up. */
const FORCED = new Set<Proposal['source']>(['bounds', 'schedule', 'policy']);

function pick(out: Proposal[], inn: Proposal[], now: number, outCooldownEnds: number, inCooldownEnds: number, warming: boolean, memory: EvalMemory, holds: string[]): EvalResult {
  const best = out.sort((a, b) => b.to - a.to)[0];
  if (best) {
    if (!FORCED.has(best.source) && now < outCooldownEnds) {
      return { proposal: null, memory, hold: `scale-out wanted (${best.reason}) but cooling down until ${iso(outCooldownEnds)}` };
    }
    return { proposal: best, memory };
  }
  const first = inn[0];
  if (first) {
    const forced = FORCED.has(first.source);
    if (!forced && warming) return { proposal: null, memory, hold: `scale-in wanted (${first.reason}) but instances are warming up` };
    if (!forced && now < inCooldownEnds) return { proposal: null, memory, hold: `scale-in wanted (${first.reason}) but cooling down until ${iso(inCooldownEnds)}` };
    return { proposal: first, memory };
  }
  return { proposal: null, memory, ...(holds.length ? { hold: holds.join('; ') } : {}) };
}

/**
 * What makes a policy unusable, as sentences (empty when it can work). The cron expressions
 * and time zones are checked by `checkCron` (schedules), the group's limits by the scaler.
 */
export function policyProblems(p: ScalingPolicy, group?: { min: number; max: number }): string[] {
  const problems: string[] = [];
  if (p.min > p.max) problems.push(`min ${p.min} is greater than max ${p.max}`);
  if (p.desired !== undefined && (p.desired < p.min || p.desired > p.max)) problems.push(`desired ${p.desired} is not between min ${p.min} and max ${p.max}`);
  if (group) {
    if (p.max > group.max) problems.push(`max ${p.max} is above the group's MaxSize ${group.max}: raise the group's maximum first`);
    if (p.min < group.min) problems.push(`min ${p.min} is below the group's MinSize ${group.min}: a scale-in could never reach it`);
  }
  const names = new Set<string>();
  for (const s of p.scheduled ?? []) {
    if (names.has(s.name)) problems.push(`scheduled action '${s.name}' appears twice`);
    names.add(s.name);
    if (s.min === undefined && s.max === undefined && s.desired === undefined) problems.push(`scheduled action '${s.name}' sets none of min, max, desired`);
    const lo = s.min ?? p.min;
    const hi = s.max ?? p.max;
    if (lo > hi) problems.push(`scheduled action '${s.name}': min ${lo} is greater than max ${hi}`);
    if (s.desired !== undefined && (s.desired < lo || s.desired > hi)) problems.push(`scheduled action '${s.name}': desired ${s.desired} is not between ${lo} and ${hi}`);
    if (group && hi > group.max) problems.push(`scheduled action '${s.name}': max ${hi} is above the group's MaxSize ${group.max}`);
  }
  if (p.targetTracking && p.targetTracking.metric !== 'sessions' && p.targetTracking.target > 100) problems.push(`a ${p.targetTracking.metric} target is a percentage: ${p.targetTracking.target} is more than 100`);
  return problems;
}
