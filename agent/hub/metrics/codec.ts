/**
 * Values of the history series packed into uint8 codes, so a point costs 1 byte: the history of
 * 10,000 servers has to fit in the hub's memory next to their sockets. GAP (255) is never
 * produced. Both codecs are finer than a sparkline can show.
 */
export const GAP = 0xff;

/** 0–100 % in steps of 0.5 (codes 0–200), so within 0.25 %; out-of-range values are clamped. */
export const percentCodec = {
  encode: (v: number): number => Math.round(Math.min(100, Math.max(0, v || 0)) * 2),
  decode: (c: number): number => c / 2,
};

/**
 * Magnitudes (bytes per second, load) are codes 0–254 of a scale shared by a block of points
 * (ring.ts). Scales come from a log grid, 2^(k/4 − 10) for k = 0–254 (0.001 to 1.3e16), so a
 * block's scale is at most 19 % above its largest value and growing it is rare; the new scale
 * rounds the block's codes again, which keeps the points within about 1.5 % of the block's
 * largest value.
 */
export const MAGNITUDE_MAX = 254;
const STEPS = 255;
const SCALES = Float64Array.from({ length: STEPS }, (_, k) => 2 ** (k / 4 - 10));

const clean = (v: number): number => (v > 0 ? v : 0); // NaN and negatives are 0

/** The exponent k of the smallest grid scale ≥ v (the largest scale for values beyond it). */
export function scaleFor(v: number): number {
  let k = Math.min(STEPS - 1, Math.max(0, Math.ceil((Math.log2(clean(v)) + 10) * 4)));
  // log2 rounding may land one step off the grid's own values.
  while (k > 0 && SCALES[k - 1]! >= v) k--;
  while (k < STEPS - 1 && SCALES[k]! < v) k++;
  return k;
}

/** The scale of exponent k. */
export const scaleOf = (k: number): number => SCALES[k]!;

/** `v` as a code of scale k (clamped to the scale). */
export const encodeMagnitude = (v: number, k: number): number => Math.min(MAGNITUDE_MAX, Math.round((clean(v) / SCALES[k]!) * MAGNITUDE_MAX));

/** A code of scale `from` as a code of the larger scale `to`. */
export const rescale = (code: number, from: number, to: number): number => Math.round(code * 2 ** ((from - to) / 4));

/** Decoded values of every (scale, code), built on first use (520 KB once per hub, not per server). */
let table: Float64Array | undefined;

/** The value of a code of scale k, to 4 significant digits (what the code resolves, and short JSON). */
export function decodeMagnitude(code: number, k: number): number {
  if (!table) {
    table = new Float64Array(STEPS * (MAGNITUDE_MAX + 1));
    for (let s = 0; s < STEPS; s++) {
      for (let c = 0; c <= MAGNITUDE_MAX; c++) table[s * (MAGNITUDE_MAX + 1) + c] = Number(((c / MAGNITUDE_MAX) * SCALES[s]!).toPrecision(4));
    }
  }
  return table[k * (MAGNITUDE_MAX + 1) + code] ?? Number.NaN;
}
