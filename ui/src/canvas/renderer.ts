/**
 * Draws the fleet on one canvas with isomer. The canvas is not a VDOM tree: `update` is cheap
 * to call on every model change and repaints only when what is drawn (the servers, their names
 * and statuses) or the canvas size changed, never for metrics alone.
 *
 * After each paint the canvas carries, for tests and for hit-testing later:
 * - `data-count`: the number of blocks drawn; `data-draws`: how many paints so far;
 * - `data-blocks`: `[{"id","status","x","y"}]`, x/y the centre of each block's top face in CSS
 *   pixels from the canvas' top-left corner (multiply by `width / clientWidth` for bitmap pixels).
 */
import Isomer from 'isomer';
import { STATUS_LABEL, STATUS_RGB } from './colors.js';
import { type Block, HEIGHT, PITCH, PLATE, PLATE_H, SIZE, drawOrder, fitView, frontCorner, gridLayout, topCentre } from './layout.js';

const { Color, Point, Shape } = Isomer;

const PLATE_RGB = [214, 220, 227] as const;
const LABEL_COLOR = '#2d3748';
const LABEL_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
/** Below this many pixels per world unit, labels would overlap their neighbours: leave them out. */
const MIN_LABEL_SCALE = 14;

export interface Renderer {
  /** Shows these blocks; repaints only if they differ from what is on the canvas. */
  update(blocks: readonly Block[]): void;
  /** Repaints if the canvas' CSS size or the device pixel ratio changed. */
  resize(): void;
}

/** What a paint depends on besides the size; equal keys look the same. */
const sceneKey = (blocks: readonly Block[]) => JSON.stringify(blocks.map((b) => [b.id, b.name, b.status]).sort());

/** `text`, cut with an ellipsis to fit `max` pixels in the context's current font. */
function ellipsize(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let n = text.length;
  while (n > 1 && ctx.measureText(`${text.slice(0, n - 1)}…`).width > max) n--;
  return `${text.slice(0, n - 1)}…`;
}

/** The canvas' text alternative: how many servers, by status. */
function describe(blocks: readonly Block[]): string {
  const counts = new Map<Block['status'], number>();
  for (const b of blocks) counts.set(b.status, (counts.get(b.status) ?? 0) + 1);
  return `Isometric view of ${blocks.length} servers` +
    [...counts].map(([s, n]) => `, ${n} ${STATUS_LABEL[s].toLowerCase()}`).join('');
}

export function createRenderer(canvas: HTMLCanvasElement): Renderer {
  let blocks: readonly Block[] = [];
  let key = '';
  let size = '';
  let draws = 0;

  const paint = () => {
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    size = `${w}x${h}@${dpr}`;
    // Setting width/height clears the bitmap; the bitmap is in device pixels for sharp edges.
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const placed = gridLayout(blocks);
    const view = fitView(placed, w, h);
    const iso = new Isomer(canvas, { scale: view.scale * dpr, originX: view.originX * dpr, originY: view.originY * dpr });
    for (const p of drawOrder(placed)) {
      iso.add(Shape.Prism(new Point(p.gx - PLATE, p.gy - PLATE, 0), SIZE + 2 * PLATE, SIZE + 2 * PLATE, PLATE_H), new Color(...PLATE_RGB));
      iso.add(Shape.Prism(new Point(p.gx, p.gy, PLATE_H), SIZE, SIZE, HEIGHT), new Color(...STATUS_RGB[p.status]));
    }
    // Labels last, so a block in front never hides the name of the one behind it.
    if (view.scale >= MIN_LABEL_SCALE) {
      const ctx = iso.canvas.ctx;
      ctx.font = `500 ${12 * dpr}px ${LABEL_FONT}`;
      ctx.fillStyle = LABEL_COLOR;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      // Labels on one screen line are 2·cos30°·PITCH units apart; keep a gap between them.
      const maxWidth = (2 * Math.cos(Math.PI / 6) * PITCH * view.scale - 10) * dpr;
      for (const p of placed) {
        const c = frontCorner(view, p);
        ctx.fillText(ellipsize(ctx, p.name, maxWidth), c.x * dpr, (c.y + 6) * dpr);
      }
    }
    canvas.setAttribute('aria-label', describe(placed));
    canvas.dataset['count'] = String(placed.length);
    canvas.dataset['draws'] = String(++draws);
    canvas.dataset['blocks'] = JSON.stringify(placed.map((p) => {
      const c = topCentre(view, p);
      return { id: p.id, status: p.status, x: Math.round(c.x), y: Math.round(c.y) };
    }));
  };

  return {
    update(next) {
      const k = sceneKey(next);
      blocks = next;
      if (k !== key) { key = k; paint(); }
    },
    resize() {
      if (`${canvas.clientWidth}x${canvas.clientHeight}@${window.devicePixelRatio || 1}` !== size) paint();
    },
  };
}
