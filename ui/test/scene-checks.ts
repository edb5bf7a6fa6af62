/**
 * The diagram's quality rules, checked from the scene's own geometry (world positions, floor
 * boxes, placed labels), for the layout unit tests and the Chromium canvas test alike:
 * no two blocks overlap on screen, no floor covers a server that is not a member, no two labels
 * overlap.
 */
import { HEIGHT, PLATE_H, type Pt, REACH, SIZE, planeX, planeY } from '../src/canvas/geometry.js';

export interface FloorBox { name: string; minX: number; minY: number; maxX: number; maxY: number }
export interface LabelBox { key: string; kind: string; text: string; full: boolean; x: number; y: number; w: number; h: number }

/** The convex outline of a block (plate and body) on the plane, clockwise. */
export function blockOutline(wx: number, wy: number): Pt[] {
  const pts: Pt[] = [];
  const corner = (r: number, z: number) => { for (const [dx, dy] of [[-r, -r], [r, -r], [r, r], [-r, r]] as const) pts.push({ x: planeX(wx + dx, wy + dy), y: planeY(wx + dx, wy + dy, z) }); };
  corner(REACH, 0);
  corner(REACH, PLATE_H);
  corner(SIZE / 2, PLATE_H + HEIGHT);
  return hull(pts);
}

function hull(points: Pt[]): Pt[] {
  const p = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  const cross = (o: Pt, a: Pt, b: Pt) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const half = (list: Pt[]) => {
    const out: Pt[] = [];
    for (const q of list) { while (out.length >= 2 && cross(out[out.length - 2]!, out[out.length - 1]!, q) <= 0) out.pop(); out.push(q); }
    out.pop();
    return out;
  };
  return [...half(p), ...half([...p].reverse())];
}

/** Whether two convex outlines share area (touching edges do not count). */
export function outlinesOverlap(a: readonly Pt[], b: readonly Pt[], eps = 1e-6): boolean {
  for (const poly of [a, b]) {
    for (let i = 0; i < poly.length; i++) {
      const p = poly[i]!, q = poly[(i + 1) % poly.length]!;
      const nx = q.y - p.y, ny = p.x - q.x;
      const proj = (s: readonly Pt[]) => s.map((v) => v.x * nx + v.y * ny);
      const pa = proj(a), pb = proj(b);
      if (Math.max(...pa) <= Math.min(...pb) + eps || Math.max(...pb) <= Math.min(...pa) + eps) return false;
    }
  }
  return true;
}

/** Whether a floor reaches under a block's plate at (wx, wy). */
export const floorCovers = (f: FloorBox, wx: number, wy: number) =>
  wx + REACH > f.minX && wx - REACH < f.maxX && wy + REACH > f.minY && wy - REACH < f.maxY;

export const labelsOverlap = (a: LabelBox, b: LabelBox) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Every rule broken, as sentences (empty when all hold). */
export function problems(blocks: readonly { id: string; wx: number; wy: number }[], floors: readonly FloorBox[], members: ReadonlyMap<string, readonly string[]>): string[] {
  const out: string[] = [];
  const outlines = blocks.map((b) => blockOutline(b.wx, b.wy));
  for (let i = 0; i < blocks.length; i++) {
    for (let j = i + 1; j < blocks.length; j++) if (outlinesOverlap(outlines[i]!, outlines[j]!)) out.push(`blocks ${blocks[i]!.id} and ${blocks[j]!.id} overlap`);
  }
  for (const f of floors) {
    const own = new Set(members.get(f.name) ?? []);
    for (const b of blocks) if (!own.has(b.id) && floorCovers(f, b.wx, b.wy)) out.push(`the floor of ${f.name} covers ${b.id}`);
  }
  return out;
}
