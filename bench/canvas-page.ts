/**
 * The page side of bench:canvas: a synthetic fleet of N servers (all nine types, mixed statuses,
 * N connections, a cluster per 100 servers) drawn by the real renderer while panning and
 * zooming. Each frame is timed from the first draw call until the pixels exist (getImageData
 * forces Chromium to rasterise what it recorded).
 */
import { CONNECTION_TYPES, SERVER_STATUSES, SERVER_TYPES } from '../agent/protocol/common.js';
import { fitTransform } from '../ui/src/canvas/geometry.js';
import { layout } from '../ui/src/canvas/layouts.js';
import { NEAR_K, createRenderer } from '../ui/src/canvas/renderer.js';
import { Scene } from '../ui/src/canvas/scene.js';

declare global { interface Window { runBench(n: number): { frames: number[]; setupMs: number; lods: Record<string, number[]> } } }

window.runBench = (n) => {
  const t0 = performance.now();
  const id = (i: number) => `s${String(i).padStart(6, '0')}`;
  const servers = Array.from({ length: n }, (_, i) => ({ id: id(i), name: `server-${i}`, type: SERVER_TYPES[i % 9]!, region: `r${i % 4}` }));
  const connections = servers.map((s, i) => ({ id: `${s.id}:${id((i + 1) % n)}`, from: s.id, to: id((i + 1) % n), type: CONNECTION_TYPES[i % 5]! }));
  const clusters = Array.from({ length: Math.floor(n / 100) }, (_, c) => ({ name: `c${c}`, servers: servers.slice(c * 100, c * 100 + 20).map((s) => s.id) }));
  const positions = layout('circular', { servers, connections, clusters });
  const scene = new Scene({ servers, positions, connections, clusters });
  scene.applyLive({
    status: (sid) => SERVER_STATUSES[Number(sid.slice(1)) % 7 === 0 ? 2 : Number(sid.slice(1)) % 11 === 0 ? 1 : 0]!,
    load: (sid) => [Number(sid.slice(1)) % 100, 50],
    link: (lid) => (lid.length % 2 ? 'connected' : 'disconnected'),
  });
  const canvas = document.querySelector('canvas')!;
  const r = createRenderer(canvas);
  r.setScene(scene);
  const fit = fitTransform(scene.bounds, canvas.clientWidth, canvas.clientHeight);
  const ctx = canvas.getContext('2d')!;
  const lods: Record<string, number[]> = {};
  const frame = (k: number, dx: number, dy: number) => {
    // Zoom about the canvas centre, then pan.
    const cx = canvas.clientWidth / 2, cy = canvas.clientHeight / 2;
    const f = k / fit.k;
    r.setTransform({ k, x: cx - (cx - fit.x) * f + dx, y: cy - (cy - fit.y) * f + dy });
    const a = performance.now();
    r.draw();
    ctx.getImageData(0, 0, 1, 1);
    const ms = performance.now() - a;
    (lods[r.lod()] ??= []).push(Math.round(ms));
    return ms;
  };
  // Warm up: builds the far layer and the sprites once, as the first frames of a real session do.
  frame(fit.k, 0, 0);
  frame(NEAR_K * 2, 0, 0);
  const setupMs = performance.now() - t0;
  const frames: number[] = [];
  for (const k of Object.keys(lods)) delete lods[k];
  const steps = 30;
  const near = NEAR_K * 2.5;
  for (let i = 0; i < steps; i++) frames.push(frame(fit.k, 8 * i, 4 * i)); // pan the whole fleet
  for (let i = 0; i < steps; i++) frames.push(frame(fit.k * (near / fit.k) ** (i / steps), 3 * i, -2 * i)); // zoom in
  for (let i = 0; i < steps; i++) frames.push(frame(near, -10 * i, 6 * i)); // pan close up
  for (let i = 0; i < steps; i++) frames.push(frame(near * (fit.k / near) ** (i / steps), 0, 0)); // zoom out
  frame(fit.k, 0, 0);
  r.destroy();
  return { frames, setupMs, lods };
};
