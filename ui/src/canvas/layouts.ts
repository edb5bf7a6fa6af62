/**
 * Where each server goes on the floor: circular (the default), grid, by region, by cluster, and
 * force-directed (d3-force). Pure and deterministic (sorted by id, which never changes), so a
 * rename moves nothing and the tests and renderer agree. Positions a user dragged win over all.
 *
 * Every layout keeps a cluster's members together (each server is drawn with its first cluster by
 * name, its "home"), so a cluster's floor covers its own members only, and keeps blocks at least
 * MIN_APART apart on both floor axes wherever two could meet diagonally: at that distance no two
 * blocks overlap on screen.
 */
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY } from 'd3-force';
import { FLOOR_MARGIN, PITCH, type Pt } from './geometry.js';

export const LAYOUTS = ['circular', 'grid', 'region', 'cluster', 'force'] as const;
export type LayoutKind = (typeof LAYOUTS)[number];

/** Two blocks whose centres are this far apart on the floor never overlap on screen, whatever the direction. */
export const MIN_APART = 3;

export interface LayoutServer { id: string; region: string }
export interface LayoutInput {
  servers: readonly LayoutServer[];
  connections: readonly { from: string; to: string }[];
  clusters: readonly { name: string; servers: readonly string[] }[];
  /** Positions a user placed by hand. */
  pinned?: Readonly<Record<string, Pt>>;
}

const byName = <T extends string>(a: T, b: T) => (a < b ? -1 : a > b ? 1 : 0);

/** Each server's home cluster: the first by name of those it is in. */
export function homeClusters(clusters: LayoutInput['clusters']): Map<string, string> {
  const home = new Map<string, string>();
  for (const c of [...clusters].sort((a, b) => byName(a.name, b.name))) for (const id of c.servers) if (!home.has(id)) home.set(id, c.name);
  return home;
}

/** `ids` (sorted) cut into runs by home cluster, clusters by name, servers in none last. */
function runs(ids: readonly string[], home: ReadonlyMap<string, string>): string[][] {
  const m = new Map<string, string[]>();
  for (const id of ids) {
    // "\uffff" sorts after every name: servers in no cluster come last.
    const k = home.get(id) ?? '\uffff';
    const list = m.get(k);
    if (list) list.push(id); else m.set(k, [id]);
  }
  return [...m].sort(([a], [b]) => byName(a, b)).map(([, v]) => v);
}

/**
 * Rows of at most `cols` servers on a square grid turned 45° on screen (the first row at the
 * top); each run starts a new row, with an empty row between runs when `gap` (floors then stand
 * well apart; without, neighbouring floors still cover only their own members). The grid's near
 * corner is at (ox, oy). Returns its size in rows and columns.
 */
function bands(groups: readonly string[][], cols: number, out: Map<string, Pt>, gap = true, ox = 0, oy = 0): { rows: number; cols: number } {
  const rows: (string[] | null)[] = [];
  for (const g of groups) {
    if (!g.length) continue;
    if (rows.length && gap) rows.push(null);
    for (let i = 0; i < g.length; i += cols) rows.push(g.slice(i, i + cols));
  }
  const used = Math.max(1, ...rows.map((r) => r?.length ?? 0));
  rows.forEach((row, r) => row?.forEach((id, c) => out.set(id, { x: ox + (rows.length - 1 - r) * PITCH, y: oy + (used - 1 - c) * PITCH })));
  return { rows: rows.length, cols: used };
}

/** Columns for bands of these runs that make them about square (no more rows than columns). */
function squareCols(groups: readonly string[][], gap = true): number {
  const n = groups.reduce((s, g) => s + g.length, 0);
  for (let cols = Math.max(1, Math.ceil(Math.sqrt(n))); ; cols++) {
    const rows = groups.reduce((s, g) => s + Math.ceil(g.length / cols), 0) + (gap ? Math.max(0, groups.filter((g) => g.length).length - 1) : 0);
    if (rows <= cols) return cols;
  }
}

const GROUP_GAP = 2;

/** Positions on the floor grid, from (0, 0) up, and their extent in rows (x) and columns (y). */
interface Block { local: Map<string, Pt>; rows: number; cols: number }

/** Runs as one about square grid, each run starting a row. */
function square(cut: string[][]): Block {
  const local = new Map<string, Pt>();
  return { local, ...bands(cut, squareCols(cut, false), local, false) };
}

/**
 * Blocks packed on shelves in the screen's own directions (a: screen-right, b: screen-down; world
 * x = a − b, y = −a − b, in pitches), each moved along its shelf until its box on the world axes
 * stays GROUP_GAP pitches clear of every block placed before it. Returns the packing as one block.
 */
function pack(blocks: readonly Block[]): Block {
  const boxes: { x0: number; y0: number; x1: number; y1: number }[] = [];
  const out = new Map<string, Pt>();
  const area = blocks.reduce((n, g) => n + (g.rows + GROUP_GAP) * (g.cols + GROUP_GAP), 0);
  const rowWidth = Math.max(...blocks.map((g) => (g.rows + g.cols) / 2), Math.sqrt(area) * 1.1);
  let a0 = 0, b0 = 0, depth = 0;
  for (const g of blocks) {
    const h = (g.rows + g.cols - 2) / 2;
    if (a0 > 0 && a0 + (g.rows + g.cols - 2) / 2 > rowWidth) { b0 += depth + GROUP_GAP; a0 = 0; depth = 0; }
    // Its own a runs from −(cols−1)/2 to (rows−1)/2 and b from −h to 0: its top-left goes to (a0, b0), then right until clear.
    let sa = a0 + (g.cols - 1) / 2, sb = b0 + h, box;
    for (;;) {
      const dx = sa - sb, dy = -sa - sb;
      box = { x0: dx, y0: dy, x1: dx + g.rows - 1, y1: dy + g.cols - 1 };
      const b = box;
      if (!boxes.some((o) => b.x0 < o.x1 + GROUP_GAP && o.x0 < b.x1 + GROUP_GAP && b.y0 < o.y1 + GROUP_GAP && o.y0 < b.y1 + GROUP_GAP)) break;
      sa += 0.5;
    }
    boxes.push(box);
    for (const [id, p] of g.local) out.set(id, { x: p.x + box.x0 * PITCH, y: p.y + box.y0 * PITCH });
    a0 = sa - (g.cols - 1) / 2 + (g.rows + g.cols - 2) / 2 + GROUP_GAP;
    depth = Math.max(depth, h);
  }
  // As a block of its own: moved to start at (0, 0).
  const minX = Math.min(...boxes.map((b) => b.x0)), minY = Math.min(...boxes.map((b) => b.y0));
  for (const [id, p] of out) out.set(id, { x: p.x - minX * PITCH, y: p.y - minY * PITCH });
  return { local: out, rows: Math.max(...boxes.map((b) => b.x1)) - minX + 1, cols: Math.max(...boxes.map((b) => b.y1)) - minY + 1 };
}

/** Named groups (regions, clusters) packed, each an about square grid of its clusters' rows. */
function groups(named: Map<string, string[]>, home: ReadonlyMap<string, string>, out: Map<string, Pt>): void {
  const list = [...named].sort(([a], [b]) => byName(a, b)).map(([, ids]) => square(runs(ids, home)));
  for (const [id, p] of pack(list).local) out.set(id, p);
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

/**
 * Circular: each cluster as a small grid and every other server alone, around one ring (up to
 * 24 of them) or on concentric rings filling a disk (a single ring of 50,000 would be a thin
 * circle kilometres wide). Each item has a radius that holds its floor; neighbours keep a gap.
 */
function circular(ids: readonly string[], home: ReadonlyMap<string, string>, out: Map<string, Pt>): void {
  const GAP = 0.6;
  const items = runs(ids, home).flatMap((run) => (home.has(run[0]!) ? [run] : run.map((id) => [id])));
  const placed = items.map((run) => {
    const local = new Map<string, Pt>();
    const { rows, cols } = bands([run], squareCols([run]), local);
    const half = (Math.max(rows, cols) - 1) * PITCH / 2;
    const r = run.length === 1 && !home.has(run[0]!) ? MIN_APART / 2 : (half + FLOOR_MARGIN) * Math.SQRT2;
    // Centre the item's grid on its own origin.
    const cx = ((rows - 1) * PITCH) / 2, cy = ((cols - 1) * PITCH) / 2;
    return { r, local: [...local].map(([id, p]) => [id, { x: p.x - cx, y: p.y - cy }] as const) };
  });
  const put = (i: number, x: number, y: number) => { for (const [id, p] of placed[i]!.local) out.set(id, { x: x + p.x, y: y + p.y }); };
  if (placed.length === 1) { put(0, 0, 0); return; }
  if (placed.length <= 24) {
    // One ring: each item takes an arc of its diameter plus the gap; grow the ring until neighbours clear each other.
    let R = Math.max(PITCH, placed.reduce((s, p) => s + 2 * p.r + GAP, 0) / (2 * Math.PI), ...placed.map((p) => p.r + GAP));
    const angles = (radius: number) => {
      const arcs = placed.map((p) => (2 * p.r + GAP) / radius);
      const spare = (2 * Math.PI - arcs.reduce((a, b) => a + b, 0)) / placed.length;
      let a = -Math.PI / 4;
      return arcs.map((w) => { const mid = a + (w + spare) / 2; a += w + spare; return mid; });
    };
    for (let k = 0; k < 100; k++) {
      const at = angles(R);
      const clear = at.every((a, i) => {
        const j = (i + 1) % at.length, b = at[j]!;
        return 2 * R * Math.abs(Math.sin((b - a) / 2)) >= placed[i]!.r + placed[j]!.r + GAP / 2;
      });
      if (clear) break;
      R *= 1.08;
    }
    angles(R).forEach((a, i) => put(i, R * Math.cos(a), R * Math.sin(a)));
    return;
  }
  // Concentric rings: the first item in the middle, then rings as far out as their widest items need.
  put(0, 0, 0);
  let i = 1, R = 0, prevR = placed[0]!.r;
  while (i < placed.length) {
    const ringR = Math.max(...placed.slice(i, i + 8).map((p) => p.r));
    R += prevR + ringR + GAP;
    const circumference = 2 * Math.PI * R;
    const start = i;
    let used = 0;
    while (i < placed.length && used + 2 * placed[i]!.r + GAP <= circumference) used += 2 * placed[i++]!.r + GAP;
    if (i === start) i++; // one item wider than the ring: it still goes here
    const spare = (circumference - used) / (i - start);
    let a = 0;
    for (let j = start; j < i; j++) {
      const w = 2 * placed[j]!.r + GAP + spare;
      put(j, R * Math.cos((a + w / 2) / R), R * Math.sin((a + w / 2) / R));
      a += w;
    }
    prevR = Math.max(...placed.slice(start, i).map((p) => p.r));
  }
}

/**
 * Pushes apart any two servers closer than MIN_APART (d3's collision force is soft), a few
 * rounds over a grid of cells; then, if any pair is still too close, spreads the whole layout.
 */
function separate(nodes: { x: number; y: number }[]): void {
  const cell = MIN_APART;
  const pairs = () => {
    const grid = new Map<string, number[]>();
    nodes.forEach((n, i) => {
      const k = `${Math.floor(n.x / cell)},${Math.floor(n.y / cell)}`;
      const list = grid.get(k);
      if (list) list.push(i); else grid.set(k, [i]);
    });
    const out: [number, number, number][] = [];
    nodes.forEach((n, i) => {
      const cx = Math.floor(n.x / cell), cy = Math.floor(n.y / cell);
      for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
        for (const j of grid.get(`${cx + dx},${cy + dy}`) ?? []) {
          if (j <= i) continue;
          const d = Math.hypot(nodes[j]!.x - n.x, nodes[j]!.y - n.y);
          if (d < MIN_APART) out.push([i, j, d]);
        }
      }
    });
    return out;
  };
  for (let round = 0; round < 40; round++) {
    const close = pairs();
    if (!close.length) return;
    for (const [i, j, d] of close) {
      const a = nodes[i]!, b = nodes[j]!;
      // Same spot: part them along a direction fixed by their indices (deterministic).
      const ux = d > 1e-9 ? (b.x - a.x) / d : Math.cos(i * 2.399), uy = d > 1e-9 ? (b.y - a.y) / d : Math.sin(i * 2.399);
      const push = (MIN_APART - d) / 2 + 0.01;
      a.x -= ux * push; a.y -= uy * push; b.x += ux * push; b.y += uy * push;
    }
  }
  const min = Math.min(...pairs().map(([, , d]) => d));
  if (Number.isFinite(min) && min > 1e-6) for (const n of nodes) { n.x *= MIN_APART / min; n.y *= MIN_APART / min; }
}

/** d3-force from the grid: linked servers and cluster members pull together, all push apart, none overlap. */
function force(input: LayoutInput, home: ReadonlyMap<string, string>, out: Map<string, Pt>): void {
  const sorted = [...input.servers].sort((a, b) => byName(a.id, b.id)).map((s) => s.id);
  const start = new Map<string, Pt>();
  bands(runs(sorted, home), squareCols(runs(sorted, home)), start);
  const ids = [...start.keys()];
  const nodes = ids.map((id) => ({ id, ...start.get(id)! }));
  const known = new Set(ids);
  const links = input.connections.filter((c) => known.has(c.from) && known.has(c.to)).map((c) => ({ source: c.from, target: c.to, strength: 0.3 }));
  // A cluster's members hold hands in a ring around its first member: they end up together, so its
  // floor covers only them.
  for (const run of runs(sorted, home)) {
    if (run.length < 2 || !home.has(run[0]!)) continue;
    run.forEach((id, i) => {
      if (run.length > 2 || i === 0) links.push({ source: id, target: run[(i + 1) % run.length]!, strength: 1 });
      if (i > 1) links.push({ source: run[0]!, target: id, strength: 0.5 });
    });
  }
  const sim = forceSimulation(nodes)
    .force('link', forceLink<typeof nodes[number], { source: string; target: string; strength: number }>(links).id((d) => d.id).distance(PITCH * 1.4).strength((l) => l.strength))
    .force('charge', forceManyBody().strength(-2).distanceMax(PITCH * 6))
    .force('collide', forceCollide(MIN_APART / 2 + 0.05))
    // Keeps stray servers (no links) near the middle instead of drifting off the view.
    .force('x', forceX(0).strength(0.12))
    .force('y', forceY(0).strength(0.12))
    .stop();
  // Bounded work: fewer ticks for big fleets (each tick is O(n log n)).
  sim.tick(Math.max(20, Math.min(300, Math.round(300_000 / Math.max(1, nodes.length)))));
  if (nodes.length <= 5000) separate(nodes);
  for (const n of nodes) out.set(n.id, { x: n.x, y: n.y });
}

export function layout(kind: LayoutKind, input: LayoutInput): Map<string, Pt> {
  const out = new Map<string, Pt>();
  const sorted = [...input.servers].sort((a, b) => byName(a.id, b.id));
  const ids = sorted.map((s) => s.id);
  const home = homeClusters(input.clusters);
  switch (kind) {
    case 'grid': { const cut = runs(ids, home); bands(cut, squareCols(cut), out); break; }
    case 'circular': circular(ids, home, out); break;
    case 'region': groups(groupBy(sorted, (s) => s.region || '(no region)'), home, out); break;
    // "\uffff" sorts after names, so servers in no cluster come last.
    case 'cluster': groups(groupBy(sorted, (s) => home.get(s.id) ?? '\uffff'), home, out); break;
    case 'force': force(input, home, out); break;
  }
  for (const [id, p] of Object.entries(input.pinned ?? {})) if (out.has(id)) out.set(id, { x: p.x, y: p.y });
  return out;
}
