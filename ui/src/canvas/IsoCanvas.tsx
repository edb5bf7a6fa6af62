/** The Preact side of the canvas: owns the element, hands blocks and size changes to the renderer. */
import { useEffect, useRef } from 'preact/hooks';
import type { Block } from './layout.js';
import { type Renderer, createRenderer } from './renderer.js';

export function IsoCanvas({ blocks }: { blocks: readonly Block[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const renderer = useRef<Renderer>();

  useEffect(() => {
    const el = canvas.current!;
    const r = createRenderer(el);
    renderer.current = r;
    const ro = new ResizeObserver(() => r.resize());
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Declared after the effect above, so on mount it runs second, with the renderer in place.
  useEffect(() => renderer.current?.update(blocks), [blocks]);

  return <canvas ref={canvas} class="uc-canvas" role="img" data-testid="fleet-canvas" />;
}
