/**
 * The isometric projection shared by the renderer, hit-testing and tests. World units are
 * isomer's: x goes right-up on screen, y goes left-up, z goes up. A block's position is the
 * centre of its footprint on the floor. The screen is the "plane" (the projection at scale 1)
 * under a d3-zoom transform {k, x, y}, so panning and zooming never touch world positions.
 */
export const COS = Math.cos(Math.PI / 6);
export const SIN = 0.5;

/** Block footprint, height, the status-lit plate around it, and the distance between blocks. */
export const SIZE = 1;
export const HEIGHT = 0.8;
export const PLATE = 0.2;
export const PLATE_H = 0.06;
export const PITCH = 2.5;
/** Half the side of the plate: the block's reach from its centre on the floor. */
export const REACH = SIZE / 2 + PLATE;
/**
 * How far a cluster's floor reaches beyond its members' centres: less than a pitch minus a plate's
 * reach, so a floor never reaches a neighbour's plate on the grid, and half of a pitch at most, so
 * floors of neighbouring rows do not overlap.
 */
export const FLOOR_MARGIN = PITCH * 0.48;

export interface Transform { k: number; x: number; y: number }
export interface Pt { x: number; y: number }

/** A world point to the plane (screen at scale 1, origin 0). */
export const planeX = (x: number, y: number) => COS * (x - y);
export const planeY = (x: number, y: number, z = 0) => -SIN * (x + y) - z;

/** A world point to a screen pixel (CSS pixels) under `t`. */
export const toScreen = (t: Transform, x: number, y: number, z = 0): Pt => ({ x: t.x + t.k * planeX(x, y), y: t.y + t.k * planeY(x, y, z) });

/** A screen pixel back to the world point at height `z` it shows. */
export function toWorld(t: Transform, sx: number, sy: number, z = 0): Pt {
  const px = (sx - t.x) / t.k;
  const py = (sy - t.y) / t.k + z;
  const d = px / COS; // x - y
  const s = -py / SIN; // x + y
  return { x: (s + d) / 2, y: (s - d) / 2 };
}

/** The centre of a block's top face: one flat colour, away from edges. */
export const topCentre = (t: Transform, p: Pt) => toScreen(t, p.x, p.y, PLATE_H + HEIGHT);
/** A point on the status-lit plate in front of the block (its nearest corner, a little inside). */
export const plateSpot = (t: Transform, p: Pt) => toScreen(t, p.x - REACH + 0.08, p.y - REACH + 0.08, PLATE_H);

/**
 * The connector handle a user drags a new connection from: on the right corner of the block's top
 * face, so the pointer reaches it without leaving the block. Shown from HANDLE_MIN_K up.
 */
export const handleSpot = (t: Transform, p: Pt): Pt => { const c = toScreen(t, p.x + SIZE / 2, p.y - SIZE / 2, PLATE_H + HEIGHT); return { x: c.x - 6, y: c.y }; };
export const HANDLE_MIN_K = 18;

export interface Box { minX: number; minY: number; maxX: number; maxY: number }

/** The plane box that holds every block at these world positions (with its height and plate). */
export function planeBounds(xs: ArrayLike<number>, ys: ArrayLike<number>): Box | undefined {
  if (!xs.length) return undefined;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const px = planeX(xs[i]!, ys[i]!);
    const py = planeY(xs[i]!, ys[i]!);
    if (px < minX) minX = px;
    if (px > maxX) maxX = px;
    if (py < minY) minY = py;
    if (py > maxY) maxY = py;
  }
  const rx = 2 * REACH * COS;
  return { minX: minX - rx, maxX: maxX + rx, minY: minY - 2 * REACH * SIN - PLATE_H - HEIGHT, maxY: maxY + 2 * REACH * SIN };
}

export interface FitOptions { pad?: number; labelSpace?: number; maxK?: number }

/** The transform (up to `maxK`) that shows the whole box, centred, inside width × height. */
export function fitTransform(box: Box | undefined, width: number, height: number, o: FitOptions = {}): Transform {
  const { pad = 16, labelSpace = 24, maxK = 56 } = o;
  if (!box) return { k: maxK, x: width / 2, y: height / 2 };
  const availW = Math.max(1, width - 2 * pad);
  const availH = Math.max(1, height - 2 * pad - labelSpace);
  const k = Math.max(0.05, Math.min(maxK, availW / (box.maxX - box.minX), availH / (box.maxY - box.minY)));
  return {
    k,
    x: pad + (availW - k * (box.maxX - box.minX)) / 2 - k * box.minX,
    y: pad + (availH - k * (box.maxY - box.minY)) / 2 - k * box.minY,
  };
}
