/**
 * Gluster in the browser: the REST calls, the `gluster-status` frames the live socket streams
 * (and the snapshot's), and pure helpers for the diagram and the panel: a badge per server and
 * volume (bricks online, healing, split-brain), the cluster floor's summary, tooltip lines.
 */
import type { BrickView, GlusterClusterView, GlusterPlan, GlusterSettings, Operation } from '../../agent/protocol/types.js';
import { useEffect, useState } from 'preact/hooks';
import { call } from './api.js';
import type { BlockMark, FloorMark, Marks, Tone } from './canvas/marks.js';
import { topic } from './topic.js';

const at = (cluster: string, what: string) => `api/clusters/${encodeURIComponent(cluster)}/gluster${what}`;
export interface Started { plan: GlusterPlan; operation: Operation | null }
export const getGluster = (base: string, cluster: string) => call<GlusterClusterView>(base, 'GET', at(cluster, ''));
export const planGluster = (base: string, cluster: string) => call<GlusterPlan>(base, 'POST', at(cluster, '/plan'));
export const applyGluster = (base: string, cluster: string) => call<Started>(base, 'POST', at(cluster, '/apply'));
export const expandGluster = (base: string, cluster: string, volume: string, servers: string[]) => call<Started>(base, 'POST', at(cluster, '/expand'), { volume, servers });
export const replaceGluster = (base: string, cluster: string, from: string, to: string) => call<Started>(base, 'POST', at(cluster, '/replace'), { from, to });
export const removeGlusterPeer = (base: string, cluster: string, serverId: string) => call<Started>(base, 'POST', at(cluster, '/remove-peer'), { serverId });
export const resolveSplitBrain = (base: string, cluster: string, body: { volume: string; file: string; choice: string; brick?: string }) => call<Started>(base, 'POST', at(cluster, '/split-brain'), body);
export const saveGlusterRole = (base: string, cluster: string, gluster: GlusterSettings | null) => call<unknown>(base, 'PATCH', `api/clusters/${encodeURIComponent(cluster)}`, { gluster });

const views = topic<GlusterClusterView>();
/** The latest view per cluster: a panel that mounts after the snapshot still starts from it. */
const latest = new Map<string, GlusterClusterView>();
export function publishGluster(v: GlusterClusterView): void {
  latest.set(v.cluster, v);
  views.publish(v);
}
export const onGluster = views.on;

/** Every Gluster cluster's latest view, kept live (the same object while nothing changed). */
export function useGlusterViews(): Readonly<Record<string, GlusterClusterView>> {
  const [all, setAll] = useState<Record<string, GlusterClusterView>>(() => Object.fromEntries(latest));
  useEffect(() => onGluster((v) => setAll((cur) => ({ ...cur, [v.cluster]: v }))), []);
  return all;
}

export const SPLIT_BRAIN_CHOICES = [
  { value: 'bigger-file', label: 'keep the bigger copy' },
  { value: 'latest-mtime', label: 'keep the copy with the newest modification time' },
  { value: 'source-brick', label: 'keep the copy on one brick' },
] as const;

/** A brick's state in one word and a tone. */
export function brickState(b: BrickView): { text: string; tone: Tone } {
  if (!b.online) return { text: 'offline', tone: 'bad' };
  if (b.splitBrain) return { text: `${b.splitBrain} in split-brain`, tone: 'bad' };
  if (b.healPending) return { text: `${b.healPending} to heal`, tone: 'warn' };
  if ((b.usedPct ?? 0) >= 90) return { text: `${b.usedPct} % full`, tone: 'warn' };
  return { text: 'online', tone: 'ok' };
}

const SEVERITY: readonly Tone[] = ['ok', 'idle', 'warn', 'bad'];
const worst = (tones: Tone[]): Tone => tones.reduce((a, b) => (SEVERITY.indexOf(b) > SEVERITY.indexOf(a) ? b : a), 'ok' as Tone);

/** One badge per server and volume it holds bricks of: `vol0 ✓`, `vol0 offline`, `vol0 12 to heal`. */
export function brickMarks(v: GlusterClusterView): BlockMark[] {
  if (v.stale) return [];
  const out: BlockMark[] = [];
  for (const vol of v.volumes) {
    const byServer = new Map<string, BrickView[]>();
    for (const b of vol.bricks) if (b.serverId) byServer.set(b.serverId, [...(byServer.get(b.serverId) ?? []), b]);
    for (const [id, bricks] of byServer) {
      const states = bricks.map(brickState);
      const bad = states.filter((s) => s.tone !== 'ok');
      out.push({ id, kind: 'gluster-brick', text: bad.length ? `${vol.name} ${bad.map((s) => s.text).join(', ')}` : `${vol.name} ✓`, tone: worst(states.map((s) => s.tone)) });
    }
  }
  return out;
}

/** The cluster floor: each volume's summary, or what keeps it from having one. */
export function floorMarks(v: GlusterClusterView): FloorMark[] {
  if (v.stale || v.error || !v.volumes.length) return [{ cluster: v.cluster, kind: 'gluster-floor', text: v.summary.slice(0, 80), tone: v.error ? 'bad' : 'idle' }];
  return v.volumes.map((vol) => ({
    cluster: v.cluster, kind: 'gluster-floor', text: vol.summary.slice(0, 80),
    tone: vol.healthy ? 'ok' : worst(vol.bricks.map((b) => brickState(b).tone).concat(vol.started ? [] : ['bad'])),
  }));
}

export function glusterMarks(views: readonly GlusterClusterView[]): Marks {
  return { blocks: views.flatMap(brickMarks), links: [], floors: views.flatMap(floorMarks) };
}

const gb = (bytes: number | null) => (bytes === null ? '?' : `${(bytes / 1e9).toFixed(1)} GB`);

/** What the Gluster clusters say about `server`: one line per brick, for its tooltip. */
export function brickLines(views: readonly GlusterClusterView[], server: string): string[] {
  return views.flatMap((v) => v.volumes.flatMap((vol) => vol.bricks.filter((b) => b.serverId === server).map((b) =>
    `${vol.name} ${b.name.slice(b.name.indexOf(':/') + 1)}: ${brickState(b).text}${b.healPending !== null ? ` · ${b.healPending} to heal` : ''} · ${b.usedPct ?? '?'} % used, ${gb(b.sizeFree)} free`)));
}
