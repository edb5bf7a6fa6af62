/** Messages on the browser ⇄ hub socket (/ws). */
import { SERVER_STATUSES, aclSchema, idSchema, versionField } from './common.js';
import { clusterSchema, connectionSchema, serverSchema } from './model.js';
import { metricsSampleSchema } from './metrics.js';

/** First frame the browser sends: a short-lived ticket from POST /api/ticket (or the Webmin module). */
export const browserAuthSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'ticket'],
  properties: { v: versionField, type: { const: 'auth' }, ticket: { type: 'string', minLength: 1, maxLength: 4096 } },
} as const;

export const browserMessageSchema = { oneOf: [browserAuthSchema] } as const;

const statusMap = { type: 'object', propertyNames: idSchema, additionalProperties: { enum: SERVER_STATUSES } } as const;
const metricsMap = { type: 'object', propertyNames: idSchema, additionalProperties: metricsSampleSchema } as const;

export const snapshotSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'user', 'servers', 'connections', 'clusters', 'status', 'metrics'],
  properties: {
    v: versionField,
    type: { const: 'snapshot' },
    user: {
      type: 'object', additionalProperties: false, required: ['name', 'acl'],
      properties: { name: { type: 'string' }, acl: aclSchema },
    },
    servers: { type: 'array', items: serverSchema },
    connections: { type: 'array', items: connectionSchema },
    clusters: { type: 'array', items: clusterSchema },
    status: statusMap,
    /** Latest sample per server that has one. */
    metrics: metricsMap,
  },
} as const;

/** What changed since the previous snapshot or delta; only the keys that changed are present. */
export const deltaSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type'],
  properties: {
    v: versionField,
    type: { const: 'delta' },
    servers: { type: 'array', items: serverSchema },
    connections: { type: 'array', items: connectionSchema },
    clusters: { type: 'array', items: clusterSchema },
    removed: {
      type: 'object', additionalProperties: false,
      properties: {
        servers: { type: 'array', items: { type: 'string' } },
        connections: { type: 'array', items: { type: 'string' } },
        clusters: { type: 'array', items: { type: 'string' } },
      },
    },
    status: statusMap,
    metrics: metricsMap,
  },
} as const;

export const hubToBrowserSchema = {
  oneOf: [snapshotSchema, deltaSchema, {
    type: 'object', additionalProperties: false, required: ['v', 'type', 'code', 'message'],
    properties: { v: versionField, type: { const: 'error' }, code: { type: 'string' }, message: { type: 'string' } },
  }],
} as const;
