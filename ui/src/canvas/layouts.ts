/**
 * Where each server goes on the floor: circular (the default), grid, by region, by cluster, and
 * force-directed (d3-force). Pure and deterministic (sorted by id, which never changes), so a
 * rename moves nothing and the tests and renderer agree. Positions a user dragged win over all.
 */
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY } from 'd3-force';
import { PITCH, type Pt } from './geometry.js';

export const LAYOUTS = ['circular', 'grid', 'region', 'cluster', 'force'] as const;
export type LayoutKind = (typeof LAYOUTS)[number];

export interface LayoutServer { id: string; region: string }
export interface LayoutInput {
  servers: readonly LayoutServer[];
  connections: readonly { from: string; to: string }[];
  clusters: readonly { name: string; servers: readonly string[] }[];
  /** Positions a user placed by hand. */
  pinned?: Readonly<Record<string, Pt>>;
}

const byId = (a: LayoutServer, b: LayoutServer) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** `ids` on a square grid turned 45° on screen, the first at the top; the grid's near corner at (ox, oy). */
function grid(ids: readonly string[], out: Map<string, Pt>, ox = 0, oy = 0): number {
  const cols = Math.max(1, Math.ceil(Math.sqrt(ids.length)));
  const rows = Math.max(1, Math.ceil(ids.length / cols));
  ids.forEach((id, i) => out.set(id, { x: ox + (rows - 1 - Math.floor(i / cols)) * PITCH, y: oy + (cols - 1 - (i % cols)) * PITCH }));
  return cols;
}

/**
 * One ring for a small fleet; concentric rings filling a disk for a large one (a single ring of
 * 50,000 would be a thin circle kilometres wide).
 */
function circular(ids: readonly string[], out: Map<string, Pt>): void {
  const n = ids.length;
  if (n === 1) { out.set(ids[0]!, { x: 0, y: 0 }); return; }
  if (n <= 24) {
    const r = Math.max(PITCH, (n * PITCH) / (2 * Math.PI));
    ids.forEach((id, i) => {
      const a = (2 * Math.PI * i) / n - Math.PI / 4;
      out.set(id, { x: r * Math.cos(a), y: r * Math.sin(a) });
    });
    return;
  }
  let i = 0;
  if (n) out.set(ids[i++]!, { x: 0, y: 0 });
  for (let ring = 1; i < n; ring++) {
    const r = ring * PITCH;
    const cap = Math.min(n - i, Math.floor((2 * Math.PI * r) / PITCH));
    for (let j = 0; j < cap; j++, i++) {
      const a = (2 * Math.PI * j) / cap;
      out.set(ids[i]!, { x: r * Math.cos(a), y: r * Math.sin(a) });
    }
  }
}

/** Groups, each a grid, packed in rows along screen-right; a gap of one pitch between groups. */
function groups(named: Map<string, string[]>, out: Map<string, Pt>): void {
  const list = [...named].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const total = list.reduce((n, [, ids]) => n + Math.ceil(Math.sqrt(ids.length)) ** 2, 0);
  const rowWidth = Math.ceil(Math.sqrt(total)) * 1.5;
  let col = 0, row = 0, rowDepth = 0;
  for (const [, ids] of list) {
    const side = Math.ceil(Math.sqrt(ids.length));
    if (col > 0 && col + side > rowWidth) { row += rowDepth + 1; col = 0; rowDepth = 0; }
    // Screen-right is world (+x, -y); screen-down is (-x, -y).
    grid(ids, out, (col - row) * PITCH, (-col - row) * PITCH);
    col += side + 1;
    rowDepth = Math.max(rowDepth, side);
  }
}

function groupBy(servers: readonly LayoutServer[], key: (s: LayoutServer) => string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const s of servers) {
    const k = key(s);
    const list = m.get(k);
    if (list) list.push(s.id); else m.set(k, [s.id]);
  }
  return m;
}

/** d3-force from the grid: linked servers pull together, all push apart, none overlap. */
function force(input: LayoutInput, out: Map<string, Pt>): void {
  const ids = [...input.servers].sort(byId).map((s) => s.id);
  const start = new Map<string, Pt>();
  grid(ids, start);
  const nodes = ids.map((id) => ({ id, ...start.get(id)! }));
  const known = new Set(ids);
  const links = input.connections.filter((c) => known.has(c.from) && known.has(c.to)).map((c) => ({ source: c.from, target: c.to }));
  const sim = forceSimulation(nodes)
    .force('link', forceLink<typeof nodes[number], { source: string; target: string }>(links).id((d) => d.id).distance(PITCH * 1.6))
    .force('charge', forceManyBody().strength(-4).distanceMax(PITCH * 12))
    .force('collide', forceCollide(PITCH / 2))
    .force('x', forceX(0).strength(0.02))
    .force('y', forceY(0).strength(0.02))
    .stop();
  // Bounded work: fewer ticks for big fleets (each tick is O(n log n)).
  sim.tick(Math.max(20, Math.min(300, Math.round(300_000 / Math.max(1, nodes.length)))));
  for (const n of nodes) out.set(n.id, { x: n.x, y: n.y });
}

export function layout(kind: LayoutKind, input: LayoutInput): Map<string, Pt> {
  const out = new Map<string, Pt>();
  const sorted = [...input.servers].sort(byId);
  switch (kind) {
    case 'grid': grid(sorted.map((s) => s.id), out); break;
    case 'circular': circular(sorted.map((s) => s.id), out); break;
    case 'region': groups(groupBy(sorted, (s) => s.region || '(no region)'), out); break;
    case 'cluster': {
      const first = new Map<string, string>();
      for (const c of [...input.clusters].sort((a, b) => (a.name < b.name ? -1 : 1))) for (const id of c.servers) if (!first.has(id)) first.set(id, c.name);
      // "~" sorts after names, so servers in no cluster come last.
      groups(groupBy(sorted, (s) => first.get(s.id) ?? '~'), out);
      break;
    }
    case 'force': force(input, out); break;
  }
  for (const [id, p] of Object.entries(input.pinned ?? {})) if (out.has(id)) out.set(id, { x: p.x, y: p.y });
  return out;
}
