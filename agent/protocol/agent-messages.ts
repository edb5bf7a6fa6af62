/** Messages on the agent ⇄ hub socket. Every one carries `v` (the protocol version) and `type`. */
import { SERVER_TYPES, idSchema, versionField } from './common.js';
import { inventorySchema } from './model.js';
import { metricsSampleSchema } from './metrics.js';

/** First frame an agent sends. `key` is the hub's agent key (enrollment tokens replace it later). */
export const agentHelloSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'key', 'serverId', 'agentVersion', 'inventory'],
  properties: {
    v: versionField,
    type: { const: 'hello' },
    key: { type: 'string', minLength: 1, maxLength: 256 },
    serverId: idSchema,
    agentVersion: { type: 'string', maxLength: 32 },
    /** Used only when the hub creates the server record for a new agent. */
    serverType: { enum: SERVER_TYPES },
    inventory: inventorySchema,
  },
} as const;

export const agentMetricsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'sample'],
  properties: { v: versionField, type: { const: 'metrics' }, sample: metricsSampleSchema },
} as const;

/** Anything an agent may send after its hello. */
export const agentMessageSchema = { oneOf: [agentMetricsSchema] } as const;

export const hubWelcomeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'serverId', 'intervalMs'],
  properties: {
    v: versionField,
    type: { const: 'welcome' },
    serverId: idSchema,
    intervalMs: { type: 'integer', minimum: 100, maximum: 60000 },
  },
} as const;

/** Sent by either side before it closes a socket on purpose, and by the hub for a refused frame. */
export const errorMessageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'code', 'message'],
  properties: {
    v: versionField,
    type: { const: 'error' },
    code: { type: 'string', maxLength: 64 },
    message: { type: 'string', maxLength: 1024 },
  },
} as const;

export const hubToAgentSchema = { oneOf: [hubWelcomeSchema, errorMessageSchema] } as const;
