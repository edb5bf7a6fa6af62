/** A small line chart of one metric series (oldest first, null for gaps), drawn with d3-shape. */
import { line } from 'd3-shape';

export function Sparkline({ points, max, label, color }: { points: readonly (number | null)[]; max: number; label: string; color: string }) {
  const w = 220, h = 36;
  const n = Math.max(1, points.length - 1);
  const top = Math.max(max, ...points.map((p) => p ?? 0)) || 1;
  const d = line<number | null>().defined((p) => p !== null).x((_, i) => (i / n) * w).y((p) => h - 2 - ((p ?? 0) / top) * (h - 4))(points as (number | null)[]) ?? '';
  const last = [...points].reverse().find((p) => p !== null);
  return (
    <figure class="uc-spark" data-testid="sparkline" data-series={label}>
      <figcaption>{label} <b>{last === undefined || last === null ? '—' : `${last.toFixed(1)}${max === 100 ? ' %' : ''}`}</b></figcaption>
      <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${label}, last 15 minutes`}>
        <path d={d} fill="none" stroke={color} stroke-width="1.5" />
      </svg>
    </figure>
  );
}
