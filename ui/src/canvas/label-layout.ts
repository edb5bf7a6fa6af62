/**
 * Where the names go, in screen pixels, so that no two overlap: each server's name under its
 * block (else above it), shortened with an ellipsis only when neither place has room; then each
 * cluster's name at the first corner of its floor that is free. Pure: the renderer measures text
 * and draws, the tests read the same boxes.
 */
import type { Pt } from './geometry.js';

export const LABEL_H = 16;
const PAD = 4;
/** Shorter than this many characters a name is not worth showing. */
const MIN_CHARS = 3;

export interface PlacedLabel {
  /** Server id or cluster name. */
  key: string;
  kind: 'server' | 'cluster';
  text: string;
  /** The whole name fits (no ellipsis). */
  full: boolean;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface ServerLabelSpot { key: string; name: string; /** top centre of the label below the block */ below: Pt; /** bottom centre of the label above the block */ above: Pt }
export interface ClusterLabelSpot { key: string; name: string; /** candidate left ends of the label's baseline row, best first */ corners: Pt[] }

type Box = { x: number; y: number; w: number; h: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Placed boxes in a coarse grid of cells, so a check looks only at neighbours. */
class Occupied {
  private cells = new Map<number, Box[]>();
  private static readonly CELL = 64;
  private keys(b: Box): number[] {
    const c = Occupied.CELL, out: number[] = [];
    // Numeric keys (screens are far smaller than 2^16 cells across): no string per lookup.
    for (let x = Math.floor(b.x / c); x <= Math.floor((b.x + b.w) / c); x++) for (let y = Math.floor(b.y / c); y <= Math.floor((b.y + b.h) / c); y++) out.push((x + 32768) * 65536 + y + 32768);
    return out;
  }
  free(b: Box): boolean { return this.keys(b).every((k) => !(this.cells.get(k) ?? []).some((o) => overlaps(o, b))); }
  add(b: Box): void { for (const k of this.keys(b)) { const l = this.cells.get(k); if (l) l.push(b); else this.cells.set(k, [b]); } }
}

/** `text` cut to fit `maxW` pixels with an ellipsis, or null when fewer than MIN_CHARS would be left. */
function shorten(text: string, maxW: number, measure: (s: string) => number): string | null {
  if (measure(text) + 2 * PAD <= maxW) return text;
  for (let n = text.length - 1; n >= MIN_CHARS; n--) {
    const t = `${text.slice(0, n)}…`;
    if (measure(t) + 2 * PAD <= maxW) return t;
  }
  return null;
}

export function placeLabels(
  servers: readonly ServerLabelSpot[], clusters: readonly ClusterLabelSpot[], measure: (s: string) => number, view: { w: number; h: number },
): PlacedLabel[] {
  const taken = new Occupied();
  const out: PlacedLabel[] = [];
  const inView = (b: Box) => b.x + b.w > 0 && b.x < view.w && b.y + b.h > 0 && b.y < view.h;
  const put = (l: PlacedLabel) => { taken.add(l); out.push(l); };
  const box = (text: string, cx: number, top: number) => { const w = Math.ceil(measure(text)) + 2 * PAD; return { x: Math.round(cx - w / 2), y: Math.round(top), w, h: LABEL_H }; };
  // Top to bottom, so that the rows of a grid claim their places in order.
  for (const s of [...servers].sort((a, b) => a.below.y - b.below.y || a.below.x - b.below.x)) {
    const spots = [box(s.name, s.below.x, s.below.y), box(s.name, s.above.x, s.above.y - LABEL_H)];
    const spot = spots.find((b) => taken.free(b));
    if (spot) { if (inView(spot)) put({ key: s.key, kind: 'server', text: s.name, full: true, ...spot }); continue; }
    // Neither place is free for the whole name: the widest shortened name that fits below.
    const below = spots[0]!;
    let placed = false;
    for (let w = below.w - 8; w >= 2 * PAD + 12 && !placed; w -= 8) {
      const text = shorten(s.name, w, measure);
      if (!text) break;
      const b = box(text, s.below.x, s.below.y);
      if (taken.free(b)) { if (inView(b)) put({ key: s.key, kind: 'server', text, full: false, ...b }); placed = true; }
    }
  }
  for (const c of clusters) {
    const w = Math.ceil(measure(c.name)) + 2 * PAD;
    const spot = c.corners.map((p) => ({ x: Math.round(p.x), y: Math.round(p.y - LABEL_H), w, h: LABEL_H })).find((b) => taken.free(b));
    if (spot && inView(spot)) put({ key: c.key, kind: 'cluster', text: c.name, full: true, ...spot });
  }
  return out;
}

/** The cluster label under a screen point, if any. */
export function clusterLabelAt(labels: readonly PlacedLabel[], p: Pt): string | undefined {
  return labels.find((l) => l.kind === 'cluster' && p.x >= l.x && p.x <= l.x + l.w && p.y >= l.y && p.y <= l.y + l.h)?.key;
}
