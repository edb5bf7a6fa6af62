#!/usr/bin/env node
// Draws module/images/icon.gif (48×48, three isometric blocks) with a minimal GIF writer:
// uncompressed LZW (a clear code before the table grows), enough for an icon.
import { writeFileSync } from 'node:fs';

const W = 48, H = 48;
const palette = ['#ffffff', '#1f2a37', '#7dd3fc', '#0ea5e9', '#0369a1', '#86efac', '#22c55e', '#15803d', '#fcd34d', '#f59e0b', '#b45309'];
const block = (cx, cy, w, h, [top, left, right]) => [
  [[cx, cy - w / 2], [cx + w, cy], [cx, cy + w / 2], [cx - w, cy], top],
  [[cx - w, cy], [cx, cy + w / 2], [cx, cy + w / 2 + h], [cx - w, cy + h], left],
  [[cx + w, cy], [cx, cy + w / 2], [cx, cy + w / 2 + h], [cx + w, cy + h], right],
];
const faces = [...block(24, 13, 14, 10, [2, 3, 4]), ...block(12, 29, 10, 8, [5, 6, 7]), ...block(36, 29, 10, 8, [8, 9, 10])];
const inside = (pts, x, y) => {
  let c = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i], [xj, yj] = pts[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
};
const pixels = new Uint8Array(W * H);
for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
  for (const f of faces) if (inside(f.slice(0, 4), x + 0.5, y + 0.5)) pixels[y * W + x] = f[4];
}

const bits = 4, clear = 1 << bits, end = clear + 1, codeSize = bits + 1;
const out = [];
let acc = 0, n = 0;
const put = (code) => { acc |= code << n; n += codeSize; while (n >= 8) { out.push(acc & 255); acc >>= 8; n -= 8; } };
pixels.forEach((p, i) => { if (i % (clear - 2) === 0) put(clear); put(p); });
put(end);
if (n) out.push(acc & 255);
const table = palette.concat(Array(16 - palette.length).fill('#000000')).flatMap((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
const sub = [];
for (let i = 0; i < out.length; i += 255) sub.push(Math.min(255, out.length - i), ...out.slice(i, i + 255));
const gif = Buffer.from([
  ...Buffer.from('GIF89a'), W, 0, H, 0, 0xf0 | (bits - 1), 0, 0, ...table,
  0x21, 0xf9, 4, 1, 0, 0, 0, 0, // graphic control: colour 0 (white) is transparent
  0x2c, 0, 0, 0, 0, W, 0, H, 0, 0, bits, ...sub, 0, 0x3b,
]);
writeFileSync(new URL('../module/images/icon.gif', import.meta.url), gif);
