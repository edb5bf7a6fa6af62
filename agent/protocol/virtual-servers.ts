/**
 * Virtual servers (Virtualmin domains) placed on clusters: the domain's web on a cluster's load
 * balancers (a host rule per name), its database on a Galera cluster, its files on a Gluster
 * volume. The hub keeps one record per virtual server; each part has its own status.
 */
import { idSchema } from './common.js';
import type { VirtualServer } from './types.js';

/** A DNS name as Virtualmin keeps it: lower case, at least two labels, no trailing dot. */
export const domainSchema = {
  type: 'string', minLength: 3, maxLength: 253,
  pattern: '^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$',
} as const;

/** At most this many other names (www., alias domains) answer for one virtual server. */
export const MAX_ALIASES = 100;

/**
 * pending: being set up or changed now; ready: live as recorded; failed: the last change could
 * not be applied and could not be undone either (see `error`: the cluster needs a look).
 */
export const PART_STATUSES = ['pending', 'ready', 'failed'] as const;
/** active: its names reach the cluster's web servers; disabled: they answer a "website disabled" page. */
export const VIRTUAL_SERVER_STATES = ['active', 'disabled'] as const;

const time = { type: 'string', maxLength: 64 } as const;
const partStatus = {
  status: { enum: PART_STATUSES },
  /** Why the last change of this part failed. */
  error: { type: 'string', maxLength: 2048 },
} as const;

/** A MariaDB database name, as Virtualmin makes them (fix_database_name: letters, digits, _). */
export const databaseNameSchema = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_]+$' } as const;
/** A MariaDB user name, as Virtualmin makes them (mysql_user: the domain's Unix user, dots as _). */
export const databaseUserSchema = { type: 'string', minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9_][A-Za-z0-9_-]*$' } as const;
/** A database user's password as Virtualmin has it (a domain password may be short): no control characters. */
const databasePasswordSchema = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[^\\u0000-\\u001f\\u007f]+$' } as const;
/** An absolute directory on the web nodes: no `..`, no spaces, no shell characters. */
export const mountPathSchema = {
  type: 'string', minLength: 2, maxLength: 255, pattern: '^(/[A-Za-z0-9_][A-Za-z0-9._-]*)+$',
} as const;

export const virtualServerSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'domain', 'aliases', 'state', 'createdBy', 'createdAt'],
  properties: {
    /** Virtualmin's domain id (stable across renames), or one the hub chose. */
    id: idSchema,
    domain: domainSchema,
    aliases: { type: 'array', maxItems: MAX_ALIASES, uniqueItems: true, items: domainSchema },
    state: { enum: VIRTUAL_SERVER_STATES },
    /** Host rules on the cluster's load balancers, routing to its `web` backend. */
    web: {
      type: 'object', additionalProperties: false, required: ['cluster', 'status'],
      properties: { cluster: idSchema, ...partStatus },
    },
    /** A database and its user on a Galera cluster (the password is never kept). */
    database: {
      type: 'object', additionalProperties: false, required: ['cluster', 'name', 'user', 'status'],
      properties: {
        cluster: idSchema, name: databaseNameSchema, user: databaseUserSchema,
        /** The user belongs to the parent server (a Virtualmin sub-server): never dropped with this database. */
        sharedUser: { type: 'boolean' },
        ...partStatus,
      },
    },
    /**
     * The web root: `directory` on a Gluster volume, mounted at `mountPath` on every web server of
     * `webCluster`; its other names (www., aliases, a new name after a rename) are links beside it.
     */
    files: {
      type: 'object', additionalProperties: false, required: ['cluster', 'volume', 'mountPath', 'directory', 'webCluster', 'status'],
      properties: {
        cluster: idSchema, volume: idSchema, mountPath: mountPathSchema,
        /** Named after the domain when it was made; a rename keeps it (as Virtualmin keeps the home) and links the new name to it. */
        directory: domainSchema,
        /** The cluster whose web servers mount the volume (the virtual server's web cluster). */
        webCluster: idSchema,
        ...partStatus,
      },
    },
    createdBy: { type: 'string', maxLength: 63 },
    createdAt: time,
    updatedAt: time,
  },
} as const;

/** Where a virtual server goes: what a Virtualmin server template names (each part optional). */
const placementProperties = {
  web: idSchema,
  database: idSchema,
  files: {
    type: 'object', additionalProperties: false, required: ['volume', 'mountPath'],
    properties: { volume: idSchema, mountPath: mountPathSchema },
  },
} as const;

/** POST /api/virtual-servers/check: is this placement usable by the caller? (template time) */
export const placementCheckSchema = {
  type: 'object', additionalProperties: false, properties: placementProperties,
} as const;

/** POST /api/virtual-servers: set a virtual server up on its clusters. */
export const virtualServerCreateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['domain'],
  properties: {
    id: idSchema,
    domain: domainSchema,
    aliases: virtualServerSchema.properties.aliases,
    web: idSchema,
    database: {
      type: 'object', additionalProperties: false, required: ['cluster', 'name', 'user', 'password'],
      properties: {
        cluster: idSchema, name: databaseNameSchema, user: databaseUserSchema,
        /** Virtualmin's generated password for the user: passed to the Galera cluster, never stored or logged. */
        password: databasePasswordSchema,
        sharedUser: { type: 'boolean' },
      },
    },
    files: placementProperties.files,
    /** Created disabled (its names answer the "website disabled" page). */
    disabled: { type: 'boolean' },
  },
} as const;

/**
 * PATCH /api/virtual-servers/{id}: a rename, other aliases, disable/enable, and what Virtualmin's
 * MySQL feature changes on a domain change: its user's name (a new Unix user) and password.
 */
export const virtualServerPatchSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    domain: domainSchema,
    aliases: virtualServerSchema.properties.aliases,
    state: { enum: VIRTUAL_SERVER_STATES },
    database: {
      type: 'object', additionalProperties: false, minProperties: 1,
      properties: {
        user: databaseUserSchema,
        /** The user's new password: passed to the Galera cluster, never stored or logged. */
        password: databasePasswordSchema,
      },
    },
  },
} as const;

/** The answer of a placement check: the clusters it resolved and what may surprise the user. */
export const placementReportSchema = {
  type: 'object', additionalProperties: false, required: ['ok', 'warnings'],
  properties: {
    ok: { const: true },
    web: { type: 'object', additionalProperties: false, required: ['cluster', 'frontends', 'webServers'], properties: {
      cluster: idSchema, frontends: { type: 'array', items: { type: 'string' } }, webServers: { type: 'array', items: idSchema },
    } },
    database: { type: 'object', additionalProperties: false, required: ['cluster'], properties: { cluster: idSchema } },
    files: { type: 'object', additionalProperties: false, required: ['cluster', 'volume'], properties: { cluster: idSchema, volume: idSchema } },
    warnings: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** The clusters a virtual server uses (web, database, files, the web cluster that mounts its files), each once: for the hub and the UI. */
export function clustersOfVirtualServer(v: Pick<VirtualServer, 'web' | 'database' | 'files'>): string[] {
  return [...new Set([v.web?.cluster, v.database?.cluster, v.files?.cluster, v.files?.webCluster].filter((c): c is string => !!c))];
}
