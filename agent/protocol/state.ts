/** The hub's persisted document: the model plus users, API tokens, alert rules, the alert log and the audit log. */
import { SERVER_TYPES, aclSchema, idSchema, nameSchema } from './common.js';
import { clusterSchema, connectionSchema, labelsSchema, layoutSchema, serverSchema } from './model.js';
import { MAX_ALERT_RULES, alertRuleSchema, alertSchema } from './alerts.js';
import { AUDIT_RESULTS, MAX_AUDIT_REFS } from './audit.js';

/**
 * Bump when the document's shape changes; older hubs refuse newer files, and the hub migrates
 * older ones when it loads them (agent/hub/state-migration.ts). 2: alert rules and the alert log.
 */
export const STATE_VERSION = 2;

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
    /** What was done in full, e.g. the unified diff of an applied plan. */
    detail: { type: 'string', maxLength: 262144 },
    /** How it ended; absent (entries from before results were kept) means ok. */
    result: { enum: AUDIT_RESULTS },
    /** The servers and clusters it concerned, for filtering and for scoped readers (agent/hub/audit/). */
    servers: { type: 'array', maxItems: MAX_AUDIT_REFS, items: idSchema },
    clusters: { type: 'array', maxItems: MAX_AUDIT_REFS, items: idSchema },
  },
} as const;

/** A join token as stored: the secret only as a hash. Removed when revoked or used up. */
export const joinTokenSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'hash', 'createdBy', 'createdAt', 'expiresAt', 'usesLeft'],
  properties: {
    id: { type: 'string', maxLength: 64 },
    hash: { type: 'string', maxLength: 128 },
    createdBy: { type: 'string', maxLength: 63 },
    createdAt: { type: 'string', maxLength: 64 },
    expiresAt: { type: 'string', maxLength: 64 },
    usesLeft: { type: 'integer', minimum: 0 },
    type: { enum: SERVER_TYPES },
    labels: labelsSchema,
    cluster: idSchema,
  },
} as const;

/** An enrolled agent's credential, as a hash; removing it revokes the agent. */
export const agentCredentialSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['serverId', 'hash', 'enrolledAt'],
  properties: {
    serverId: idSchema,
    hash: { type: 'string', maxLength: 128 },
    enrolledAt: { type: 'string', maxLength: 64 },
    tokenId: { type: 'string', maxLength: 64 },
    /** When the agent first said hello with it; until then its token may enroll it again. */
    confirmedAt: { type: 'string', maxLength: 64 },
  },
} as const;

export const stateSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'format', 'version', 'revision', 'servers', 'connections', 'clusters', 'layout', 'users', 'apiTokens', 'audit',
    'alertRules', 'alerts',
  ],
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
    alertRules: { type: 'array', maxItems: MAX_ALERT_RULES, items: alertRuleSchema },
    /** Every firing alert and the newest resolved ones (agent/hub/alerts/log.ts bounds it). */
    alerts: { type: 'array', items: alertSchema },
    /** Optional so that documents from before enrollment still load unchanged. */
    joinTokens: { type: 'array', items: joinTokenSchema },
    agentCredentials: { type: 'array', items: agentCredentialSchema },
  },
} as const;
