/**
 * The Preact side of the canvas: owns the element, the renderer, pointer handling and the
 * minimap; shows the tooltip and the context menu as DOM. Model changes reach the renderer as
 * a new Scene only when servers, positions, connections or clusters change; statuses and
 * metrics are patched into the current Scene (no rebuild).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Pt } from './geometry.js';
import { type Interaction, attachInteraction } from './interaction.js';
import { type Renderer, createRenderer } from './renderer.js';
import { type LiveInput, Scene, type SceneInput } from './scene.js';
import type { Theme } from './colors.js';
import { type Marks, NO_MARKS } from './marks.js';

export interface CanvasHandle {
  fit(): void;
  zoomBy(f: number): void;
  panBy(dx: number, dy: number): void;
  /** The canvas as a PNG data URL. */
  png(): string;
}

export interface IsoCanvasProps {
  input: SceneInput;
  live: LiveInput;
  /** Changes whenever `live` answers differently. */
  liveKey: unknown;
  selected: ReadonlySet<string>;
  theme: Theme['name'];
  /** Badges and line states drawn over the diagram. */
  marks?: Marks;
  canEdit: boolean;
  /** The user may draw connections (the handle over a hovered server). */
  canConnect: boolean;
  /** The selected connection's id, outlined on the diagram. */
  selectedLink?: string;
  /** Changes when the layout kind does: the view fits the new layout. */
  fitKey?: unknown;
  onSelect(ids: string[], add: boolean): void;
  onDrawn(from: string, to: string, at: Pt): void;
  onSelectLink(id: string | undefined): void;
  onSelectCluster(name: string): void;
  onMoved(positions: Map<string, Pt>): void;
  onContext(id: string | undefined, at: Pt): void;
  onKey(e: KeyboardEvent): void;
  tooltip(target: { server: string } | { link: string }): preact.ComponentChildren;
  handle: { current?: CanvasHandle };
}

export function IsoCanvas(p: IsoCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const mini = useRef<HTMLCanvasElement>(null);
  const parts = useRef<{ r: Renderer; ix: Interaction; scene?: Scene }>();
  const props = useRef(p);
  props.current = p;
  const [hover, setHover] = useState<{ target: { server: string } | { link: string }; at: Pt }>();

  useEffect(() => {
    const el = canvas.current!;
    const m = mini.current!;
    // The minimap: a small copy of the far layer, remade only when the layer changes, and the
    // main view's rectangle on it, redrawn with every frame.
    const thumb = document.createElement('canvas');
    let thumbVersion = -1;
    const drawMini = () => {
      const { r: rr } = parts.current ?? {};
      const L = rr?.layer();
      const c = m.getContext('2d')!;
      if (m.width !== m.clientWidth || m.height !== m.clientHeight) { m.width = m.clientWidth; m.height = m.clientHeight; thumbVersion = -1; }
      c.clearRect(0, 0, m.width, m.height);
      if (!rr || !L) return;
      const f = Math.min(m.width / L.image.width, m.height / L.image.height);
      const ox = (m.width - L.image.width * f) / 2, oy = (m.height - L.image.height * f) / 2;
      if (thumbVersion !== L.version) {
        thumb.width = m.width;
        thumb.height = m.height;
        thumb.getContext('2d')!.drawImage(L.image, ox, oy, L.image.width * f, L.image.height * f);
        thumbVersion = L.version;
      }
      c.drawImage(thumb, 0, 0);
      const t = rr.transform, k = (f * L.scale) / t.k;
      c.strokeStyle = '#2f80ed';
      c.lineWidth = 1.5;
      c.strokeRect(ox + (-t.x / t.k - L.box.minX) * f * L.scale, oy + (-t.y / t.k - L.box.minY) * f * L.scale, el.clientWidth * k, el.clientHeight * k);
      m.dataset['box'] = JSON.stringify({ ox, oy, f: f * L.scale, minX: L.box.minX, minY: L.box.minY });
    };
    const r = createRenderer(el, drawMini);
    const ix = attachInteraction(el, r, {
      canEdit: () => props.current.canEdit,
      canConnect: () => props.current.canConnect,
      onDrawn: (from, to, at) => props.current.onDrawn(from, to, at),
      onSelectLink: (id) => props.current.onSelectLink(id),
      onSelectCluster: (name) => props.current.onSelectCluster(name),
      onSelect: (ids, add) => props.current.onSelect(ids, add),
      onHover: (target, at) => setHover(target ? { target, at } : undefined),
      onMoved: (pos) => props.current.onMoved(pos),
      onContext: (id, at) => props.current.onContext(id, at),
      selected: () => props.current.selected,
    });
    parts.current = { r, ix };
    p.handle.current = {
      fit: () => ix.fit(), zoomBy: (f) => ix.zoomBy(f), panBy: (dx, dy) => ix.panBy(dx, dy),
      png: () => { r.draw(); return el.toDataURL('image/png'); },
    };
    const ro = new ResizeObserver(() => r.resize());
    ro.observe(el);
    // The minimap recentres the main view where it is clicked.
    const onMini = (e: MouseEvent) => {
      const b = JSON.parse(m.dataset['box'] ?? 'null') as { ox: number; oy: number; f: number; minX: number; minY: number } | null;
      if (!b) return;
      const rect = m.getBoundingClientRect();
      ix.centreOn((e.clientX - rect.left - b.ox) / b.f + b.minX, (e.clientY - rect.top - b.oy) / b.f + b.minY);
    };
    m.addEventListener('click', onMini);
    return () => { ro.disconnect(); ix.destroy(); r.destroy(); m.removeEventListener('click', onMini); parts.current = undefined; };
  }, []);

  // A new scene when the structure changes; fit the view the first time there is something, and
  // whenever the layout kind changed.
  const fitted = useRef<unknown>();
  useEffect(() => {
    const x = parts.current!;
    const first = !x.scene?.n;
    const s = new Scene(p.input);
    s.applyLive(p.live);
    x.scene = s;
    x.r.setScene(s);
    x.ix.setScene(s);
    if (s.n && (first || fitted.current !== p.fitKey)) { x.ix.fit(); fitted.current = p.fitKey; }
    x.r.setOverlay({ selected: indices(s, p.selected), selectedLink: linkIndex(s, p.selectedLink), handle: undefined, drawing: undefined });
  }, [p.input]);

  useEffect(() => {
    const x = parts.current!;
    if (x.scene) x.r.setOverlay({ selectedLink: linkIndex(x.scene, p.selectedLink) });
  }, [p.selectedLink]);

  useEffect(() => {
    const x = parts.current!;
    if (!x.scene) return;
    const { changed, links } = x.scene.applyLive(p.live);
    x.r.liveChanged(changed, links);
  }, [p.liveKey]);

  useEffect(() => {
    const x = parts.current!;
    if (x.scene) x.r.setOverlay({ selected: indices(x.scene, p.selected) });
  }, [p.selected]);

  useEffect(() => { parts.current!.r.setTheme(p.theme); }, [p.theme]);
  useEffect(() => { parts.current!.r.setMarks(p.marks ?? NO_MARKS); }, [p.marks]);

  return (
    <div class="uc-canvas-box">
      <canvas ref={canvas} class="uc-canvas" role="img" tabIndex={0} data-testid="fleet-canvas"
        aria-label={`Isometric view of ${p.input.servers.length} servers. Arrow keys pan, + and - zoom, F fits, Escape clears the selection; the table below lists the same servers.`}
        onKeyDown={(e) => p.onKey(e)} />
      <canvas ref={mini} class="uc-minimap" data-testid="minimap" aria-hidden="true" />
      {hover && <div class="uc-tooltip" data-testid="tooltip" role="tooltip" style={{ left: `${hover.at.x + 14}px`, top: `${hover.at.y + 14}px` }}>{p.tooltip(hover.target)}</div>}
    </div>
  );
}

function linkIndex(s: Scene, id: string | undefined): number | undefined {
  const j = id === undefined ? -1 : s.linkIds.indexOf(id);
  return j < 0 ? undefined : j;
}

function indices(s: Scene, ids: ReadonlySet<string>): Set<number> {
  const out = new Set<number>();
  for (const id of ids) { const i = s.index.get(id); if (i !== undefined) out.add(i); }
  return out;
}
