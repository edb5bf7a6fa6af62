/**
 * Where each block goes: grid positions in isomer's world units and the isometric projection
 * that fits them into the canvas. Pure, so the renderer and the tests agree on every pixel.
 */
import type { ServerStatus } from '../../../agent/protocol/types.js';

/** What one block shows: `name` is the label drawn under it. */
export interface Block { id: string; name: string; status: ServerStatus }
/** A block with its world position (the near bottom corner of its footprint). */
export interface Placed extends Block { gx: number; gy: number }
/** isomer's parameters: pixels per world unit and the pixel of the world origin. */
export interface View { scale: number; originX: number; originY: number }

/** Block footprint and height, the plate under it, and the distance between block origins. */
export const SIZE = 1;
export const HEIGHT = 0.8;
export const PLATE = 0.2;
export const PLATE_H = 0.06;
export const PITCH = 2.5;

const COS = Math.cos(Math.PI / 6);
const SIN = 0.5;

/**
 * Lays blocks out in reading order on a square grid turned 45°: the first at the top corner,
 * a row running down to the right, the next row starting down to the left. Sorted by id (which
 * never changes) rather than by name (which can), so a rename does not move blocks around.
 */
export function gridLayout(blocks: readonly Block[]): Placed[] {
  const sorted = [...blocks].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const cols = Math.max(1, Math.ceil(Math.sqrt(sorted.length)));
  const rows = Math.max(1, Math.ceil(sorted.length / cols));
  // Screen right-down is world -y, screen left-down is world -x (isomer's x points right-up).
  return sorted.map((b, i) => ({ ...b, gx: (rows - 1 - Math.floor(i / cols)) * PITCH, gy: (cols - 1 - (i % cols)) * PITCH }));
}

/** isomer's projection (angle π/6): a world point to a canvas pixel. */
export function project(v: View, x: number, y: number, z: number) {
  return { x: v.originX + v.scale * COS * (x - y), y: v.originY - v.scale * (SIN * (x + y) + z) };
}

/** Back to front, the order isomer needs: it paints, it does not depth-test. */
export const drawOrder = (placed: readonly Placed[]) => [...placed].sort((a, b) => b.gx + b.gy - (a.gx + a.gy));

/** The centre of a block's top face: a point inside one flat colour, away from edges. */
export const topCentre = (v: View, p: Placed) => project(v, p.gx + SIZE / 2, p.gy + SIZE / 2, PLATE_H + HEIGHT);

/** The lowest point on screen of a block's plate; its label hangs under it. */
export const frontCorner = (v: View, p: Placed) => project(v, p.gx - PLATE, p.gy - PLATE, 0);

export interface FitOptions { pad?: number; labelSpace?: number; maxScale?: number }

/** The largest view (up to `maxScale`) that shows every block and its label inside width × height. */
export function fitView(placed: readonly Placed[], width: number, height: number, o: FitOptions = {}): View {
  const { pad = 16, labelSpace = 24, maxScale = 56 } = o;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  const unit = { scale: 1, originX: 0, originY: 0 };
  for (const p of placed) {
    for (const x of [p.gx - PLATE, p.gx + SIZE + PLATE]) {
      for (const y of [p.gy - PLATE, p.gy + SIZE + PLATE]) {
        for (const z of [0, PLATE_H + HEIGHT]) {
          const q = project(unit, x, y, z);
          minX = Math.min(minX, q.x); maxX = Math.max(maxX, q.x);
          minY = Math.min(minY, q.y); maxY = Math.max(maxY, q.y);
        }
      }
    }
  }
  if (!placed.length) return { scale: maxScale, originX: width / 2, originY: height / 2 };
  const availW = width - 2 * pad;
  const availH = height - 2 * pad - labelSpace;
  const scale = Math.max(1, Math.min(maxScale, availW / (maxX - minX), availH / (maxY - minY)));
  return {
    scale,
    originX: pad + (availW - scale * (maxX - minX)) / 2 - scale * minX,
    originY: pad + (availH - scale * (maxY - minY)) / 2 - scale * minY,
  };
}
