/**
 * Marks over the diagram: labelled badges above a few blocks (the node holding a floating IP, a
 * node's progress while a plan is applied, with a ring on its plate), badges on a few cluster
 * floors (how many virtual servers a cluster serves) and states on a few connections (a load
 * balancer's backend servers). They are drawn after the tiles every frame,
 * never into the cached tiles or the far layer: few servers carry marks, so drawing them is cheap,
 * and a mark that changes costs one frame instead of re-rendered tiles.
 *
 * A link mark between two servers that have a connection line colours that line; without one
 * (a backend server that comes from cluster membership, not from a drawn connection) it draws a
 * dashed line of its own.
 */
import { HEIGHT, PLATE_H, REACH, SIZE, type Transform, toScreen } from './geometry.js';
import type { Scene } from './scene.js';

export const TONES = { ok: '#2e7d32', warn: '#e65100', bad: '#c62828', busy: '#1565c0', idle: '#546e7a', vip: '#6a1b9a' } as const;
export type Tone = keyof typeof TONES;

/** A badge above a block; badges of one block stack upwards in the order given. */
export interface BlockMark { id: string; kind: string; text: string; tone: Tone; ring?: boolean }
/** A state on the line from one server to another. */
export interface LinkMark { from: string; to: string; text: string; tone: Tone }
/** A badge on a cluster's floor, in its front corner (a Galera cluster's `Primary 3/3`, a volume's `vol0 3/3 healthy`, its virtual servers); badges of one floor stack upwards. */
export interface FloorMark { cluster: string; kind: string; text: string; tone: Tone }
export interface Marks { blocks: readonly BlockMark[]; links: readonly LinkMark[]; floors?: readonly FloorMark[] }
export const NO_MARKS: Marks = { blocks: [], links: [] };

/** Several features' marks as one set (the order is the stacking order of badges). */
export function mergeMarks(...all: readonly (Marks | undefined)[]): Marks {
  const used = all.filter((m): m is Marks => !!m && (m.blocks.length > 0 || m.links.length > 0 || (m.floors?.length ?? 0) > 0));
  if (used.length <= 1) return used[0] ?? NO_MARKS;
  return { blocks: used.flatMap((m) => m.blocks), links: used.flatMap((m) => m.links), floors: used.flatMap((m) => m.floors ?? []) };
}

/**
 * What a frame drew, in CSS pixels from the canvas' top-left corner (the badge's or the label's
 * centre), for tests; a floor badge's `id` is its cluster's name.
 */
export type DrawnMark =
  | { kind: string; id: string; text: string; tone: Tone; x: number; y: number }
  | { kind: string; cluster: string; text: string; tone: Tone; x: number; y: number }
  | { kind: 'link'; from: string; to: string; text: string; tone: Tone; line: 'drawn' | 'implicit'; x: number; y: number };

/** Link labels only this close (CSS pixels per world unit); the coloured lines at any zoom. */
const LINK_LABEL_K = 10;
/** Where a link's label sits, from its first end (near the load balancer: its view of that server). */
const LABEL_AT = 0.42;
const BADGE_H = 18;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
const TOP = PLATE_H + HEIGHT;

export interface ResolvedLink { a: number; b: number; mark: LinkMark; drawn: boolean }

/** Link marks whose two servers are in the scene, with whether a connection line joins them (either way). */
export function resolveLinks(s: Scene, links: readonly LinkMark[]): ResolvedLink[] {
  if (!links.length) return [];
  const lines = new Set<number>();
  for (let j = 0; j < s.linkIds.length; j++) lines.add(s.linkA[j]! * s.n + s.linkB[j]!).add(s.linkB[j]! * s.n + s.linkA[j]!);
  const out: ResolvedLink[] = [];
  for (const mark of links) {
    const a = s.index.get(mark.from), b = s.index.get(mark.to);
    if (a !== undefined && b !== undefined && a !== b) out.push({ a, b, mark, drawn: lines.has(a * s.n + b) });
  }
  return out;
}

/** The part of the floor segment from (ax, ay) to (bx, by) outside both blocks' plates, as [u0, u1] along it. */
export function outsidePlates(ax: number, ay: number, bx: number, by: number): [number, number] | undefined {
  const d = Math.max(Math.abs(bx - ax), Math.abs(by - ay));
  const u = d ? REACH / d : 1;
  return u < 0.5 ? [u, 1 - u] : undefined;
}

/** Keeps what `draw` needs between frames: link marks resolved against the scene they were resolved for. */
export class MarkLayer {
  private marks: Marks = NO_MARKS;
  private resolved: { scene: Scene; links: ResolvedLink[] } | undefined;

  set(marks: Marks): void {
    this.marks = marks;
    this.resolved = undefined;
  }

  /** Draws the marks on screen (w × h CSS pixels) under `t`; returns what it drew. */
  draw(c: CanvasRenderingContext2D, t: Transform, s: Scene, w: number, h: number): DrawnMark[] {
    const out: DrawnMark[] = [];
    const floors = this.marks.floors ?? [];
    if (!this.marks.blocks.length && !this.marks.links.length && !floors.length) return out;
    if (this.resolved?.scene !== s) this.resolved = { scene: s, links: resolveLinks(s, this.marks.links) };
    const onScreen = (x: number, y: number, m: number) => x > -m && x < w + m && y > -m && y < h + m;
    c.save();
    c.font = `600 11px ${FONT}`;
    c.textAlign = 'center';
    c.textBaseline = 'middle';

    // Links first, so badges stay readable over them.
    for (const { a, b, mark, drawn } of this.resolved.links) {
      const ax = s.x[a]!, ay = s.y[a]!, bx = s.x[b]!, by = s.y[b]!;
      const part = outsidePlates(ax, ay, bx, by);
      if (!part) continue;
      const at = (u: number) => toScreen(t, ax + (bx - ax) * u, ay + (by - ay) * u);
      const p0 = at(part[0]), p1 = at(part[1]), mid = at(LABEL_AT);
      if (!onScreen(mid.x, mid.y, Math.hypot(p1.x - p0.x, p1.y - p0.y))) continue;
      c.save();
      // The two blocks stand in front of the line where it passes behind them.
      c.beginPath();
      c.rect(0, 0, w, h);
      silhouette(c, t, ax, ay);
      silhouette(c, t, bx, by);
      c.clip('evenodd');
      c.beginPath();
      c.moveTo(p0.x, p0.y);
      c.lineTo(p1.x, p1.y);
      c.strokeStyle = TONES[mark.tone];
      c.lineWidth = drawn ? 2.5 : 2;
      c.setLineDash(drawn ? [] : [6, 4]);
      c.stroke();
      c.restore();
      if (t.k >= LINK_LABEL_K) pill(c, mark.text, mark.tone, mid.x, mid.y);
      out.push({ kind: 'link', from: mark.from, to: mark.to, text: mark.text, tone: mark.tone, line: drawn ? 'drawn' : 'implicit', x: Math.round(mid.x), y: Math.round(mid.y) });
    }

    // Floor badges before block badges: a block standing near the corner keeps its own on top.
    const onFloor = new Map<string, number>();
    for (const mark of floors) {
      const a = s.clusters.find((c) => c.name === mark.cluster);
      if (!a) continue;
      const corner = toScreen(t, a.minX, a.minY);
      const n = onFloor.get(mark.cluster) ?? 0;
      onFloor.set(mark.cluster, n + 1);
      const cy = corner.y - 4 - BADGE_H / 2 - n * (BADGE_H + 3);
      if (!onScreen(corner.x, cy, 200)) continue;
      pill(c, mark.text, mark.tone, corner.x, cy);
      out.push({ kind: mark.kind, id: mark.cluster, text: mark.text, tone: mark.tone, x: Math.round(corner.x), y: Math.round(cy) });
    }

    const stacked = new Map<number, number>();
    for (const mark of this.marks.blocks) {
      const i = s.index.get(mark.id);
      if (i === undefined) continue;
      const x = s.x[i]!, y = s.y[i]!;
      // Above the top face's far corner, one badge over the other.
      const top = toScreen(t, x + SIZE / 2, y + SIZE / 2, TOP);
      const n = stacked.get(i) ?? 0;
      stacked.set(i, n + 1);
      const cy = top.y - 6 - BADGE_H / 2 - n * (BADGE_H + 3);
      if (!onScreen(top.x, cy, 200)) continue;
      if (mark.ring) {
        c.beginPath();
        rhombusAt(c, t, x, y, REACH + 0.22);
        c.lineWidth = 3;
        c.strokeStyle = TONES[mark.tone];
        c.stroke();
      }
      pill(c, mark.text, mark.tone, top.x, cy);
      out.push({ kind: mark.kind, id: mark.id, text: mark.text, tone: mark.tone, x: Math.round(top.x), y: Math.round(cy) });
    }
    c.restore();
    return out;
  }
}

/** A rounded label centred on (x, y): white text on the tone's colour. */
function pill(c: CanvasRenderingContext2D, text: string, tone: Tone, x: number, y: number) {
  const wd = Math.ceil(c.measureText(text).width) + 12;
  c.beginPath();
  c.roundRect(Math.round(x - wd / 2), Math.round(y - BADGE_H / 2), wd, BADGE_H, BADGE_H / 2);
  c.fillStyle = TONES[tone];
  c.fill();
  c.lineWidth = 1;
  c.strokeStyle = 'rgba(255,255,255,0.85)';
  c.stroke();
  c.fillStyle = '#fff';
  c.fillText(text, x, y + 0.5);
}

/** The floor rhombus of half-side r around a block. */
function rhombusAt(c: CanvasRenderingContext2D, t: Transform, x: number, y: number, r: number) {
  const pts = [[x - r, y - r], [x + r, y - r], [x + r, y + r], [x - r, y + r]] as const;
  pts.forEach(([px, py], j) => { const p = toScreen(t, px, py); if (j) c.lineTo(p.x, p.y); else c.moveTo(p.x, p.y); });
  c.closePath();
}

/** The outline of a block with its plate on screen: the hexagon of a REACH-wide box from the floor to its top. */
function silhouette(c: CanvasRenderingContext2D, t: Transform, x: number, y: number) {
  const r = REACH;
  const pts = [[x - r, y - r, 0], [x + r, y - r, 0], [x + r, y - r, TOP], [x + r, y + r, TOP], [x - r, y + r, TOP], [x - r, y + r, 0]] as const;
  pts.forEach(([px, py, pz], j) => { const p = toScreen(t, px, py, pz); if (j) c.lineTo(p.x, p.y); else c.moveTo(p.x, p.y); });
  c.closePath();
}
