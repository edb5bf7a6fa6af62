/**
 * Values of the history series packed into uint16 codes (GAP, 0xffff, is never produced), so a
 * point costs 2 bytes instead of 4 (Float32) or 8: the history of 10,000 servers has to fit in
 * the hub's memory. Both codecs are far finer than a sparkline can show.
 */
import { GAP } from './ring.js';

export interface Codec {
  encode(value: number): number;
  decode(code: number): number;
}

/** 0–100 % in steps of 0.01 (codes 0–10000); out-of-range values are clamped. */
export const percentCodec: Codec = {
  encode: (v) => Math.round(Math.min(100, Math.max(0, v)) * 100),
  decode: (c) => c / 100,
};

const PER_OCTAVE = 1024;
const MAX_CODE = GAP - 1;

/** Decoded values of every code, built on first use (512 KiB once per hub, not per server). */
let table: Float64Array | undefined;

function magnitudeTable(): Float64Array {
  if (!table) {
    table = new Float64Array(GAP);
    // Four significant digits: what the code resolves, and short JSON.
    for (let c = 0; c < GAP; c++) table[c] = Number((2 ** (c / PER_OCTAVE) - 1).toPrecision(4));
  }
  return table;
}

/**
 * Non-negative magnitudes of any size (bytes per second, load) on a log scale:
 * code = log2(1 + v) × 1024, so each step is 0.07 % of the value, from 0 to about 1.8e19;
 * decoded to 4 significant digits: within 0.1 % (0.001 below 1).
 */
export const magnitudeCodec: Codec = {
  encode: (v) => Math.min(MAX_CODE, Math.round(Math.log2(1 + Math.max(0, v)) * PER_OCTAVE)),
  decode: (c) => magnitudeTable()[c] ?? Number.NaN,
};
