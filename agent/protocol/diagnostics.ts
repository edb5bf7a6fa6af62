/**
 * The hub looking at itself, for `clusterctl diagnose` and `clusterctl logs` (admin only):
 * GET /api/diagnostics (its files, disk, sockets, certificates and every agent's last report)
 * and GET /api/logs (its recent log lines from a bounded in-memory ring, secrets removed).
 */
import { idSchema } from './common.js';

const time = { type: ['string', 'null'], maxLength: 64 } as const;

export const diagnosticsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'now', 'uptimeSec', 'stateFile', 'disk', 'gatewaySocket', 'agentPort', 'agents'],
  properties: {
    version: { type: 'string', maxLength: 32 },
    /** The hub's clock (ms since the epoch) when it answered. */
    now: { type: 'integer', minimum: 0 },
    uptimeSec: { type: 'number', minimum: 0 },
    stateFile: {
      type: 'object', additionalProperties: false, required: ['path', 'bytes', 'revision', 'writable'],
      properties: {
        path: { type: 'string', maxLength: 4096 },
        bytes: { type: 'integer', minimum: 0 },
        revision: { type: 'integer', minimum: 0 },
        /** The hub can create and replace files in its directory (each change is a new file renamed over it). */
        writable: { type: 'boolean' },
        error: { type: 'string', maxLength: 1024 },
      },
    },
    /** The file system holding the data directory. */
    disk: {
      type: 'object', additionalProperties: false, required: ['path', 'freeBytes', 'totalBytes'],
      properties: { path: { type: 'string', maxLength: 4096 }, freeBytes: { type: 'number', minimum: 0 }, totalBytes: { type: 'number', minimum: 0 } },
    },
    /** The Webmin module's unix socket; null when the hub runs without one (standalone). */
    gatewaySocket: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object', additionalProperties: false, required: ['path', 'exists', 'mode', 'listening'],
          properties: {
            path: { type: 'string', maxLength: 4096 },
            exists: { type: 'boolean' },
            /** e.g. "0600"; null when it does not exist. */
            mode: { type: ['string', 'null'], maxLength: 8 },
            listening: { type: 'boolean' },
          },
        },
      ],
    },
    agentPort: {
      type: 'object', additionalProperties: false, required: ['url', 'caFingerprint', 'certNotAfter', 'caNotAfter'],
      properties: {
        /** The agent socket as nodes reach it. */
        url: { type: 'string', maxLength: 2048 },
        caFingerprint: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        certNotAfter: time,
        caNotAfter: time,
      },
    },
    agents: {
      type: 'array', maxItems: 100000,
      items: {
        type: 'object', additionalProperties: false, required: ['serverId', 'name', 'connected', 'status', 'lastReportAt', 'clockSkewMs', 'version'],
        properties: {
          serverId: idSchema,
          name: { type: 'string', maxLength: 128 },
          connected: { type: 'boolean' },
          status: { enum: ['active', 'warning', 'inactive', 'unknown'] },
          /** When the hub received the agent's latest sample (hub clock); null: none since the hub started. */
          lastReportAt: time,
          /** The agent's clock minus the hub's, from the latest sample (network delay included, a few ms). */
          clockSkewMs: { type: ['number', 'null'] },
          version: { type: ['string', 'null'], maxLength: 32 },
        },
      },
    },
  },
} as const;

export const hubLogLineSchema = {
  type: 'object', additionalProperties: false, required: ['seq', 'ts', 'msg'],
  properties: {
    /** Increases by one per line since the hub started. */
    seq: { type: 'integer', minimum: 1 },
    ts: { type: 'string', maxLength: 64 },
    msg: { type: 'string', maxLength: 4096 },
  },
} as const;

/** GET /api/logs?since=SEQ&limit=N: the lines after SEQ, oldest first; `next` is the SEQ to ask with next time. */
export const hubLogSchema = {
  type: 'object', additionalProperties: false, required: ['lines', 'next', 'dropped'],
  properties: {
    lines: { type: 'array', maxItems: 5000, items: hubLogLineSchema },
    next: { type: 'integer', minimum: 0 },
    /** Lines after SEQ that the ring no longer holds (it keeps the newest). */
    dropped: { type: 'integer', minimum: 0 },
  },
} as const;

export const hubLogQuerySchema = {
  type: 'object', additionalProperties: false,
  properties: {
    since: { type: 'string', pattern: '^(0|[1-9][0-9]{0,15})$' },
    limit: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' },
  },
} as const;
