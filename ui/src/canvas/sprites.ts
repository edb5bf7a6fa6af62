/**
 * One bitmap per server type × status × zoom level, drawn once with isomer and then copied with
 * drawImage: isomer's per-face path building is far too slow to run per block per frame.
 */
import Isomer from 'isomer';
import type { ServerStatus, ServerType } from '../../../agent/protocol/types.js';
import { STATUS_RGB, TYPE_RGB, ghost, shade } from './colors.js';
import { COS, HEIGHT, PLATE_H, REACH, SIN, SIZE } from './geometry.js';
import { GLYPHS } from './glyphs.js';

const { Color, Point, Shape } = Isomer;

export interface Sprite {
  image: HTMLCanvasElement;
  /** World units → sprite pixels. */
  scale: number;
  /** The sprite pixel of the block's centre on the floor. */
  ax: number;
  ay: number;
}

const TOP = PLATE_H + HEIGHT;

export function drawSprite(type: ServerType, status: ServerStatus, scale: number): Sprite {
  const pad = 2;
  const w = Math.ceil(4 * REACH * COS * scale) + 2 * pad;
  const h = Math.ceil((4 * REACH * SIN + TOP) * scale) + 2 * pad;
  const ax = w / 2;
  const ay = pad + (2 * REACH * SIN + TOP) * scale;
  const image = document.createElement('canvas');
  image.width = w;
  image.height = h;
  const iso = new Isomer(image, { scale, originX: ax, originY: ay });
  iso.add(Shape.Prism(new Point(-REACH, -REACH, 0), 2 * REACH, 2 * REACH, PLATE_H), new Color(...STATUS_RGB[status]));
  // Not reporting yet: washed out, so it never passes for a server that is up.
  const body = status === 'unknown' ? ghost(TYPE_RGB[type]) : TYPE_RGB[type];
  iso.add(Shape.Prism(new Point(-SIZE / 2, -SIZE / 2, PLATE_H), SIZE, SIZE, HEIGHT), new Color(...body));
  // The glyph lies flat on the top face: glyph x along world +x, glyph y along world -y.
  const c = iso.canvas.ctx;
  c.save();
  c.setTransform(COS * scale, -SIN * scale, COS * scale, SIN * scale, ax - COS * scale, ay - TOP * scale);
  c.beginPath();
  GLYPHS[type](c);
  c.lineWidth = 0.075;
  c.lineJoin = c.lineCap = 'round';
  c.strokeStyle = `rgba(${shade(body, 1.85).join(',')},0.95)`;
  c.stroke();
  c.restore();
  return { image, scale, ax, ay };
}

/** Sprites made on first use and kept; `clear` when the device pixel ratio changes. */
export class SpriteCache {
  private readonly cache = new Map<string, Sprite>();
  get(type: ServerType, status: ServerStatus, level: number, dpr: number): Sprite {
    const key = `${type}|${status}|${level}|${dpr}`;
    let s = this.cache.get(key);
    if (!s) this.cache.set(key, (s = drawSprite(type, status, level * dpr)));
    return s;
  }
  clear() { this.cache.clear(); }
}
