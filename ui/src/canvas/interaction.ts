/**
 * Pointer and keyboard on the canvas: d3-zoom for wheel zoom and drag-to-pan, d3-quadtree
 * hit-testing for hover, click and shift-click selection, a shift-drag lasso, dragging servers
 * (when the user may edit them), drawing a connection from a server's handle (or alt-drag) to
 * another (when the user may edit connections; Escape cancels), and clicking a line or a
 * cluster's name. Talks to the app only through the callbacks.
 */
import { select } from 'd3-selection';
import { type ZoomBehavior, zoom, zoomIdentity } from 'd3-zoom';
import { type Box, COS, HANDLE_MIN_K, HEIGHT, REACH, SIN, type Pt, type Transform, fitTransform, handleSpot, toWorld } from './geometry.js';
import { HANDLE_R, type Renderer } from './renderer.js';
import type { Scene } from './scene.js';

export interface InteractionCallbacks {
  canEdit(): boolean;
  /** The user may draw connections. */
  canConnect(): boolean;
  /** A connection was drawn from one server to another; `at` is where the pointer let go. */
  onDrawn(from: string, to: string, at: Pt): void;
  /** A click on a connection line (or on nothing: undefined clears). */
  onSelectLink(id: string | undefined): void;
  /** A click on a cluster's name. */
  onSelectCluster(name: string): void;
  /** A click (or lasso) chose these servers; `add` when shift was held. */
  onSelect(ids: string[], add: boolean): void;
  /** The pointer is over a server, over a connection line, or over neither. */
  onHover(target: { server: string } | { link: string } | undefined, at: Pt): void;
  /** Servers dragged to new world positions (on release). */
  onMoved(positions: Map<string, Pt>): void;
  /** Right-click: on a server (id) or on empty floor. */
  onContext(id: string | undefined, at: Pt): void;
  selected(): ReadonlySet<string>;
}

export interface Interaction {
  setScene(s: Scene): void;
  fit(animate?: boolean): void;
  zoomBy(f: number): void;
  panBy(dx: number, dy: number): void;
  /** Centres the view on this plane point (the minimap). */
  centreOn(planeX: number, planeY: number): void;
  destroy(): void;
}

export function attachInteraction(canvas: HTMLCanvasElement, r: Renderer, cb: InteractionCallbacks): Interaction {
  let scene: Scene | undefined;
  const sel = select(canvas);
  const local = (e: MouseEvent): Pt => {
    const b = canvas.getBoundingClientRect();
    return { x: e.clientX - b.left, y: e.clientY - b.top };
  };
  /** The server under a canvas pixel: pick at mid-block height, within a block's reach. */
  const hitAt = (p: Pt): number | undefined => scene?.hit(toWorld(r.transform, p.x, p.y, HEIGHT / 2), REACH + 0.25);

  /** The server whose connector handle is under this pixel (only the shown handle counts). */
  let handleOf: number | undefined;
  const handleAt = (p: Pt): number | undefined => {
    const s = scene;
    if (handleOf === undefined || !s || handleOf >= s.n || !cb.canConnect() || r.transform.k < HANDLE_MIN_K) return undefined;
    const c = handleSpot(r.transform, { x: s.x[handleOf]!, y: s.y[handleOf]! });
    return Math.hypot(p.x - c.x, p.y - c.y) <= HANDLE_R + 3 ? handleOf : undefined;
  };
  const showHandle = (i: number | undefined) => { if (i !== handleOf) { handleOf = i; r.setOverlay({ handle: i }); } };

  const zoomer: ZoomBehavior<HTMLCanvasElement, unknown> = zoom<HTMLCanvasElement, unknown>()
    .scaleExtent([0.05, 400])
    // Pan only on empty floor without shift: on a block a drag moves it, with shift it lassos; from a handle it draws a connection.
    .filter((e: MouseEvent & WheelEvent) => e.type === 'wheel' || (!e.button && !e.shiftKey && (e.type !== 'mousedown' || (hitAt(local(e)) === undefined && handleAt(local(e)) === undefined))))
    .on('zoom', (e: { transform: Transform }) => r.setTransform(e.transform));
  sel.call(zoomer).on('dblclick.zoom', null);
  const apply = (t: Transform) => sel.call(zoomer.transform, zoomIdentity.translate(t.x, t.y).scale(t.k));

  // ---- drag a server / lasso / click --------------------------------------------------------
  let gesture: { kind: 'drag' | 'lasso' | 'click' | 'connect'; start: Pt; hit?: number; moved: boolean; ids?: number[]; origin?: Map<number, Pt>; to?: number } | undefined;
  /** The click that ends a drag, lasso or connection is not a click on the floor. */
  let swallowClick = false;

  /** Escape while drawing a connection drops it. */
  const onEscape = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || gesture?.kind !== 'connect') return;
    e.preventDefault();
    e.stopPropagation();
    gesture = undefined;
    swallowClick = true;
    r.setOverlay({ drawing: undefined });
    window.removeEventListener('mousemove', onMove);
    window.removeEventListener('mouseup', onUp);
    window.removeEventListener('keydown', onEscape, true);
  };

  const onDown = (e: MouseEvent) => {
    if (e.button !== 0 || !scene) return;
    const p = local(e);
    const hit = hitAt(p);
    const from = handleAt(p) ?? (e.altKey && cb.canConnect() ? hit : undefined);
    if (from !== undefined) {
      e.preventDefault();
      e.stopImmediatePropagation();
      canvas.focus();
      gesture = { kind: 'connect', start: p, hit: from, moved: false };
      cb.onHover(undefined, p);
      window.addEventListener('mousemove', onMove);
      window.addEventListener('mouseup', onUp);
      window.addEventListener('keydown', onEscape, true);
      return;
    }
    if (hit === undefined && !e.shiftKey) return; // d3-zoom pans
    e.preventDefault();
    canvas.focus();
    if (hit !== undefined && !e.shiftKey && cb.canEdit()) {
      const s = scene;
      const id = s.ids[hit]!;
      const ids = cb.selected().has(id) ? [...cb.selected()].map((x) => s.index.get(x)).filter((i): i is number => i !== undefined) : [hit];
      gesture = { kind: 'drag', start: p, hit, moved: false, ids, origin: new Map(ids.map((i) => [i, { x: s.x[i]!, y: s.y[i]! }])) };
    } else gesture = { kind: hit !== undefined ? 'click' : 'lasso', start: p, hit, moved: false };
    window.addEventListener('mousemove', onMove);
    window.addEventListener('mouseup', onUp);
  };

  const lassoBox = (a: Pt, b: Pt): Box => ({ minX: Math.min(a.x, b.x), minY: Math.min(a.y, b.y), maxX: Math.max(a.x, b.x), maxY: Math.max(a.y, b.y) });

  const onMove = (e: MouseEvent) => {
    if (!gesture || !scene) return;
    const p = local(e);
    if (!gesture.moved && Math.hypot(p.x - gesture.start.x, p.y - gesture.start.y) < 4) return;
    gesture.moved = true;
    if (gesture.kind === 'connect') {
      const over = hitAt(p);
      gesture.to = over === gesture.hit ? undefined : over;
      r.setOverlay({ drawing: { from: gesture.hit!, to: gesture.to, at: p } });
    } else if (gesture.kind === 'drag') {
      const t = r.transform;
      const a = toWorld(t, gesture.start.x, gesture.start.y), b = toWorld(t, p.x, p.y);
      const origin = gesture.origin!;
      // The far layer and hit-testing catch up on release, when the app builds the next scene.
      r.move([...origin.keys()], (i) => ({ x: origin.get(i)!.x + b.x - a.x, y: origin.get(i)!.y + b.y - a.y }));
    } else if (gesture.kind === 'lasso') r.setOverlay({ lasso: lassoBox(gesture.start, p) });
  };

  const onUp = (e: MouseEvent) => {
    window.removeEventListener('mousemove', onMove);
    window.removeEventListener('mouseup', onUp);
    window.removeEventListener('keydown', onEscape, true);
    const g = gesture;
    gesture = undefined;
    const s = scene;
    if (!g || !s) return;
    if (g.moved) swallowClick = true;
    if (g.kind === 'connect') {
      r.setOverlay({ drawing: undefined });
      if (g.to !== undefined) cb.onDrawn(s.ids[g.hit!]!, s.ids[g.to]!, local(e));
    } else if (g.kind === 'drag' && g.moved) {
      cb.onMoved(new Map(g.ids!.map((i) => [s.ids[i]!, { x: s.x[i]!, y: s.y[i]! }])));
    } else if (g.kind === 'lasso' && g.moved) {
      r.setOverlay({ lasso: undefined });
      const box = lassoBox(g.start, local(e));
      const t = r.transform;
      const corners = [toWorld(t, box.minX, box.minY), toWorld(t, box.maxX, box.minY), toWorld(t, box.minX, box.maxY), toWorld(t, box.maxX, box.maxY)];
      const world = { minX: Math.min(...corners.map((c) => c.x)), maxX: Math.max(...corners.map((c) => c.x)), minY: Math.min(...corners.map((c) => c.y)), maxY: Math.max(...corners.map((c) => c.y)) };
      const ids = s.within(world).filter((i) => {
        const px = t.x + t.k * 0.8660254 * (s.x[i]! - s.y[i]!), py = t.y - t.k * 0.5 * (s.x[i]! + s.y[i]!);
        return px >= box.minX && px <= box.maxX && py >= box.minY && py <= box.maxY;
      }).map((i) => s.ids[i]!);
      cb.onSelect(ids, true);
    } else if (g.hit !== undefined) cb.onSelect([s.ids[g.hit]!], e.shiftKey);
  };

  // A click on empty floor (d3-zoom saw it as a pan of zero length): a cluster's name opens the
  // cluster, a line selects that connection, anything else clears the selection.
  const onClick = (e: MouseEvent) => {
    if (swallowClick) { swallowClick = false; return; }
    const p = local(e);
    if (e.shiftKey || gesture || hitAt(p) !== undefined || handleAt(p) !== undefined) return;
    const cluster = r.clusterLabelAt(p);
    if (cluster !== undefined) { cb.onSelectCluster(cluster); return; }
    const link = linkAt(p);
    if (link !== undefined) { cb.onSelectLink(scene!.linkIds[link]!); return; }
    cb.onSelectLink(undefined);
    cb.onSelect([], false);
  };

  /** The connection line within a few pixels of a canvas pixel, the nearest one. */
  const linkAt = (p: Pt): number | undefined => {
    const s = scene, t = r.transform;
    if (!s) return undefined;
    const px = (p.x - t.x) / t.k, py = (p.y - t.y) / t.k, m = 5 / t.k;
    let best: number | undefined, bestD = m;
    for (const j of s.linksIn({ minX: px - m, minY: py - m, maxX: px + m, maxY: py + m })) {
      const a = s.linkA[j]!, b = s.linkB[j]!;
      const ax = COS * (s.x[a]! - s.y[a]!), ay = -SIN * (s.x[a]! + s.y[a]!);
      const bx = COS * (s.x[b]! - s.y[b]!), by = -SIN * (s.x[b]! + s.y[b]!);
      const dx = bx - ax, dy = by - ay, len = dx * dx + dy * dy || 1;
      const u = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len));
      const d = Math.hypot(px - ax - u * dx, py - ay - u * dy);
      if (d < bestD) { bestD = d; best = j; }
    }
    return best;
  };

  let hovered: number | undefined;
  const onHover = (e: MouseEvent) => {
    if (gesture) return;
    const p = local(e);
    const hit = hitAt(p);
    if (hit !== hovered) { hovered = hit; r.setOverlay({ hover: hit }); }
    // The handle follows the hovered server, and stays while the pointer is on it (even over a block behind it).
    if (cb.canConnect()) showHandle(r.transform.k < HANDLE_MIN_K ? undefined : handleAt(p) ?? hit);
    canvas.style.cursor = handleAt(p) !== undefined ? 'crosshair' : '';
    const link = hit === undefined ? linkAt(p) : undefined;
    cb.onHover(hit !== undefined ? { server: scene!.ids[hit]! } : link !== undefined ? { link: scene!.linkIds[link]! } : undefined, p);
  };
  const onLeave = () => { hovered = undefined; if (!gesture) showHandle(undefined); r.setOverlay({ hover: undefined }); cb.onHover(undefined, { x: 0, y: 0 }); };
  const onContext = (e: MouseEvent) => {
    e.preventDefault();
    const p = local(e);
    const hit = hitAt(p);
    cb.onContext(hit === undefined ? undefined : scene!.ids[hit], p);
  };

  const api: Interaction = {
    setScene(s) { scene = s; },
    fit() {
      const b = scene?.bounds;
      apply(fitTransform(b, canvas.clientWidth, canvas.clientHeight));
    },
    zoomBy(f) { sel.call(zoomer.scaleBy, f); },
    panBy(dx, dy) { sel.call(zoomer.translateBy, dx / r.transform.k, dy / r.transform.k); },
    centreOn(px, py) {
      const t = r.transform;
      apply({ k: t.k, x: canvas.clientWidth / 2 - t.k * px, y: canvas.clientHeight / 2 - t.k * py });
    },
    destroy() {
      sel.on('.zoom', null);
      canvas.removeEventListener('mousedown', onDown, true);
      for (const [type, fn] of listeners) canvas.removeEventListener(type, fn);
      window.removeEventListener('mousemove', onMove);
      window.removeEventListener('mouseup', onUp);
      window.removeEventListener('keydown', onEscape, true);
    },
  };
  // Capture phase: decide before d3-zoom's own mousedown handler whether this is a pan.
  canvas.addEventListener('mousedown', onDown, true);
  const listeners = [['click', onClick], ['mousemove', onHover], ['mouseleave', onLeave], ['contextmenu', onContext]] as const;
  for (const [type, fn] of listeners) canvas.addEventListener(type, fn);
  return api;
}
