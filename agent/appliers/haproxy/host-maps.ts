/**
 * Host rules as HAProxy maps: one map file per http frontend (host → backend), read by a single
 * `use_backend %[…,map(FILE)]` line. Adding, rerouting or removing a host then changes the map
 * through the runtime API (`add map`, `set map`, `del map`): no reload, no dropped request; the
 * file says the same so a later reload keeps it. A host the map lacks goes to the frontend's
 * default backend.
 */
import type { DesiredFrontend, HaproxyDesired } from '../../protocol/types.js';
import { DISABLED_BACKEND } from '../../protocol/lb.js';
import { MANAGED_MARK } from './render.js';

export interface HostMapFile { frontend: string; path: string; text: string }

export type MapOp =
  | { op: 'route'; frontend: string; map: string; host: string; backend: string }
  | { op: 'reroute'; frontend: string; map: string; host: string; backend: string; from: string }
  | { op: 'unroute'; frontend: string; map: string; host: string };

/** Frontends that route by host: every http one (a tcp frontend sees no Host header). */
export const routesByHost = (f: DesiredFrontend) => (f.mode ?? 'http') === 'http';

/** The map's entries: host names lower-cased (the lookup lower-cases the header), the first rule for a host wins. */
export function hostEntries(f: DesiredFrontend): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of f.hostRules ?? []) {
    const host = r.host.toLowerCase();
    if (!out.has(host)) out.set(host, r.backend);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Every http frontend's map file (sorted by host, so the same rules give the same bytes). */
export function hostMapFiles(cluster: string, d: HaproxyDesired, pathOf: (frontend: string) => string): HostMapFile[] {
  const backends = new Set([...d.backends.map((b) => b.name), DISABLED_BACKEND]);
  return d.frontends.filter(routesByHost).map((f) => {
    const lines = [`${MANAGED_MARK} (cluster ${cluster}, frontend ${f.name}): host backend`];
    for (const [host, backend] of hostEntries(f)) {
      // HAProxy cannot check a backend named at runtime: a missing one would silently fall through.
      if (!backends.has(backend)) throw new Error(`frontend ${f.name}: host ${host} routes to backend ${backend}, which is not defined`);
      lines.push(`${host} ${backend}`);
    }
    return { frontend: f.name, path: pathOf(f.name), text: lines.join('\n') + '\n' };
  });
}

/** A map file's entries (comments and blank lines skipped). */
export function parseHostMap(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const [host, backend] = t.split(/\s+/);
    if (host && backend && !out.has(host)) out.set(host, backend);
  }
  return out;
}

/** The runtime steps from the maps on disk (`current`, by path) to `next`. */
export function planHostMaps(current: ReadonlyMap<string, string>, next: readonly HostMapFile[]): MapOp[] {
  const ops: MapOp[] = [];
  for (const m of next) {
    const before = parseHostMap(current.get(m.path) ?? '');
    const after = parseHostMap(m.text);
    for (const [host, backend] of after) {
      const from = before.get(host);
      if (from === undefined) ops.push({ op: 'route', frontend: m.frontend, map: m.path, host, backend });
      else if (from !== backend) ops.push({ op: 'reroute', frontend: m.frontend, map: m.path, host, backend, from });
    }
    for (const host of before.keys()) if (!after.has(host)) ops.push({ op: 'unroute', frontend: m.frontend, map: m.path, host });
  }
  return ops;
}

/** One line per step, as the plan shows it. */
export function describeMapOp(o: MapOp): string {
  switch (o.op) {
    case 'route': return `route ${o.host} to backend ${o.backend} (frontend ${o.frontend})`;
    case 'reroute': return `route ${o.host} to backend ${o.backend} instead of ${o.from} (frontend ${o.frontend})`;
    case 'unroute': return `stop routing ${o.host} (frontend ${o.frontend})`;
  }
}

/** The runtime API command of a step. */
export function mapCommand(o: MapOp): string {
  switch (o.op) {
    case 'route': return `add map ${o.map} ${o.host} ${o.backend}`;
    case 'reroute': return `set map ${o.map} ${o.host} ${o.backend}`;
    case 'unroute': return `del map ${o.map} ${o.host}`;
  }
}

/** `show map FILE` as entries: each line is `0xPTR key value`. */
export function parseShowMap(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^0x[0-9a-f]+\s+(\S+)\s+(\S+)\s*$/.exec(line.trim());
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

/** Most changed hosts a plan's diff lists per map (a cluster's first plan may route thousands). */
const MAX_DIFF_LINES = 200;

/**
 * A diff of two map files, entry by entry (both are sorted, so this is linear where a line
 * diff of thousands of hosts would not be). Empty when equal.
 */
export function hostMapDiff(before: string, after: string, name: string): string {
  const a = parseHostMap(before);
  const b = parseHostMap(after);
  const lines: string[] = [];
  for (const [host, backend] of a) if (b.get(host) !== backend) lines.push(`-${host} ${backend}`);
  for (const [host, backend] of b) if (a.get(host) !== backend) lines.push(`+${host} ${backend}`);
  if (!lines.length) return '';
  const shown = lines.slice(0, MAX_DIFF_LINES);
  if (lines.length > shown.length) shown.push(`# … and ${lines.length - shown.length} more changed entries`);
  return [`--- ${name}`, `+++ ${name}`, `@@ host map @@`, ...shown].join('\n') + '\n';
}
