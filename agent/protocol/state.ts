/** The hub's persisted document: the model plus users, API tokens and the audit log. */
import { aclSchema, idSchema, nameSchema } from './common.js';
import { clusterSchema, connectionSchema, layoutSchema, serverSchema } from './model.js';

/** Bump when the document's shape changes; older hubs refuse newer files. */
export const STATE_VERSION = 1;

export const userSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'passwordHash', 'acl'],
  properties: {
    name: idSchema,
    /** `scrypt$N$r$p$salt$hash`, base64 parts. */
    passwordHash: { type: 'string', maxLength: 512 },
    acl: aclSchema,
  },
} as const;

export const apiTokenSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'user', 'hash', 'createdAt'],
  properties: {
    id: { type: 'string', maxLength: 64 },
    name: nameSchema,
    user: idSchema,
    /** sha256 of the token; the token itself is shown once and never stored. */
    hash: { type: 'string', maxLength: 128 },
    createdAt: { type: 'string', maxLength: 64 },
  },
} as const;

export const auditEntrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['ts', 'user', 'action', 'target'],
  properties: {
    ts: { type: 'string', maxLength: 64 },
    user: { type: 'string', maxLength: 63 },
    action: { type: 'string', maxLength: 64 },
    target: { type: 'string', maxLength: 256 },
  },
} as const;

export const stateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'version', 'revision', 'servers', 'connections', 'clusters', 'layout', 'users', 'apiTokens', 'audit'],
  properties: {
    format: { const: 'unlimited-cluster-state' },
    version: { type: 'integer', minimum: 1 },
    /** Incremented by every committed change. */
    revision: { type: 'integer', minimum: 0 },
    servers: { type: 'array', items: serverSchema },
    connections: { type: 'array', items: connectionSchema },
    clusters: { type: 'array', items: clusterSchema },
    layout: layoutSchema,
    users: { type: 'array', items: userSchema },
    apiTokens: { type: 'array', items: apiTokenSchema },
    audit: { type: 'array', items: auditEntrySchema },
  },
} as const;
