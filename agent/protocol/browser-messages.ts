/** Messages on the browser ⇄ hub socket (/ws). */
import { CONNECTION_STATUSES, SERVER_STATUSES, aclSchema, idSchema, versionField } from './common.js';
import { clusterSchema, connectionSchema, serverSchema } from './model.js';
import { historyMessageSchema, historyRequestSchema } from './history.js';
import { metricsSampleSchema } from './metrics.js';
import { alertSchema } from './alerts.js';
import { lbStatusFrameSchema, planFrameSchema } from './lb.js';
import { operationFrameSchema, operationSchema } from './operations.js';
import { virtualServerSchema } from './virtual-servers.js';
import { scalingFrameSchema } from './scaling.js';
import { galeraClusterStatusSchema, galeraStatusFrameSchema } from './galera.js';
import { glusterClusterViewSchema, glusterStatusFrameSchema } from './gluster.js';

/** First frame the browser sends: a short-lived ticket from POST /api/ticket (or the Webmin module). */
export const browserAuthSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'ticket'],
  properties: { v: versionField, type: { const: 'auth' }, ticket: { type: 'string', minLength: 1, maxLength: 4096 } },
} as const;

/** Every frame the browser may send; the auth frame is the only valid first one, and only the first. */
export const browserMessageSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [browserAuthSchema, historyRequestSchema],
} as const;

const statusMap = { type: 'object', propertyNames: idSchema, additionalProperties: { enum: SERVER_STATUSES } } as const;
const metricsMap = { type: 'object', propertyNames: idSchema, additionalProperties: metricsSampleSchema } as const;

/** A connection's live state: its derived status and, while connected, the last connect time (ms). */
export const connectionLiveSchema = {
  type: 'object', additionalProperties: false, required: ['status', 'latencyMs'],
  properties: { status: { enum: CONNECTION_STATUSES }, latencyMs: { type: ['number', 'null'], minimum: 0 } },
} as const;
/** Connection id → live state; a connection missing from a snapshot's map is `unknown`. */
const connectionStatusMap = {
  type: 'object', propertyNames: { type: 'string', maxLength: 127 }, additionalProperties: connectionLiveSchema,
} as const;

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
    /** Firing alerts and the most recent resolved ones, of the servers the user sees. */
    alerts: { type: 'array', items: alertSchema },
    /** Probed connections the user sees (optional: a hub may leave it out). */
    connectionStatus: connectionStatusMap,
    /** Of each cluster the user sees: its unfinished operations and its latest finished one. */
    operations: { type: 'array', items: operationSchema },
    /** Virtual servers on the clusters the user sees (parts on other clusters left out). */
    virtualServers: { type: 'array', items: virtualServerSchema },
    /** Each visible Galera cluster's live status (later ones come as `galera-status` frames). */
    galera: { type: 'array', items: galeraClusterStatusSchema },
    /** Each Gluster cluster the user sees, as GET /api/clusters/{name}/gluster shows it. */
    gluster: { type: 'array', items: glusterClusterViewSchema },
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
    virtualServers: { type: 'array', items: virtualServerSchema },
    removed: {
      type: 'object', additionalProperties: false,
      properties: {
        servers: { type: 'array', items: { type: 'string' } },
        connections: { type: 'array', items: { type: 'string' } },
        clusters: { type: 'array', items: { type: 'string' } },
        virtualServers: { type: 'array', items: { type: 'string' } },
      },
    },
    status: statusMap,
    metrics: metricsMap,
    /** Alerts that fired or resolved since the last frame (replace by id). */
    alerts: { type: 'array', items: alertSchema },
    /** Connections whose status or latency changed (replace by id; removed ones go with `removed.connections`). */
    connectionStatus: connectionStatusMap,
  },
} as const;

/** A refused frame or request; `serverId` names the server of a history request that failed. */
export const browserErrorSchema = {
  type: 'object', additionalProperties: false, required: ['v', 'type', 'code', 'message'],
  properties: { v: versionField, type: { const: 'error' }, code: { type: 'string' }, message: { type: 'string' }, serverId: idSchema },
} as const;

export const hubToBrowserSchema = { oneOf: [snapshotSchema, deltaSchema, historyMessageSchema, browserErrorSchema, planFrameSchema, lbStatusFrameSchema, operationFrameSchema, scalingFrameSchema, galeraStatusFrameSchema, glusterStatusFrameSchema] } as const;
