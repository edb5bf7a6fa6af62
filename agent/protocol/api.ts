/** Request bodies of the REST API. Responses reuse the model schemas. */
import { ACL_FLAGS, CONNECTION_TYPES, SERVER_TYPES, aclSchema, hostSchema, idSchema, nameSchema } from './common.js';
import { labelsSchema, layoutSchema, portsSchema } from './model.js';
import { AD_HOC_JOB_KINDS } from './agent-messages.js';
import { loadBalancerSettingsSchema } from './lb.js';
import { galeraSettingsSchema } from './galera.js';
import { glusterSettingsSchema } from './gluster.js';

/** The fields a user edits on a server. `ip` is accepted as another name for `address`. */
const editableServerFields = {
  name: nameSchema,
  type: { enum: SERVER_TYPES },
  address: hostSchema,
  ip: hostSchema,
  region: { type: 'string', maxLength: 64 },
  labels: labelsSchema,
  ports: portsSchema,
} as const;

/** POST /api/servers; `id` defaults to one made from the name. */
export const serverCreateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'type'],
  properties: { id: idSchema, ...editableServerFields },
} as const;

/** PATCH /api/servers/{id}: any subset of the editable fields. */
export const serverPatchSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: editableServerFields,
} as const;

export const connectionCreateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: { from: idSchema, to: idSchema, type: { enum: CONNECTION_TYPES } },
} as const;

/** PATCH /api/connections/{id}: a connection's ends are its id, so only its type changes. */
export const connectionPatchSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: { type: { enum: CONNECTION_TYPES } },
} as const;

/** DELETE /api/connections: by id, or by its two ends. */
export const connectionDeleteSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { id: { type: 'string', maxLength: 127 }, from: idSchema, to: idSchema },
  anyOf: [{ required: ['id'] }, { required: ['from', 'to'] }],
} as const;

export const clusterCreateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: idSchema,
    description: { type: 'string', maxLength: 1024 },
    servers: { type: 'array', maxItems: 100000, uniqueItems: true, items: idSchema },
    loadBalancer: loadBalancerSettingsSchema,
    galera: galeraSettingsSchema,
    gluster: glusterSettingsSchema,
  },
} as const;

export const clusterPatchSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    /** A new name: alert-rule scopes, hub users' scopes and join tokens follow it (agent/hub/model/clusters.ts). */
    name: idSchema,
    description: { type: 'string', maxLength: 1024 },
    servers: { type: 'array', maxItems: 100000, uniqueItems: true, items: idSchema },
    addServers: { type: 'array', maxItems: 100000, uniqueItems: true, items: idSchema },
    removeServers: { type: 'array', maxItems: 100000, uniqueItems: true, items: idSchema },
    /** Load-balancer settings; null removes them. */
    loadBalancer: { anyOf: [loadBalancerSettingsSchema, { type: 'null' }] },
    /** Galera settings; null removes the role (the nodes keep running as they are). */
    galera: { anyOf: [galeraSettingsSchema, { type: 'null' }] },
    /** The Gluster role; null removes it (volumes and bricks stay as they are). */
    gluster: { anyOf: [glusterSettingsSchema, { type: 'null' }] },
  },
} as const;


export const loginSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password'],
  properties: { username: { type: 'string', maxLength: 63 }, password: { type: 'string', maxLength: 1024 } },
} as const;

const partialAcl = {
  type: 'object', additionalProperties: false,
  properties: { ...Object.fromEntries(ACL_FLAGS.map((f) => [f, { type: 'boolean' }])), scope: aclSchema.properties.scope },
} as const;

export const userCreateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'password', 'acl'],
  properties: { name: idSchema, password: { type: 'string', minLength: 8, maxLength: 1024 }, acl: aclSchema },
} as const;

export const userPatchSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { password: { type: 'string', minLength: 8, maxLength: 1024 }, acl: partialAcl },
} as const;

export const apiTokenCreateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: nameSchema },
} as const;

/**
 * POST /api/join-tokens. What the enrolling node gets (type, labels, cluster) is fixed here.
 * With `serverId` the token re-enrolls that existing server (a node reinstalled, its agent's
 * identity lost) and nothing else: one use, no type, labels or cluster. Without it, the token
 * only ever creates new servers.
 */
export const joinTokenCreateSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    /** Minutes until the token stops working (default 60, at most 30 days). */
    expiresInMinutes: { type: 'integer', minimum: 1, maximum: 43200 },
    /** How many nodes may enroll with it (default 1). */
    uses: { type: 'integer', minimum: 1, maximum: 100000 },
    type: { enum: SERVER_TYPES },
    labels: labelsSchema,
    cluster: idSchema,
    serverId: idSchema,
  },
} as const;

/** POST /api/servers/{id}/jobs */
export const jobCreateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind'],
  properties: { kind: { enum: AD_HOC_JOB_KINDS } },
} as const;

/**
 * PATCH /api/layout: diagram positions a user dragged, by server id, merged into the stored
 * layout; `null` forgets a position (the server goes back to the automatic layout).
 */
export const layoutPatchSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['positions'],
  properties: {
    positions: {
      type: 'object',
      minProperties: 1,
      maxProperties: 100000,
      propertyNames: idSchema,
      additionalProperties: { anyOf: [{ type: 'null' }, layoutSchema.additionalProperties] },
    },
  },
} as const;
