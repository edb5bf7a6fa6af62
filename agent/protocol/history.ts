/**
 * Metrics history for sparklines: `GET /api/servers/{id}/history?window=…` and the browser
 * socket's `history` request and answer share one body.
 *
 * A body holds every series for one window, always at full length (900 points at 1 s for 15m,
 * 1440 points at 1 min for 24h), oldest first; point i is at `end - (n - 1 - i) * stepMs`.
 * `null` is a gap: no sample reached the hub in that step (agent down, server just added).
 * A 1-minute point is the average of the 1 s samples received in that minute; the newest one
 * covers the minute so far.
 */
import { idSchema, versionField } from './common.js';

export const HISTORY_WINDOWS = ['15m', '24h'] as const;

/** Series names in the order the hub stores them. Units: %, %, % (fullest mount), B/s, B/s, load, B/s, B/s. */
export const HISTORY_SERIES = ['cpu', 'mem', 'disk', 'netRx', 'netTx', 'load1', 'diskRead', 'diskWrite'] as const;

const points = { type: 'array', maxItems: 1440, items: { type: ['number', 'null'] } } as const;

const historyFields = {
  window: { enum: HISTORY_WINDOWS },
  /** 1000 for 15m, 60000 for 24h. */
  stepMs: { enum: [1000, 60000] },
  /** Hub time (ms since the epoch) of the last point. */
  end: { type: 'integer', minimum: 0 },
  series: {
    type: 'object',
    additionalProperties: false,
    required: HISTORY_SERIES,
    properties: {
      /** Busy CPU, percent of all cores. */
      cpu: points,
      /** Memory used, percent. */
      mem: points,
      /** The fullest mount, percent used. */
      disk: points,
      netRx: points,
      netTx: points,
      /** 1-minute load average. */
      load1: points,
      diskRead: points,
      diskWrite: points,
    },
  },
} as const;

/** The answer of GET /api/servers/{id}/history. */
export const historySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['window', 'stepMs', 'end', 'series'],
  properties: historyFields,
} as const;

/** Browser → hub, after the auth frame: one server's history (window defaults to 15m). */
export const historyRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'serverId'],
  properties: { v: versionField, type: { const: 'history' }, serverId: idSchema, window: { enum: HISTORY_WINDOWS } },
} as const;

/** Hub → browser: the answer to a history request, the same body as the REST answer. */
export const historyMessageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'serverId', 'window', 'stepMs', 'end', 'series'],
  properties: { v: versionField, type: { const: 'history' }, serverId: idSchema, ...historyFields },
} as const;
