/**
 * Draws a Scene on one canvas, for 3 servers or 50,000. The canvas is not a VDOM tree: nothing is
 * drawn until something changed (`invalidate`), and then at most once per animation frame.
 *
 * Three levels of detail by zoom (k = CSS pixels per world unit):
 * - far: one drawImage of a cached layer holding every block as flat faces, the cluster floors
 *   and the lines, rendered once per scene (a status change repaints just that block);
 * - middle and near: 256-pixel tiles per zoom level, each rendered once from the blocks inside it
 *   (flat faces in the middle, isomer sprites of type × status × zoom level near) and kept; the
 *   near level adds live CPU and memory gauges and names over the tiles.
 * Faces and lines are batched into a few paths per colour.
 *
 * After each frame the canvas carries, for tests: `data-frames` (frames drawn), `data-scenes`
 * (scenes set: structure changes and drags), `data-count`
 * (servers in the scene), `data-lod` (far|middle|near) and, for up to 500 servers,
 * `data-blocks`: `[{"id","status","x","y","lx","ly","fx","fy","hx","hy","wx","wy"}]`: the top-face
 * centre, a point on the status-lit plate, the floor centre (where lines end) and the connector
 * handle, in CSS pixels from the canvas' top-left corner, and the world position;
 * `data-floors`: the cluster floor pieces (world boxes); `data-labels`: the names as placed
 * (label-layout.ts); `data-transform`; `data-marks`: the marks drawn over the diagram (see marks.ts).
 */
import { CONNECTION_STATUSES, SERVER_STATUSES, SERVER_TYPES } from '../../../agent/protocol/common.js';
import { CONNECTION_RGB, LINK_STATUS_CSS, LINK_UNKNOWN_DASH, type Rgb, STATUS_RGB, THEMES, TYPE_RGB, type Theme, ghost, shade } from './colors.js';
import { COS, HEIGHT, PLATE_H, REACH, SIN, SIZE, type Box, type Pt, type Transform, handleSpot, plateSpot, toScreen, topCentre } from './geometry.js';
import { type PlacedLabel, clusterLabelAt, placeLabels } from './label-layout.js';
import { LINK_UNKNOWN, type Scene, statusIndex } from './scene.js';
import { Batch } from './batch.js';
import { MarkLayer, type Marks } from './marks.js';
import { SpriteCache } from './sprites.js';

export type Lod = 'far' | 'middle' | 'near';
/** Tile zoom levels (CSS pixels per world unit); from NEAR_LEVEL up, blocks are isomer sprites. */
const TILE_LEVELS = [2, 4, 8, 16, 32, 64, 128] as const;
export const NEAR_LEVEL = 32;
/** Zoom levels above this draw sprites with bars (level NEAR_LEVEL scaled down at most half). */
export const NEAR_K = NEAR_LEVEL / 2;
const TILE = 256;
const MAX_TILES = 320;
const TILE_BUDGET_MS = 6;
/** While zooming, cached tiles may be scaled up this much rather than rendered anew. */
const MAX_UPSCALE = 1.25;
/** Names only when blocks are at least this big (CSS pixels per world unit) and not too many on screen. */
const LABEL_K = 10;
const MAX_LABELS = 400;
/** Up to this many servers, names are placed at every zoom level; beyond, only when close (near level). */
const LABEL_ANY_LOD = 2000;
/** The connector handle's radius (CSS pixels). */
export const HANDLE_R = 7;
/** The far layer's longest side in pixels, and its most detailed scale. */
const LAYER_MAX_PX = 4096;
const LAYER_MAX_K = 16;
const TOP = PLATE_H + HEIGHT;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';

const css = (rgb: Rgb) => `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`;
const STATUS_CSS = SERVER_STATUSES.map((s) => css(STATUS_RGB[s]));
/** Top, left (−x) and right (−y) faces, lit as isomer lights them (roughly). */
const faces = (rgb: Rgb) => [css(shade(rgb, 1.12)), css(shade(rgb, 0.72)), css(shade(rgb, 0.86))] as const;
/** Per type, then the washed-out faces of servers not reporting yet (3 × types further on). */
const TYPE_FACES = [...SERVER_TYPES.map((t) => faces(TYPE_RGB[t])), ...SERVER_TYPES.map((t) => faces(ghost(TYPE_RGB[t])))];
const GHOST = 3 * SERVER_TYPES.length;
const LINK_CSS = Object.values(CONNECTION_RGB).map(css);
const LINK_OUTER = CONNECTION_STATUSES.map((st) => LINK_STATUS_CSS[st]);
/** A gauge's empty track, CPU and memory. */
const GAUGE_CSS = ['rgba(20,24,31,0.45)', '#e3f2fd', '#ffe082'];

export interface Overlay {
  selected: ReadonlySet<number>;
  hover: number | undefined;
  /** A lasso rectangle in CSS pixels. */
  lasso: Box | undefined;
  /** The server whose connector handle shows (the user may draw a connection from it). */
  handle: number | undefined;
  /** A connection being drawn: from a server to the pointer, or to the server under it. */
  drawing: { from: number; to: number | undefined; at: Pt } | undefined;
  /** The selected connection (index into the scene's links). */
  selectedLink: number | undefined;
}

export interface Renderer {
  readonly canvas: HTMLCanvasElement;
  setScene(scene: Scene): void;
  /** Moves servers in the current scene (a drag in progress): repaints only the tiles they leave and enter. */
  move(which: readonly number[], to: (i: number) => { x: number; y: number }): void;
  /** Live values changed in the scene: these servers' statuses, maybe links, maybe metrics. */
  liveChanged(changedStatus: readonly number[], links: boolean): void;
  setTransform(t: Transform): void;
  readonly transform: Transform;
  setTheme(name: Theme['name']): void;
  setOverlay(o: Partial<Overlay>): void;
  /** Badges on blocks and states on lines, drawn over the tiles (they never invalidate them). */
  setMarks(m: Marks): void;
  /** Repaint at the next animation frame. */
  invalidate(): void;
  /** Paint now (benchmarks, exports). */
  draw(): void;
  /** Adopts the canvas' CSS size; true if it changed. */
  resize(): boolean;
  /** The cluster whose name is drawn under this canvas pixel. */
  clusterLabelAt(p: Pt): string | undefined;
  /** The far layer (every block), for the minimap: the plane box it covers, and a version that changes with its pixels. */
  layer(): { image: HTMLCanvasElement; box: Box; scale: number; version: number } | undefined;
  lod(): Lod;
  destroy(): void;
}

export function createRenderer(canvas: HTMLCanvasElement, onFrame?: () => void): Renderer {
  const ctx = canvas.getContext('2d')!;
  const sprites = new SpriteCache();
  let scene: Scene | undefined;
  let t: Transform = { k: 20, x: 0, y: 0 };
  let theme = THEMES.light;
  let overlay: Overlay = { selected: new Set(), hover: undefined, lasso: undefined, handle: undefined, drawing: undefined, selectedLink: undefined };
  let placed: PlacedLabel[] = [];
  const widths = new Map<string, number>();
  const marks = new MarkLayer();
  let w = 0, h = 0, dpr = 1;
  let raf = 0;
  let frames = 0;
  let lastLod: Lod = 'far';
  let layerCache: { image: HTMLCanvasElement; box: Box; scale: number; version: number } | undefined;
  let layerVersion = 0;
  let layerStale = true;

  const scheduled = () => { raf = 0; draw(); };
  const invalidate = () => { if (!raf) raf = requestAnimationFrame(scheduled); };

  // ---- shapes --------------------------------------------------------------------------------
  /** Adds the rhombus of the square of half-side `r` around (x, y) at height z to the path (in plane units × k + offset). */
  function rhombus(c: CanvasPath, k: number, ox: number, oy: number, x: number, y: number, r: number, z: number) {
    const px = ox + k * COS * (x - y), py = oy + k * (-SIN * (x + y) - z);
    const dx = k * COS * 2 * r, dy = k * SIN * 2 * r;
    c.moveTo(px, py + dy); // near corner (−r, −r)
    c.lineTo(px + dx, py); // (+r, −r)
    c.lineTo(px, py - dy); // far corner
    c.lineTo(px - dx, py); // (−r, +r)
    c.closePath();
  }
  /** The left (−x) or right (−y) side face of a block, from z0 to z1. */
  function side(c: CanvasPath, k: number, ox: number, oy: number, x: number, y: number, right: boolean, z0: number, z1: number) {
    const r = SIZE / 2;
    const px = ox + k * COS * (x - y), py = oy + k * -SIN * (x + y);
    const nx = 0, ny = py + k * SIN * 2 * r; // near corner offset from centre
    const ex = (right ? 1 : -1) * k * COS * 2 * r, ey = -k * SIN * 2 * r;
    c.moveTo(px + nx, ny - k * z0);
    c.lineTo(px + ex, ny + ey - k * z0);
    c.lineTo(px + ex, ny + ey - k * z1);
    c.lineTo(px + nx, ny - k * z1);
    c.closePath();
  }

  /** Cluster floors (a world-aligned box projects to a parallelogram), culled to `view` (plane box) when given. */
  function floors(c: CanvasRenderingContext2D, k: number, ox: number, oy: number, s: Scene, view: Box | undefined) {
    if (!s.clusters.length) return;
    const p = (x: number, y: number) => [ox + k * COS * (x - y), oy - k * SIN * (x + y)] as const;
    const path = new Path2D();
    for (const a of s.clusters) {
      // Plane extent of the box: x from its left corner (minX, maxY) to its right (maxX, minY).
      if (view && (COS * (a.maxX - a.minY) < view.minX || COS * (a.minX - a.maxY) > view.maxX
        || -SIN * (a.minX + a.minY) < view.minY || -SIN * (a.maxX + a.maxY) > view.maxY)) continue;
      path.moveTo(...p(a.minX, a.minY));
      path.lineTo(...p(a.maxX, a.minY));
      path.lineTo(...p(a.maxX, a.maxY));
      path.lineTo(...p(a.minX, a.maxY));
      path.closePath();
    }
    c.fillStyle = theme.clusterFill;
    c.fill(path);
    c.lineWidth = 1;
    c.strokeStyle = theme.clusterStroke;
    c.stroke(path);
  }

  /**
   * Lines between block centres: the outer stroke by the probe's status, the inner by type on
   * lines that are up or down; lines without a probe result dashed grey, nothing more. Culled to
   * `view` (plane box) when given.
   */
  function links(c: CanvasRenderingContext2D, k: number, ox: number, oy: number, s: Scene, view: Box | undefined, detailed: boolean) {
    if (!s.linkIds.length) return;
    const all = view ? s.linksIn(view) : s.linkIds.map((_, j) => j);
    const probed = all.filter((j) => s.linkState[j] !== LINK_UNKNOWN), unknown = all.filter((j) => s.linkState[j] === LINK_UNKNOWN);
    const draw = (batch: Batch, which: number[], style: (j: number) => number) => {
      for (const j of which) {
        const a = s.linkA[j]!, b = s.linkB[j]!;
        const p = batch.path(style(j));
        p.moveTo(ox + k * COS * (s.x[a]! - s.y[a]!), oy - k * SIN * (s.x[a]! + s.y[a]!));
        p.lineTo(ox + k * COS * (s.x[b]! - s.y[b]!), oy - k * SIN * (s.x[b]! + s.y[b]!));
      }
      batch.flush();
    };
    c.lineWidth = detailed ? 4 : 1;
    draw(new Batch(c, LINK_OUTER, 'stroke'), probed, (j) => s.linkState[j]!);
    if (unknown.length) {
      c.setLineDash(detailed ? LINK_UNKNOWN_DASH : [3, 3]);
      c.lineWidth = detailed ? 2 : 1;
      draw(new Batch(c, [LINK_STATUS_CSS.unknown], 'stroke'), unknown, () => 0);
      c.setLineDash([]);
    }
    if (!detailed) return;
    c.lineWidth = 1.5;
    draw(new Batch(c, LINK_CSS, 'stroke'), probed, (j) => s.linkType[j]!);
  }

  /** Blocks as flat faces, batched per colour: the far layer and the middle levels. */
  function flatBlocks(c: CanvasRenderingContext2D, k: number, ox: number, oy: number, s: Scene, which: ArrayLike<number>) {
    const plates = new Batch(c, STATUS_CSS);
    const faces = new Batch(c, TYPE_FACES.flat());
    for (let j = 0; j < which.length; j++) {
      const i = which[j]!;
      const x = s.x[i]!, y = s.y[i]!, f = 3 * s.type[i]! + (s.status[i] === statusIndex.unknown ? GHOST : 0);
      rhombus(plates.path(s.status[i]!), k, ox, oy, x, y, REACH, 0);
      rhombus(faces.path(f), k, ox, oy, x, y, SIZE / 2, TOP);
      side(faces.path(f + 1), k, ox, oy, x, y, false, PLATE_H, TOP);
      side(faces.path(f + 2), k, ox, oy, x, y, true, PLATE_H, TOP);
    }
    plates.flush();
    faces.flush();
  }

  // ---- the far layer -------------------------------------------------------------------------
  function buildLayer(s: Scene) {
    layerStale = false;
    const box = s.bounds;
    if (!box) { layerCache = undefined; return; }
    const ext = Math.max(box.maxX - box.minX, box.maxY - box.minY);
    const scale = Math.min(LAYER_MAX_K, LAYER_MAX_PX / ext);
    const image = layerCache?.image ?? document.createElement('canvas');
    image.width = Math.max(1, Math.ceil((box.maxX - box.minX) * scale));
    image.height = Math.max(1, Math.ceil((box.maxY - box.minY) * scale));
    const c = image.getContext('2d')!;
    const ox = -box.minX * scale, oy = -box.minY * scale;
    floors(c, scale, ox, oy, s, undefined);
    links(c, scale, ox, oy, s, undefined, false);
    flatBlocks(c, scale, ox, oy, s, s.order);
    layerCache = { image, box, scale, version: ++layerVersion };
  }

  /** Repaints just these blocks on the far layer and drops their tiles (a status changed). */
  function patchLayer(s: Scene, which: readonly number[]) {
    dropTilesOf(s, which);
    if (!layerCache || layerStale) return;
    const { image, box, scale } = layerCache;
    flatBlocks(image.getContext('2d')!, scale, -box.minX * scale, -box.minY * scale, s, which);
    layerCache.version = ++layerVersion;
  }

  /** A world box holding every block that can show in this plane box. */
  function worldBoxOf(b: Box): Box {
    const m = REACH + 0.1;
    const dMin = b.minX / COS, dMax = b.maxX / COS;
    const sMin = -(b.maxY + TOP) / SIN, sMax = -b.minY / SIN;
    return { minX: (sMin + dMin) / 2 - m, maxX: (sMax + dMax) / 2 + m, minY: (sMin - dMax) / 2 - m, maxY: (sMax - dMin) / 2 + m };
  }

  // ---- tiles ---------------------------------------------------------------------------------
  // Closer than the far layer, the plane is cut into TILE×TILE-pixel tiles per zoom level
  // (powers of two), each rendered once and kept (least recently used go first). A zooming frame
  // draws the tiles of the next level up, scaled down by at most half, or cached ones of a nearby
  // level (see draw); tiles not yet rendered show the far layer under them and are filled in
  // over the next frames, TILE_BUDGET_MS at a time.
  const tiles = new Map<string, HTMLCanvasElement>();
  let missing = 0;
  /** The zoom of the previous frame: a frame at the same zoom draws tiles at exactly that zoom. */
  let lastK = 0;
  /** The last zoom the view rested at between powers of two (its tiles may still be kept). */
  let restK = 0;

  /** One tile at `level` pixels per unit; sprites come from the power-of-two level at or above it. */
  function renderTile(s: Scene, level: number, tx: number, ty: number, reuse: HTMLCanvasElement | undefined): HTMLCanvasElement {
    const look = levelOf(level);
    const image = reuse ?? document.createElement('canvas');
    image.width = image.height = TILE * dpr;
    // Opaque (the background fills it): copying it onto the canvas needs no blending.
    const c = image.getContext('2d', { alpha: false })!;
    c.setTransform(dpr, 0, 0, dpr, 0, 0);
    c.fillStyle = theme.background;
    c.fillRect(0, 0, TILE, TILE);
    const ox = -tx * TILE, oy = -ty * TILE;
    const plane: Box = { minX: (tx * TILE) / level, minY: (ty * TILE) / level, maxX: ((tx + 1) * TILE) / level, maxY: ((ty + 1) * TILE) / level };
    floors(c, level, ox, oy, s, plane);
    links(c, level, ox, oy, s, plane, look >= NEAR_LEVEL);
    const blocks = s.within(worldBoxOf(plane)).sort((a, b) => s.x[b]! + s.y[b]! - (s.x[a]! + s.y[a]!));
    if (look < NEAR_LEVEL) flatBlocks(c, level, ox, oy, s, blocks);
    else {
      const g = level / look / dpr;
      for (const i of blocks) {
        const sp = sprites.get(SERVER_TYPES[s.type[i]!]!, SERVER_STATUSES[s.status[i]!]!, look, dpr);
        const px = ox + level * COS * (s.x[i]! - s.y[i]!), py = oy - level * SIN * (s.x[i]! + s.y[i]!);
        // At the sprite's own scale, whole device pixels: a plain copy, not a filtered one (many times faster).
        if (g * dpr === 1) c.drawImage(sp.image, Math.round((px - sp.ax * g) * dpr) / dpr, Math.round((py - sp.ay * g) * dpr) / dpr, sp.image.width * g, sp.image.height * g);
        else c.drawImage(sp.image, px - sp.ax * g, py - sp.ay * g, sp.image.width * g, sp.image.height * g);
      }
    }
    return image;
  }

  /** Forgets the tiles that show any of these servers (their status changed). */
  function dropTilesOf(s: Scene, which: readonly number[]) {
    if (which.length > 64) { tiles.clear(); return; }
    for (const key of [...tiles.keys()]) {
      const [l, tx, ty] = key.split('/').map(Number) as [number, number, number];
      const b = { minX: (tx * TILE) / l, minY: (ty * TILE) / l, maxX: ((tx + 1) * TILE) / l, maxY: ((ty + 1) * TILE) / l };
      const m = 2 * REACH + TOP;
      for (const i of which) {
        const px = COS * (s.x[i]! - s.y[i]!), py = -SIN * (s.x[i]! + s.y[i]!);
        if (px > b.minX - m && px < b.maxX + m && py > b.minY - m && py < b.maxY + m) { tiles.delete(key); break; }
      }
    }
  }

  /** The tiles of `level` the view needs, and their size on screen. */
  function tileRange(level: number) {
    const size = (TILE * t.k) / level;
    return { size, tx0: Math.floor(-t.x / size), ty0: Math.floor(-t.y / size), tx1: Math.floor((w - t.x) / size), ty1: Math.floor((h - t.y) / size) };
  }

  /** Whether every tile the view needs at `level` is rendered. */
  function cached(level: number): boolean {
    const { tx0, ty0, tx1, ty1 } = tileRange(level);
    for (let ty = ty0; ty <= ty1; ty++) for (let tx = tx0; tx <= tx1; tx++) if (!tiles.has(`${level}/${tx}/${ty}`)) return false;
    return true;
  }

  /**
   * Draws the view from tiles of `level`, rendering missing ones for up to `budget` ms; what is
   * still missing shows the far layer when `fallback`, else nothing. Returns how many are missing.
   */
  function drawTiles(s: Scene, level: number, budget: number, fallback: boolean): number {
    const { tx0, ty0, tx1, ty1, size } = tileRange(level);
    const deadline = performance.now() + budget;
    let missing = 0;
    for (let ty = ty0; ty <= ty1; ty++) {
      for (let tx = tx0; tx <= tx1; tx++) {
        const key = `${level}/${tx}/${ty}`;
        let img = tiles.get(key);
        if (img) tiles.delete(key); // re-insert below: most recently used last
        else if (performance.now() < deadline) {
          let reuse: HTMLCanvasElement | undefined;
          if (tiles.size >= MAX_TILES) {
            const oldest = tiles.keys().next().value!;
            reuse = tiles.get(oldest);
            tiles.delete(oldest);
          }
          img = renderTile(s, level, tx, ty, reuse);
        }
        // Whole pixels, so neighbouring tiles meet without seams.
        const x0 = Math.round(t.x + tx * size), y0 = Math.round(t.y + ty * size);
        const dw = Math.round(t.x + (tx + 1) * size) - x0, dh = Math.round(t.y + (ty + 1) * size) - y0;
        if (img) {
          tiles.set(key, img);
          ctx.drawImage(img, x0, y0, dw, dh);
        } else {
          missing++;
          if (!fallback) continue;
          // Not rendered yet: the far layer's blurrier copy of the same place, for now.
          const L = layerCache!;
          const sx = ((x0 - t.x) / t.k - L.box.minX) * L.scale, sy = ((y0 - t.y) / t.k - L.box.minY) * L.scale;
          const sw = (dw / t.k) * L.scale, sh = (dh / t.k) * L.scale;
          const cx0 = Math.max(0, sx), cy0 = Math.max(0, sy), cx1 = Math.min(L.image.width, sx + sw), cy1 = Math.min(L.image.height, sy + sh);
          if (cx1 > cx0 && cy1 > cy0) {
            ctx.drawImage(L.image, cx0, cy0, cx1 - cx0, cy1 - cy0, x0 + ((cx0 - sx) * dw) / sw, y0 + ((cy0 - sy) * dh) / sh, ((cx1 - cx0) * dw) / sw, ((cy1 - cy0) * dh) / sh);
          }
        }
      }
    }
    return missing;
  }

  // ---- a frame -------------------------------------------------------------------------------
  const levelOf = (k: number) => TILE_LEVELS.find((l) => l >= k) ?? TILE_LEVELS[TILE_LEVELS.length - 1]!;
  const lodFor = (k: number): Lod => (layerCache && k <= layerCache.scale * 1.25 ? 'far' : levelOf(k) < NEAR_LEVEL ? 'middle' : 'near');

  /** The plane box on screen, widened by `m` plane units. */
  const viewBox = (m: number): Box => ({ minX: -t.x / t.k - m, minY: -t.y / t.k - m, maxX: (w - t.x) / t.k + m, maxY: (h - t.y) / t.k + m });

  /** Visible servers, back to front. */
  function cull(s: Scene): number[] {
    const v = viewBox(2 * REACH + TOP);
    const out: number[] = [];
    const { x, y, order } = s;
    for (let j = 0; j < order.length; j++) {
      const i = order[j]!;
      const px = COS * (x[i]! - y[i]!);
      if (px < v.minX || px > v.maxX) continue;
      const py = -SIN * (x[i]! + y[i]!);
      if (py >= v.minY && py <= v.maxY) out.push(i);
    }
    return out;
  }

  /** CPU and memory as two gauges on each block's right (−y) face, filling upwards; live, over the tiles. */
  function bars(s: Scene, vis: readonly number[]) {
    // Chunked paths: one path of thousands of small quads across the screen rasterises slowly.
    const b = new Batch(ctx, GAUGE_CSS);
    for (const i of vis) {
      const c = s.cpu[i]!, m = s.mem[i]!;
      if (Number.isNaN(c)) continue;
      const x0 = s.x[i]!, y0 = s.y[i]! - SIZE / 2;
      bar(b.path(0), x0 - 0.36, x0 - 0.08, y0, 100);
      bar(b.path(0), x0 + 0.08, x0 + 0.36, y0, 100);
      bar(b.path(1), x0 - 0.36, x0 - 0.08, y0, c);
      bar(b.path(2), x0 + 0.08, x0 + 0.36, y0, m);
    }
    b.flush();
  }
  /** A gauge on the face y = y0 from x = xa to xb, `pct` full. */
  function bar(p: Path2D, xa: number, xb: number, y0: number, pct: number) {
    const z0 = PLATE_H + 0.1, z1 = z0 + ((HEIGHT - 0.2) * Math.max(0, Math.min(100, pct))) / 100;
    const a0 = toScreen(t, xa, y0, z0), b0 = toScreen(t, xb, y0, z0);
    p.moveTo(a0.x, a0.y);
    p.lineTo(b0.x, b0.y);
    p.lineTo(b0.x, b0.y - t.k * (z1 - z0));
    p.lineTo(a0.x, a0.y - t.k * (z1 - z0));
    p.closePath();
  }

  /**
   * Server and cluster names, placed so none overlaps another (label-layout.ts), on a pill of the
   * background colour so they read over lines and blocks.
   */
  function names(s: Scene, vis: readonly number[]) {
    ctx.font = `500 12px ${FONT}`;
    const measure = (text: string) => { let w = widths.get(text); if (w === undefined) { w = ctx.measureText(text).width; if (widths.size < 20_000) widths.set(text, w); } return w; };
    const servers = vis.map((i) => {
      const p = { x: s.x[i]!, y: s.y[i]! };
      const below = toScreen(t, p.x - REACH, p.y - REACH, 0);
      const above = toScreen(t, p.x + SIZE / 2, p.y + SIZE / 2, TOP);
      return { key: s.ids[i]!, name: s.names[i]!, below: { x: below.x, y: below.y + 3 }, above: { x: above.x, y: above.y - 3 } };
    });
    const v = viewBox(0);
    const clusters = s.clusters.filter((a) => a.labelled && COS * (a.maxX - a.minY) >= v.minX && COS * (a.minX - a.maxY) <= v.maxX && -SIN * (a.minX + a.minY) >= v.minY && -SIN * (a.maxX + a.maxY) <= v.maxY)
      .map((a) => {
        const left = toScreen(t, a.minX, a.maxY), top = toScreen(t, a.maxX, a.maxY), right = toScreen(t, a.maxX, a.minY), near = toScreen(t, a.minX, a.minY);
        // Along the floor's upper left edge first, then its other corners.
        return { key: a.name, name: a.name, corners: [{ x: left.x + 6, y: left.y - 2 }, { x: (left.x + top.x) / 2, y: (left.y + top.y) / 2 - 2 }, { x: top.x - measure(a.name) / 2, y: top.y - 2 }, { x: right.x - measure(a.name) - 14, y: right.y - 2 }, { x: near.x - measure(a.name) / 2, y: near.y + 20 }] };
      });
    placed = placeLabels(servers, clusters, measure, { w, h });
    const pills = new Path2D();
    for (const l of placed) pills.roundRect(l.x, l.y, l.w, l.h, 4);
    ctx.fillStyle = theme.labelBackground;
    ctx.fill(pills);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    // One font and colour per kind: switching them per label costs more than the text.
    for (const kind of ['server', 'cluster'] as const) {
      ctx.font = `${kind === 'cluster' ? 600 : 500} 12px ${FONT}`;
      ctx.fillStyle = kind === 'cluster' ? theme.clusterLabel : theme.label;
      for (const l of placed) if (l.kind === kind) ctx.fillText(l.text, l.x + l.w / 2, l.y + l.h / 2 + 0.5);
    }
  }

  function overlays(s: Scene) {
    const outline = (i: number, color: string, width: number) => {
      ctx.beginPath();
      rhombus(ctx, t.k, t.x, t.y, s.x[i]!, s.y[i]!, REACH + 0.12, 0);
      ctx.lineWidth = width;
      ctx.strokeStyle = color;
      ctx.stroke();
    };
    const link = (j: number, color: string, width: number) => {
      const a = toScreen(t, s.x[s.linkA[j]!]!, s.y[s.linkA[j]!]!), b = toScreen(t, s.x[s.linkB[j]!]!, s.y[s.linkB[j]!]!);
      ctx.beginPath();
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
      ctx.lineWidth = width;
      ctx.strokeStyle = color;
      ctx.stroke();
    };
    if (overlay.selectedLink !== undefined && overlay.selectedLink < s.linkIds.length) {
      link(overlay.selectedLink, theme.selection, 7);
      link(overlay.selectedLink, theme.background, 2);
    }
    if (overlay.selected.size && overlay.selected.size <= 20_000) for (const i of overlay.selected) outline(i, theme.selection, 2.5);
    if (overlay.hover !== undefined && overlay.hover < s.n) outline(overlay.hover, theme.selection, 1);
    const d = overlay.drawing;
    if (d && d.from < s.n) {
      const a = topCentre(t, { x: s.x[d.from]!, y: s.y[d.from]! });
      const b = d.to !== undefined && d.to < s.n ? topCentre(t, { x: s.x[d.to]!, y: s.y[d.to]! }) : d.at;
      if (d.to !== undefined) outline(d.to, theme.selection, 2.5);
      ctx.beginPath();
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
      ctx.setLineDash([6, 4]);
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = theme.selection;
      ctx.stroke();
      ctx.setLineDash([]);
    }
    const hd = overlay.handle;
    if (hd !== undefined && hd < s.n && !d) {
      const c = handleSpot(t, { x: s.x[hd]!, y: s.y[hd]! });
      ctx.beginPath();
      ctx.arc(c.x, c.y, HANDLE_R, 0, 2 * Math.PI);
      ctx.fillStyle = theme.selection;
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = theme.background;
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(c.x - 3.5, c.y); ctx.lineTo(c.x + 3.5, c.y);
      ctx.moveTo(c.x, c.y - 3.5); ctx.lineTo(c.x, c.y + 3.5);
      ctx.stroke();
    }
    const l = overlay.lasso;
    if (l) {
      ctx.fillStyle = theme.lasso;
      ctx.strokeStyle = theme.selection;
      ctx.lineWidth = 1;
      ctx.fillRect(l.minX, l.minY, l.maxX - l.minX, l.maxY - l.minY);
      ctx.strokeRect(l.minX, l.minY, l.maxX - l.minX, l.maxY - l.minY);
    }
  }

  function draw() {
    if (raf) { cancelAnimationFrame(raf); raf = 0; }
    const prevK = lastK;
    lastK = t.k;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, w, h);
    const s = scene;
    if (s && s.n) {
      if (layerStale) buildLayer(s);
      lastLod = lodFor(t.k);
      missing = 0;
      /** The visible servers, when this frame needed them. */
      let visible: number[] | undefined;
      const settled = t.k === prevK;
      if (lastLod === 'far') {
        const L = layerCache!;
        ctx.drawImage(L.image, t.x + t.k * L.box.minX, t.y + t.k * L.box.minY, (L.image.width * t.k) / L.scale, (L.image.height * t.k) / L.scale);
      } else {
        // While zooming, scaled tiles: those of a nearby zoom when every one the view needs is
        // already rendered (the zoom it last rested at, or the power of two below scaled up at
        // most MAX_UPSCALE, with the same look), else the power-of-two level. Once the zoom rests,
        // tiles at exactly this zoom (copied 1:1, far cheaper to draw), over the scaled ones until
        // they are all there.
        const pow2 = levelOf(t.k);
        const near = (l: number) => l !== pow2 && t.k / l >= 0.5 && t.k / l <= MAX_UPSCALE && (levelOf(l) < NEAR_LEVEL) === (pow2 < NEAR_LEVEL) && cached(l);
        const scaled = [restK, pow2 / 2].find(near) ?? pow2;
        if (!settled || pow2 === t.k) missing = drawTiles(s, scaled, TILE_BUDGET_MS, true);
        else {
          const under = drawTiles(s, t.k, 0, false);
          if (under) {
            drawTiles(s, scaled, 0, true);
            missing = drawTiles(s, t.k, TILE_BUDGET_MS, false);
          }
          restK = t.k;
        }
        if (lastLod === 'near') bars(s, (visible = cull(s)));
      }
      const vis = t.k >= LABEL_K && (s.n <= LABEL_ANY_LOD || lastLod === 'near') ? visible ?? cull(s) : undefined;
      if (vis && vis.length <= MAX_LABELS) names(s, vis);
      else placed = [];
      overlays(s);
      canvas.dataset['marks'] = JSON.stringify(marks.draw(ctx, t, s, w, h));
    }
    frames++;
    canvas.dataset['frames'] = String(frames);
    canvas.dataset['lod'] = lastLod;
    canvas.dataset['count'] = String(s?.n ?? 0);
    if (s && s.n <= 500) {
      const r2 = (v: number) => Math.round(v * 100) / 100;
      canvas.dataset['blocks'] = JSON.stringify(s.ids.map((id, i) => {
        const p = { x: s.x[i]!, y: s.y[i]! };
        const c = topCentre(t, p), l = plateSpot(t, p), f = toScreen(t, p.x, p.y), hd = handleSpot(t, p);
        return {
          id, status: SERVER_STATUSES[s.status[i]!], x: Math.round(c.x), y: Math.round(c.y), lx: Math.round(l.x), ly: Math.round(l.y), fx: Math.round(f.x), fy: Math.round(f.y),
          hx: Math.round(hd.x), hy: Math.round(hd.y), wx: r2(p.x), wy: r2(p.y),
        };
      }));
      canvas.dataset['floors'] = JSON.stringify(s.clusters.map((a) => ({ name: a.name, labelled: a.labelled, minX: r2(a.minX), minY: r2(a.minY), maxX: r2(a.maxX), maxY: r2(a.maxY) })));
      canvas.dataset['labels'] = JSON.stringify(placed);
      canvas.dataset['transform'] = JSON.stringify({ k: r2(t.k), x: r2(t.x), y: r2(t.y) });
    } else for (const k of ['blocks', 'floors', 'labels', 'transform']) delete canvas.dataset[k];
    canvas.dataset['pending'] = String(missing);
    // Tiles left for later, or a zoom that may have come to rest: draw again next frame.
    if (missing || (lastLod !== 'far' && t.k !== prevK)) invalidate();
    onFrame?.();
  }

  function resize(): boolean {
    const d = window.devicePixelRatio || 1;
    const cw = canvas.clientWidth, ch = canvas.clientHeight;
    if (cw === w && ch === h && d === dpr) return false;
    if (d !== dpr) { sprites.clear(); tiles.clear(); }
    w = cw; h = ch; dpr = d;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    invalidate();
    return true;
  }
  resize();

  return {
    canvas,
    setScene(s) {
      scene = s; layerStale = true; tiles.clear(); invalidate();
      canvas.dataset['scenes'] = String(Number(canvas.dataset['scenes'] ?? 0) + 1);
    },
    move(which, to) {
      if (!scene) return;
      dropTilesOf(scene, which);
      for (const i of which) { const p = to(i); scene.x[i] = p.x; scene.y[i] = p.y; }
      dropTilesOf(scene, which);
      invalidate();
    },
    liveChanged(changed, linksChanged) {
      if (!scene) return;
      if (linksChanged) { layerStale = true; tiles.clear(); }
      else if (changed.length) patchLayer(scene, changed);
      // Metrics show only as near bars; far and middle frames change only with a status.
      if (lastLod === 'near' || changed.length || linksChanged) invalidate();
    },
    setTransform(next) { t = { k: next.k, x: next.x, y: next.y }; invalidate(); },
    get transform() { return t; },
    setTheme(name) { if (theme.name !== name) { theme = THEMES[name]; layerStale = true; tiles.clear(); invalidate(); } },
    setOverlay(o) { overlay = { ...overlay, ...o }; invalidate(); },
    setMarks(m) { marks.set(m); invalidate(); },
    invalidate,
    draw,
    resize,
    layer() { if (scene && layerStale) buildLayer(scene); return layerCache; },
    clusterLabelAt: (p) => clusterLabelAt(placed, p),
    lod: () => lastLod,
    destroy() { if (raf) cancelAnimationFrame(raf); raf = 0; sprites.clear(); tiles.clear(); },
  };
}
