/** The diagram as a standalone SVG: cluster floors, lines and blocks (three faces each), back to front. */
import { CONNECTION_STATUSES, SERVER_STATUSES, SERVER_TYPES } from '../../../agent/protocol/common.js';
import { CONNECTION_RGB, LINK_STATUS_CSS, LINK_UNKNOWN_DASH, STATUS_RGB, TYPE_RGB, type Theme, ghost, hex, shade } from './colors.js';
import { HEIGHT, PLATE_H, REACH, SIZE, planeX, planeY } from './geometry.js';
import type { Scene } from './scene.js';

const TOP = PLATE_H + HEIGHT;
const K = 24;
const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function sceneSvg(s: Scene, theme: Theme): string {
  const b = s.bounds ?? { minX: 0, minY: 0, maxX: 1, maxY: 1 };
  const X = (x: number, y: number) => ((planeX(x, y) - b.minX) * K).toFixed(1);
  const Y = (x: number, y: number, z = 0) => ((planeY(x, y, z) - b.minY) * K).toFixed(1);
  const pt = (x: number, y: number, z = 0) => `${X(x, y)},${Y(x, y, z)}`;
  const sq = (x: number, y: number, r: number, z: number) => [pt(x - r, y - r, z), pt(x + r, y - r, z), pt(x + r, y + r, z), pt(x - r, y + r, z)].join(' ');
  const out: string[] = [];
  const w = ((b.maxX - b.minX) * K).toFixed(0), h = ((b.maxY - b.minY) * K + 20).toFixed(0);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="100%" height="100%" fill="${theme.background}"/>`);
  for (const a of s.clusters) {
    out.push(`<polygon points="${[pt(a.minX, a.minY), pt(a.maxX, a.minY), pt(a.maxX, a.maxY), pt(a.minX, a.maxY)].join(' ')}" fill="${theme.clusterFill}" stroke="${theme.clusterStroke}"/>`);
    if (a.labelled) out.push(`<text x="${X(a.minX, a.maxY)}" y="${Y(a.minX, a.maxY)}" fill="${theme.clusterLabel}" font-weight="600">${esc(a.name)}</text>`);
  }
  for (let j = 0; j < s.linkIds.length; j++) {
    const p = s.linkA[j]!, q = s.linkB[j]!;
    const d = `M${pt(s.x[p]!, s.y[p]!)}L${pt(s.x[q]!, s.y[q]!)}`;
    const status = CONNECTION_STATUSES[s.linkState[j]!]!;
    out.push(status === 'unknown'
      ? `<path d="${d}" stroke="${LINK_STATUS_CSS.unknown}" stroke-width="2" stroke-dasharray="${LINK_UNKNOWN_DASH.join(' ')}"/>`
      : `<path d="${d}" stroke="${LINK_STATUS_CSS[status]}" stroke-width="4"/><path d="${d}" stroke="${hex(Object.values(CONNECTION_RGB)[s.linkType[j]!]!)}" stroke-width="1.5"/>`);
  }
  for (const i of s.order) {
    const x = s.x[i]!, y = s.y[i]!, r = SIZE / 2;
    const type = TYPE_RGB[SERVER_TYPES[s.type[i]!]!];
    const rgb = SERVER_STATUSES[s.status[i]!] === 'unknown' ? ghost(type) : type;
    out.push(`<g data-id="${esc(s.ids[i]!)}"><polygon points="${sq(x, y, REACH, 0)}" fill="${hex(STATUS_RGB[SERVER_STATUSES[s.status[i]!]!])}"/>`
      + `<polygon points="${[pt(x - r, y - r, PLATE_H), pt(x - r, y + r, PLATE_H), pt(x - r, y + r, TOP), pt(x - r, y - r, TOP)].join(' ')}" fill="${hex(shade(rgb, 0.72))}"/>`
      + `<polygon points="${[pt(x - r, y - r, PLATE_H), pt(x + r, y - r, PLATE_H), pt(x + r, y - r, TOP), pt(x - r, y - r, TOP)].join(' ')}" fill="${hex(shade(rgb, 0.86))}"/>`
      + `<polygon points="${sq(x, y, r, TOP)}" fill="${hex(shade(rgb, 1.12))}"/>`
      + `<text x="${X(x - REACH, y - REACH)}" y="${(Number(Y(x - REACH, y - REACH)) + 13).toFixed(1)}" text-anchor="middle" fill="${theme.label}">${esc(s.names[i]!)}</text></g>`);
  }
  out.push('</svg>');
  return out.join('\n');
}
