/**
 * Load balancing on the diagram, from the frames the live socket streams (plans.ts): a badge on
 * the load balancer that holds a cluster's floating IP, each node's progress while a plan is
 * applied (a badge and a ring), and each load balancer's view of its backend servers on the lines
 * to them. Pure functions make the marks; `useLbMarks` keeps the latest frames.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { LbClusterStatus, PlanView } from '../../agent/protocol/types.js';
import type { BlockMark, LinkMark, Marks, Tone } from './canvas/marks.js';
import { onLbStatus, onPlan } from './plans.js';

/** How long the diagram shows "applied" after a plan succeeded; a failure stays until the cluster's next plan. */
export const APPLIED_SHOWN_MS = 15_000;

export const shorten = (text: string, max = 40) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A server's state as `show stat` words it (UP, DOWN, DRAIN, NOLB, MAINT…, "UP 1/3" going down, "no check") to a tone. */
export function backendTone(status: string): Tone {
  if (status === 'UP' || status === 'no check') return 'ok';
  if (status === 'DOWN') return 'bad';
  if (status === 'DRAIN' || status === 'NOLB' || /^(UP|DOWN) \d+\/\d+$/.test(status)) return 'warn';
  return 'idle';
}
const SEVERITY: readonly Tone[] = ['ok', 'vip', 'busy', 'idle', 'warn', 'bad'];
const worse = (a: Tone, b: Tone) => (SEVERITY.indexOf(a) >= SEVERITY.indexOf(b) ? a : b);

/** A badge on each node that holds the VIP (two while a failover is under way). */
export function vipMarks(s: LbClusterStatus): BlockMark[] {
  if (!s.vip) return [];
  const moving = s.vipHolders.length > 1;
  return s.vipHolders.map((id) => ({ id, kind: 'vip', text: `VIP ${s.vip}${moving ? ' · failover' : ''}`, tone: moving ? 'warn' : 'vip' }));
}

/** Each node's progress through a plan being applied, or how it ended. Nothing for a plan not yet applied. */
export function planMarks(p: PlanView): BlockMark[] {
  return p.nodes.flatMap((n): BlockMark[] => {
    const mark = (text: string, tone: Tone): BlockMark[] => [{ id: n.serverId, kind: 'apply', text: shorten(text), tone, ring: true }];
    switch (n.state) {
      case 'applying': return mark(n.steps.length ? `step ${n.steps.length} · ${n.steps.at(-1)}` : 'applying…', 'busy');
      case 'done': return mark('✓ applied', 'ok');
      case 'failed': return mark(`✗ failed: ${n.error ?? 'see the plan'}`, 'bad');
      case 'invalid': return mark(`✗ invalid: ${n.error ?? 'see the plan'}`, 'bad');
      default: return p.state === 'applying' ? mark('waiting', 'idle') : [];
    }
  });
}

/** Each reporting load balancer's state of each backend server, one per pair (a server in several backends: each state once, the worst tone). */
export function backendMarks(s: LbClusterStatus): LinkMark[] {
  const byPair = new Map<string, LinkMark>();
  for (const n of s.nodes) {
    if (n.stale) continue;
    for (const v of n.servers) {
      const key = `${n.serverId}\n${v.server}`;
      const prev = byPair.get(key);
      const tone = backendTone(v.status);
      if (!prev) byPair.set(key, { from: n.serverId, to: v.server, text: v.status, tone });
      else if (!prev.text.split(' / ').includes(v.status)) byPair.set(key, { ...prev, text: `${prev.text} / ${v.status}`, tone: worse(prev.tone, tone) });
    }
  }
  return [...byPair.values()];
}

/** Every mark, the VIP badge nearest its block and the progress badge above it. */
export function lbMarks(statuses: readonly LbClusterStatus[], plans: readonly PlanView[]): Marks {
  return { blocks: [...statuses.flatMap(vipMarks), ...plans.flatMap(planMarks)], links: statuses.flatMap(backendMarks) };
}

/** What the load balancers say about `server` (only `lb`'s view when given), one line each, for tooltips. */
export function backendLines(statuses: readonly LbClusterStatus[], server: string, lb?: string): string[] {
  return statuses.flatMap((s) => s.nodes.filter((n) => !n.stale && (lb === undefined || n.serverId === lb)).flatMap((n) =>
    n.servers.filter((v) => v.server === server).map((v) => `${n.serverId}: ${v.backend}/${v.server} ${v.status} · weight ${v.weight}${v.sessions === undefined ? '' : ` · ${v.sessions} sessions`}`)));
}

/** The latest lb-status per cluster and the latest plan per cluster, as marks (the same object while they draw the same). */
export function useLbMarks(): { marks: Marks; statuses: readonly LbClusterStatus[] } {
  const [statuses, setStatuses] = useState<Record<string, LbClusterStatus>>({});
  const [plans, setPlans] = useState<Record<string, PlanView>>({});
  useEffect(() => onLbStatus((s) => setStatuses((cur) => ({ ...cur, [s.cluster]: s }))), []);
  useEffect(() => {
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const off = onPlan((p) => {
      setPlans((cur) => ({ ...cur, [p.cluster]: p }));
      if (p.state !== 'applied') return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        setPlans((cur) => { if (cur[p.cluster] !== p) return cur; const next = { ...cur }; delete next[p.cluster]; return next; });
      }, APPLIED_SHOWN_MS);
      timers.add(timer);
    });
    return () => { off(); for (const t of timers) clearTimeout(t); };
  }, []);
  const last = useRef<{ key: string; marks: Marks }>();
  const list = useMemo(() => Object.values(statuses), [statuses]);
  const marks = useMemo(() => {
    const next = lbMarks(list, Object.values(plans));
    const key = JSON.stringify(next);
    if (last.current?.key !== key) last.current = { key, marks: next };
    return last.current.marks;
  }, [list, plans]);
  return { marks, statuses: list };
}
