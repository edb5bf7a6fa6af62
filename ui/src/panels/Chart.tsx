/**
 * One metric's history as a small line chart with its axes: 0 and a round top on the left, the
 * time on the bottom. Every chart has the same size and time axis, so charts stacked in a grid line
 * up; null points are gaps. Drawn with d3-shape.
 */
import { line } from 'd3-shape';
import type { HistoryWindow } from '../../../agent/protocol/types.js';
import { type Unit, axisTop, tickLabel, timeTicks } from '../chart.js';
import { rate } from '../format.js';

export interface ChartSeries { name: string; points: readonly (number | null)[]; color: string }

const W = 300, H = 84, LEFT = 62, RIGHT = 8, TOP = 6, BOTTOM = 18;

export function Chart({ label, series, unit, window }: { label: string; series: readonly ChartSeries[]; unit: Unit; window: HistoryWindow }) {
  const top = axisTop(unit, series.map((s) => s.points));
  const plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM;
  const y = (v: number) => TOP + plotH - (Math.min(v, top) / top) * plotH;
  const latest = series.map((s) => {
    const v = [...s.points].reverse().find((p) => p !== null);
    return v === undefined || v === null ? '—' : unit === 'pct' ? `${v.toFixed(1)} %` : unit === 'rate' ? rate(v) : tickLabel(unit, v);
  });
  return (
    <figure class="uc-chart" data-testid="sparkline" data-series={label} data-top={top}>
      <figcaption>{label} {series.map((s, i) => <b style={{ color: series.length > 1 ? s.color : undefined }}>{series.length > 1 ? `${s.name} ` : ''}{latest[i]}</b>)}</figcaption>
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label}, last ${window === '15m' ? '15 minutes' : '24 hours'}`}>
        {[0, top / 2, top].map((v) => (<>
          <line class="uc-grid" x1={LEFT} x2={W - RIGHT} y1={y(v)} y2={y(v)} />
          <text class="uc-tick" data-axis="y" x={LEFT - 5} y={y(v) + 3.5} text-anchor="end">{tickLabel(unit, v)}</text>
        </>))}
        {timeTicks(window).map((t) => (
          <text class="uc-tick" data-axis="x" x={LEFT + t.at * plotW} y={H - 4} text-anchor={t.at === 0 ? 'start' : t.at === 1 ? 'end' : 'middle'}>{t.label}</text>
        ))}
        {series.map((s) => {
          const n = Math.max(1, s.points.length - 1);
          const d = line<number | null>().defined((p) => p !== null).x((_, i) => LEFT + (i / n) * plotW).y((p) => y(p ?? 0))(s.points as (number | null)[]) ?? '';
          return <path class="uc-line" data-name={s.name} d={d} fill="none" stroke={s.color} stroke-width="1.5" />;
        })}
      </svg>
    </figure>
  );
}
