/** The hub's persisted document: the model plus users, API tokens, alert rules, the alert log and the audit log. */
import { SERVER_TYPES, aclSchema, idSchema, nameSchema } from './common.js';
import { clusterSchema, connectionSchema, labelsSchema, layoutSchema, serverSchema } from './model.js';
import { MAX_ALERT_RULES, alertRuleSchema, alertSchema } from './alerts.js';
import { KEEP_OPERATIONS, operationSchema } from './operations.js';
import { virtualServerSchema } from './virtual-servers.js';
import { KEEP_DECISIONS, clusterScalingSchema, scalingDecisionSchema } from './scaling.js';
import { scheduleRecordSchema } from './schedules.js';
import { AUDIT_RESULTS, MAX_AUDIT_REFS } from './audit.js';

/**
 * Bump when the document's shape changes; older hubs refuse newer files, and the hub migrates
 * older ones when it loads them (agent/hub/state-migration.ts). 2: alert rules and the alert log.
 * 3: join tokens for one server (`serverId`), API tokens of Webmin users (`realm`, `acl`).
 */
export const STATE_VERSION = 3;

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
    /**
     * "webmin": minted through the Webmin gateway by the Webmin user `user` (not the hub user of
     * that name); it carries `acl`, that user's module ACL then, narrowed whenever the user comes
     * through the gateway with less. Absent: a hub user's token, with that user's current ACL.
     */
    realm: { const: 'webmin' },
    acl: aclSchema,
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
    /** The one existing server this token re-enrolls; without it the token creates new servers only. */
    serverId: idSchema,
    /** `scaling`: made for an Auto Scaling group's user data; its nodes join the load balancers on their own. */
    purpose: { const: 'scaling' },
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
    /** Multi-step operations: every unfinished one and the newest finished ones (agent/hub/operations). */
    operations: { type: 'array', maxItems: KEEP_OPERATIONS + 100, items: operationSchema },
    /** Virtual servers placed on clusters (agent/hub/virtual-servers); optional like the two above. */
    virtualServers: { type: 'array', items: virtualServerSchema },
    /** Per cluster: scaling policy, Auto Scaling binding, the scheduled bounds in force (agent/hub/scaling). */
    scaling: { type: 'object', propertyNames: idSchema, additionalProperties: clusterScalingSchema },
    /** Every decision the scaler took, newest last. */
    scalingDecisions: { type: 'array', maxItems: KEEP_DECISIONS, items: scalingDecisionSchema },
    /** Per schedule id: its settings (hub-wide jobs), last run, next due time (agent/hub/schedules). */
    schedules: { type: 'object', propertyNames: { type: 'string', maxLength: 200 }, additionalProperties: scheduleRecordSchema },
  },
} as const;

/**
 * DATA_DIR/sessions.json: the standalone login sessions, so a restart logs nobody out. Only a
 * hash of each session id is kept (the id itself is the cookie), with its user and expiry.
 */
export const sessionsFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'version', 'sessions'],
  properties: {
    format: { const: 'unlimited-cluster-sessions' },
    version: { const: 1 },
    sessions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['hash', 'user', 'expires'],
        properties: {
          /** sha256 (hex) of the session id. */
          hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
          user: idSchema,
          /** ms since the epoch. */
          expires: { type: 'number' },
        },
      },
    },
  },
} as const;

