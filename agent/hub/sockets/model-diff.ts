/** What changed between two views of the model, by identity: model changes keep unchanged objects. */
import type { Cluster, Connection, Server } from '../../protocol/types.js';
import type { View } from '../auth/acl.js';

export interface ModelDiff {
  servers?: Server[];
  connections?: Connection[];
  clusters?: Cluster[];
  removed?: { servers?: string[]; connections?: string[]; clusters?: string[] };
}

export function diffBy<T>(prev: readonly T[], next: readonly T[], key: (t: T) => string): { upserts: T[]; removed: string[] } {
  if (prev === next) return { upserts: [], removed: [] };
  const before = new Map(prev.map((t) => [key(t), t]));
  const upserts: T[] = [];
  for (const t of next) {
    const k = key(t);
    if (before.get(k) !== t) upserts.push(t);
    before.delete(k);
  }
  return { upserts, removed: [...before.keys()] };
}

export function diffViews(prev: View, next: View): ModelDiff {
  const out: ModelDiff = {};
  const removed: NonNullable<ModelDiff['removed']> = {};
  const s = diffBy(prev.servers, next.servers, (x) => x.id);
  const c = diffBy(prev.connections, next.connections, (x) => x.id);
  const k = diffBy(prev.clusters, next.clusters, (x) => x.name);
  if (s.upserts.length) out.servers = s.upserts;
  if (c.upserts.length) out.connections = c.upserts;
  if (k.upserts.length) out.clusters = k.upserts;
  if (s.removed.length) removed.servers = s.removed;
  if (c.removed.length) removed.connections = c.removed;
  if (k.removed.length) removed.clusters = k.removed;
  if (Object.keys(removed).length) out.removed = removed;
  return out;
}
