/**
 * Building blocks shared by every schema: identifiers, enumerations, the ACL.
 * Schemas are plain `as const` objects so TypeScript derives the types from the
 * same source ajv validates against (see types.ts).
 */

export const PROTOCOL_VERSION = 1;

export const SERVER_TYPES = [
  'web', 'database', 'dns', 'cache', 'loadbalancer', 'filesystem', 'monitoring', 'backup', 'security',
] as const;
export const CONNECTION_TYPES = ['standard', 'http', 'database', 'cache', 'monitoring', 'filesystem'] as const;
export const SERVER_STATUSES = ['active', 'warning', 'inactive', 'unknown'] as const;
/** A connection's derived status, from the latest TCP probe of its `from` agent (see hub/live/connection-status.ts). */
export const CONNECTION_STATUSES = ['connected', 'disconnected', 'unknown'] as const;

/** The module ACL flags, in the order the Webmin ACL editor shows them. */
export const ACL_FLAGS = [
  'view', 'editServers', 'editConnections', 'editClusters', 'apply', 'scale', 'enroll', 'exportImport',
] as const;

/** Server ids, cluster names and user names: short, URL-safe, no ':' (used in connection ids). */
export const idSchema = {
  type: 'string', minLength: 1, maxLength: 63, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
} as const;

export const nameSchema = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[^\\u0000-\\u001f\\u007f]+$' } as const;

/** An IPv4/IPv6 address or a DNS name; checked by the custom "host" format in validate.ts. */
export const hostSchema = { type: 'string', minLength: 1, maxLength: 253, format: 'host' } as const;

export const versionField = { const: PROTOCOL_VERSION } as const;

export const aclSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...ACL_FLAGS, 'scope'],
  properties: {
    view: { type: 'boolean' },
    editServers: { type: 'boolean' },
    editConnections: { type: 'boolean' },
    editClusters: { type: 'boolean' },
    apply: { type: 'boolean' },
    scale: { type: 'boolean' },
    enroll: { type: 'boolean' },
    exportImport: { type: 'boolean' },
    /** "*" for every cluster, or the names of the clusters this user may see and act on. */
    scope: {
      anyOf: [
        { const: '*' },
        { type: 'array', maxItems: 1000, uniqueItems: true, items: idSchema },
      ],
    },
  },
} as const;
