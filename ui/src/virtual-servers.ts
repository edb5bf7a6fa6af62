/**
 * Virtual servers (Virtualmin domains placed on clusters) on the diagram and in their panel: which
 * clusters serve which, a count badge on each cluster's floor, and a search by domain. Pure
 * functions over the live model.
 */
import type { VirtualServer } from '../../agent/protocol/types.js';
import { clustersOfVirtualServer as clustersOf } from '../../agent/protocol/virtual-servers.js';
import type { FloorMark, Marks, Tone } from './canvas/marks.js';

export { clustersOf };

const byDomain = (a: VirtualServer, b: VirtualServer) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0);

/** Each cluster's virtual servers, sorted by domain. */
export function byCluster(all: Iterable<VirtualServer>): Map<string, VirtualServer[]> {
  const out = new Map<string, VirtualServer[]>();
  for (const v of all) for (const c of clustersOf(v)) out.set(c, [...(out.get(c) ?? []), v]);
  for (const list of out.values()) list.sort(byDomain);
  return out;
}

/**
 * Its parts on `cluster` (or all), each with what it is there: "web", "database shop · user shop",
 * "files www/shop.example.com"; on the web cluster that mounts its files, "files mounted at PATH".
 */
export function partsOn(v: VirtualServer, cluster?: string): { part: 'web' | 'database' | 'files'; status: string; label: string; error?: string }[] {
  const out: ReturnType<typeof partsOn> = [];
  const add = (part: 'web' | 'database' | 'files', p: { status: string; error?: string }, label: string) => out.push({ part, status: p.status, label, ...(p.error ? { error: p.error } : {}) });
  const on = (c: string) => !cluster || c === cluster;
  if (v.web && on(v.web.cluster)) add('web', v.web, 'web');
  if (v.database && on(v.database.cluster)) add('database', v.database, `database ${v.database.name} · user ${v.database.user}`);
  const f = v.files;
  if (f && on(f.cluster)) add('files', f, `files ${f.volume}/${f.directory}`);
  else if (f && f.webCluster === cluster) add('files', f, `files mounted at ${f.mountPath}`);
  return out;
}

/** The worst part state of a group: failed, then pending, else fine. */
function toneOf(list: readonly VirtualServer[]): Tone {
  const states = list.flatMap((v) => partsOn(v).map((p) => p.status));
  return states.includes('failed') ? 'bad' : states.includes('pending') ? 'warn' : 'idle';
}

/** A badge on every cluster floor that serves virtual servers: how many; blue on the clusters of `highlight`. */
export function floorMarks(groups: ReadonlyMap<string, readonly VirtualServer[]>, highlight?: VirtualServer): Marks {
  const lit = new Set(highlight ? clustersOf(highlight) : []);
  const floors: FloorMark[] = [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([cluster, list]) => ({
    cluster, kind: 'virtual-servers', text: `${list.length} virtual server${list.length === 1 ? '' : 's'}`,
    tone: lit.has(cluster) ? 'busy' : toneOf(list),
  }));
  return { blocks: [], links: [], floors };
}

/**
 * Virtual servers whose domain or an alias contains `query` (any case), the closest first: an
 * exact name, then domains that start with it, then aliases that do, then the rest; at most `limit`.
 */
export function searchVirtualServers(all: Iterable<VirtualServer>, query: string, limit = 50): VirtualServer[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const rank = (v: VirtualServer) => {
    const names = [v.domain, ...v.aliases];
    if (names.includes(q)) return 0;
    if (v.domain.startsWith(q)) return 1;
    if (v.aliases.some((n) => n.startsWith(q))) return 2;
    return names.some((n) => n.includes(q)) ? 3 : -1;
  };
  return [...all].map((v) => ({ v, r: rank(v) })).filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || byDomain(a.v, b.v)).slice(0, limit).map((x) => x.v);
}
