/**
 * Galera on the diagram, from the `galera-status` and `operation` frames: a badge per node (its
 * state, flow-control paused fraction, receive queue and last committed seqno), the cluster's
 * summary on its floor (`Primary 3/3`, or what is wrong), and a ring on the node an unfinished
 * operation is working on. Pure functions make the marks; `useGaleraMarks` keeps the latest frames.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { GaleraClusterStatus, GaleraNodeStatus, Operation } from '../../agent/protocol/types.js';
import type { BlockMark, FloorMark, Tone } from './canvas/marks.js';
import { onGaleraStatus } from './galera.js';
import { shorten } from './lb-marks.js';
import { onOperation } from './operations.js';

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

/** A node's state as a tone: Synced green, joining and donating orange, non-Primary and down red. */
export function stateTone(s: GaleraNodeStatus | undefined, stale: boolean): Tone {
  if (stale || !s) return 'idle';
  if (!s.running || s.state === 'non-Primary' || s.primary === false) return 'bad';
  return s.state === 'Synced' ? 'ok' : 'warn';
}

/** A node's badge: state, flow control, receive queue and last committed seqno (`Synced · fc 0 % · rq 0 · #1234`). */
export function nodeText(s: GaleraNodeStatus | undefined, stale: boolean): string {
  if (!s) return 'Galera: no report';
  if (!s.running) return `down${stale ? ' (no report)' : ''}`;
  const parts: string[] = [s.state === 'non-Primary' ? 'non-Primary' : s.state];
  if (s.transfer || s.progressPct !== undefined) parts.push(`${s.transfer ?? 'transfer'}${s.progressPct !== undefined ? ` ${s.progressPct} %` : ''}`);
  if (s.flowControlPaused !== undefined) parts.push(`fc ${pct(s.flowControlPaused)}`);
  if (s.recvQueue !== undefined) parts.push(`rq ${s.recvQueue}`);
  if (s.lastCommitted !== undefined && s.lastCommitted >= 0) parts.push(`#${s.lastCommitted}`);
  return `${parts.join(' · ')}${stale ? ' (no report)' : ''}`;
}

/** Marks of one cluster: a badge per node, the summary on the floor, and the node an unfinished operation works on. */
export function galeraMarks(status: GaleraClusterStatus, ops: readonly Operation[]): { blocks: BlockMark[]; floors: FloorMark[] } {
  const blocks: BlockMark[] = status.nodes.map((n) => ({ id: n.serverId, kind: 'galera', text: nodeText(n.status, n.stale), tone: stateTone(n.status, n.stale) }));
  for (const op of ops) {
    if (op.cluster !== status.cluster || (op.state !== 'running' && op.state !== 'waiting')) continue;
    const step = op.steps.find((s) => s.state === 'running' || s.state === 'waiting');
    if (step?.serverId) blocks.push({ id: step.serverId, kind: 'galera-op', text: shorten(`${step.title}${step.detail ? ` · ${step.detail}` : ''}`, 48), tone: 'busy', ring: true });
  }
  const floors: FloorMark[] = [{ cluster: status.cluster, kind: 'galera', text: status.summary, tone: status.tone }];
  return { blocks, floors };
}


/** The latest status per Galera cluster and the latest Galera operation per cluster, as marks (the same object while they draw the same). */
export function useGaleraMarks(): { blocks: readonly BlockMark[]; floors: readonly FloorMark[]; statuses: readonly GaleraClusterStatus[] } {
  const [statuses, setStatuses] = useState<Record<string, GaleraClusterStatus>>({});
  const [ops, setOps] = useState<Record<string, Operation>>({});
  useEffect(() => onGaleraStatus((s) => setStatuses((cur) => ({ ...cur, [s.cluster]: s }))), []);
  useEffect(() => onOperation((o) => { if (o.kind.startsWith('galera.')) setOps((cur) => ({ ...cur, [o.cluster]: o })); }), []);
  const last = useRef<{ key: string; marks: { blocks: BlockMark[]; floors: FloorMark[] } }>();
  const list = useMemo(() => Object.values(statuses), [statuses]);
  const marks = useMemo(() => {
    const all = list.map((s) => galeraMarks(s, Object.values(ops)));
    const next = { blocks: all.flatMap((m) => m.blocks), floors: all.flatMap((m) => m.floors) };
    const key = JSON.stringify(next);
    if (last.current?.key !== key) last.current = { key, marks: next };
    return last.current.marks;
  }, [list, ops]);
  return { ...marks, statuses: list };
}
