/** The numbers behind a history chart, pure: a round top for the y axis, tick labels, time ticks. */
import type { HistoryWindow } from '../../agent/protocol/types.js';
import { rate } from './format.js';

export type Unit = 'pct' | 'rate' | 'load';

/** The smallest of 1, 2, 2.5, 5 × 10^n at or above `v` (at least `floor`). */
export function niceTop(v: number, floor: number): number {
  const x = Math.max(v, floor);
  const p = 10 ** Math.floor(Math.log10(x));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((c) => c >= x - 1e-9)!;
}

/**
 * The y axis' top for these series: 100 for percentages, else a round value above the largest
 * point (for rates, round in the unit it is shown in: 200 MB/s, not 2 × 10⁸ B/s).
 */
export function axisTop(unit: Unit, series: readonly (readonly (number | null)[])[]): number {
  if (unit === 'pct') return 100;
  let max = 0;
  for (const s of series) for (const p of s) if (p !== null && p > max) max = p;
  if (unit === 'load') return niceTop(max, 1);
  let scale = 1;
  while (max / scale >= 1000 && scale < 1024 ** 4) scale *= 1024;
  return niceTop(max / scale, scale === 1 ? 1000 : 1) * scale;
}

export function tickLabel(unit: Unit, v: number): string {
  if (unit === 'pct') return `${v} %`;
  if (unit === 'rate') return v === 0 ? '0' : rate(v);
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/** Where the time ticks go (0 = oldest point, 1 = now) and what they say. */
export function timeTicks(window: HistoryWindow): { at: number; label: string }[] {
  return window === '15m'
    ? [{ at: 0, label: '−15 min' }, { at: 1 / 3, label: '−10' }, { at: 2 / 3, label: '−5' }, { at: 1, label: 'now' }]
    : [{ at: 0, label: '−24 h' }, { at: 0.25, label: '−18' }, { at: 0.5, label: '−12' }, { at: 0.75, label: '−6' }, { at: 1, label: 'now' }];
}
