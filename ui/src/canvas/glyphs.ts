/** A small line drawing per server type, in a unit square, drawn on each block's top face. */
import type { ServerType } from '../../../agent/protocol/types.js';

type Draw = (c: CanvasRenderingContext2D) => void;

const poly = (c: CanvasRenderingContext2D, pts: number[]) => {
  c.moveTo(pts[0]!, pts[1]!);
  for (let i = 2; i < pts.length; i += 2) c.lineTo(pts[i]!, pts[i + 1]!);
};

export const GLYPHS: Record<ServerType, Draw> = {
  web: (c) => { c.arc(0.5, 0.5, 0.28, 0, 2 * Math.PI); c.moveTo(0.22, 0.5); c.lineTo(0.78, 0.5); c.moveTo(0.63, 0.5); c.ellipse(0.5, 0.5, 0.13, 0.28, 0, 0, 2 * Math.PI); },
  database: (c) => {
    c.ellipse(0.5, 0.3, 0.24, 0.08, 0, 0, 2 * Math.PI);
    poly(c, [0.26, 0.3, 0.26, 0.72]); poly(c, [0.74, 0.3, 0.74, 0.72]);
    c.moveTo(0.74, 0.51); c.ellipse(0.5, 0.51, 0.24, 0.08, 0, 0, Math.PI);
    c.moveTo(0.74, 0.72); c.ellipse(0.5, 0.72, 0.24, 0.08, 0, 0, Math.PI);
  },
  dns: (c) => {
    poly(c, [0.5, 0.3, 0.28, 0.7]); poly(c, [0.5, 0.3, 0.72, 0.7]);
    for (const [x, y] of [[0.5, 0.27], [0.27, 0.73], [0.73, 0.73]] as const) { c.moveTo(x + 0.08, y); c.arc(x, y, 0.08, 0, 2 * Math.PI); }
  },
  cache: (c) => { poly(c, [0.56, 0.18, 0.33, 0.55, 0.5, 0.55, 0.44, 0.82, 0.67, 0.45, 0.5, 0.45, 0.56, 0.18]); },
  loadbalancer: (c) => { poly(c, [0.5, 0.18, 0.5, 0.45]); poly(c, [0.22, 0.8, 0.5, 0.45, 0.78, 0.8]); poly(c, [0.5, 0.45, 0.5, 0.82]); },
  filesystem: (c) => { poly(c, [0.2, 0.3, 0.42, 0.3, 0.48, 0.37, 0.8, 0.37, 0.8, 0.75, 0.2, 0.75, 0.2, 0.3]); },
  monitoring: (c) => { poly(c, [0.14, 0.55, 0.34, 0.55, 0.44, 0.28, 0.56, 0.76, 0.66, 0.5, 0.86, 0.5]); },
  backup: (c) => { c.arc(0.5, 0.5, 0.26, -0.35 * Math.PI, 1.35 * Math.PI); poly(c, [0.56, 0.14, 0.66, 0.29, 0.48, 0.33]); },
  security: (c) => { c.moveTo(0.5, 0.17); c.lineTo(0.78, 0.28); c.quadraticCurveTo(0.76, 0.68, 0.5, 0.84); c.quadraticCurveTo(0.24, 0.68, 0.22, 0.28); c.closePath(); },
};
