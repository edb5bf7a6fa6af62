/** Messages on the agent ⇄ hub socket. Every one carries `v` (the protocol version) and `type`. */
import { SERVER_TYPES, hostSchema, idSchema, versionField } from './common.js';
import { inventorySchema } from './model.js';
import { metricsSampleSchema } from './metrics.js';
import { applyExpectSchema, lbDesiredSchema, lbStatusSchema, nodePlanSchema } from './lb.js';
import { agentGaleraStatusSchema, galeraJobResultSchema, galeraJobSchema } from './galera.js';
import { agentGlusterStatusSchema, glusterJobResultSchema, glusterJobSchema, hubGlusterWatchSchema } from './gluster.js';

const agentFacts = {
  agentVersion: { type: 'string', maxLength: 32 },
  inventory: inventorySchema,
} as const;

/** First frame of an agent that has no identity yet: a join token from the hub's admin. */
export const agentEnrollSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'token', 'agentVersion', 'inventory'],
  properties: {
    v: versionField,
    type: { const: 'enroll' },
    token: { type: 'string', minLength: 1, maxLength: 512 },
    /**
     * The id it asks for (default: its host name). The hub refuses one already enrolled, except
     * by the same token before that credential's first hello (the agent never got the reply).
     */
    serverId: idSchema,
    /** Used when the token names no type. */
    serverType: { enum: SERVER_TYPES },
    ...agentFacts,
  },
} as const;

/** First frame of an enrolled agent: the identity and credential it got when it enrolled. */
export const agentHelloSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'serverId', 'credential', 'agentVersion', 'inventory'],
  properties: {
    v: versionField,
    type: { const: 'hello' },
    serverId: idSchema,
    credential: { type: 'string', minLength: 1, maxLength: 256 },
    ...agentFacts,
  },
} as const;

export const agentFirstFrameSchema = { oneOf: [agentEnrollSchema, agentHelloSchema] } as const;

export const agentMetricsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'sample'],
  properties: { v: versionField, type: { const: 'metrics' }, sample: metricsSampleSchema },
} as const;

/** The agent's answer to a job: done, or refused with the reason (wrong target, expired, replayed). */
export const jobResultSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'jobId', 'ok'],
  properties: {
    v: versionField,
    type: { const: 'job-result' },
    jobId: { type: 'string', maxLength: 64 },
    ok: { type: 'boolean' },
    error: { type: 'string', maxLength: 1024 },
    /** What an `inventory` job collected. */
    inventory: inventorySchema,
    /** What an `lb-plan` job found (or an `lb-apply` job did), file by file. */
    plan: nodePlanSchema,
    /** What a galera-* job found or did. */
    galera: galeraJobResultSchema,
    /** What a `gluster` job found or did. */
    gluster: glusterJobResultSchema,
  },
} as const;

/** A step of a long job (an apply), as it happens: the hub streams these to the browser. */
export const jobProgressSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'jobId', 'step'],
  properties: {
    v: versionField,
    type: { const: 'job-progress' },
    jobId: { type: 'string', maxLength: 64 },
    step: { type: 'string', maxLength: 512 },
  },
} as const;

/** A load balancer's live state: backend servers and the floating addresses it holds. */
export const agentLbStatusSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'status'],
  properties: { v: versionField, type: { const: 'lb-status' }, status: lbStatusSchema },
} as const;

/**
 * Most connections one agent probes: a latency frame for all of them stays under the hub's
 * 64 KiB frame limit even with the longest ids and errors.
 */
export const MAX_PROBE_TARGETS = 256;

const connectionIdField = { type: 'string', minLength: 1, maxLength: 127 } as const;

/** One round of TCP connect times, one result per target (optional: an agent may never send it). */
export const agentLatencySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'results'],
  properties: {
    v: versionField,
    type: { const: 'latency' },
    results: {
      type: 'array', maxItems: MAX_PROBE_TARGETS,
      items: {
        type: 'object', additionalProperties: false, required: ['connectionId', 'ms'],
        properties: {
          connectionId: connectionIdField,
          /** Connect time in ms, or null when the connection failed (then `error` says why). */
          ms: { type: ['number', 'null'], minimum: 0, maximum: 60000 },
          error: { type: 'string', maxLength: 64 },
        },
      },
    },
  },
} as const;

/** Anything an agent may send after its first frame. */
export const agentMessageSchema = {
  oneOf: [agentMetricsSchema, jobResultSchema, agentLatencySchema, jobProgressSchema, agentLbStatusSchema, agentGaleraStatusSchema, agentGlusterStatusSchema],
} as const;

export const hubWelcomeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'serverId', 'intervalMs'],
  properties: {
    v: versionField,
    type: { const: 'welcome' },
    serverId: idSchema,
    intervalMs: { type: 'integer', minimum: 100, maximum: 60000 },
    /**
     * After losing this connection, wait a random time up to at least this long before the first
     * retry: the hub sizes it to its fleet, so a restart does not bring every agent back at once.
     */
    reconnectSpreadMs: { type: 'integer', minimum: 0, maximum: 60000 },
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

/** The hub's answer to a successful enroll: keep the credential (root-only) for every later hello. */
export const hubEnrolledSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'serverId', 'credential'],
  properties: {
    v: versionField,
    type: { const: 'enrolled' },
    serverId: idSchema,
    credential: { type: 'string', minLength: 32, maxLength: 256 },
  },
} as const;

/** Jobs a user may start on one server by hand (POST /api/servers/{id}/jobs). */
export const AD_HOC_JOB_KINDS = ['inventory'] as const;
/** lb-plan renders, validates and diffs; lb-apply applies what was planned (see agent/appliers). */
export const LB_JOB_KINDS = ['lb-plan', 'lb-apply'] as const;
/** MariaDB Galera on a database node (agent/protocol/galera.ts says what each does). */
export const GALERA_JOB_KINDS = ['galera-plan', 'galera-configure', 'galera-start', 'galera-stop', 'galera-inspect', 'galera-sql', 'galera-backup', 'galera-restore'] as const;
/** One Gluster command or check (agent/appliers/gluster). */
export const GLUSTER_JOB_KINDS = ['gluster'] as const;
export const JOB_KINDS = [...AD_HOC_JOB_KINDS, ...LB_JOB_KINDS, ...GALERA_JOB_KINDS, ...GLUSTER_JOB_KINDS] as const;

/**
 * Work for one agent. The agent refuses a job for another server id, one past its expiry, and
 * one whose id it has seen before, and says so in a job-result.
 */
export const jobSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'serverId', 'kind', 'issuedAt', 'expiresAt'],
  properties: {
    id: { type: 'string', minLength: 8, maxLength: 64 },
    serverId: idSchema,
    kind: { enum: JOB_KINDS },
    /** ms since the epoch, hub clock. */
    issuedAt: { type: 'number', minimum: 0 },
    expiresAt: { type: 'number', minimum: 0 },
    /** lb-plan and lb-apply: the node's desired load-balancing state. */
    lb: lbDesiredSchema,
    /** lb-apply: the files as planned; a node whose files changed since refuses (stale plan). */
    expect: applyExpectSchema,
    /** galera-*: what to do, with the node's desired configuration and, where needed, the cluster's secrets. */
    galera: galeraJobSchema,
    /** gluster: one Gluster command or check (agent/appliers/gluster). */
    gluster: glusterJobSchema,
  },
} as const;

export const hubJobSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'job'],
  properties: { v: versionField, type: { const: 'job' }, job: jobSchema },
} as const;

/**
 * What the agent measures: the service port of each connection it starts. Sent after the welcome
 * and again whenever the model changes the list; each one replaces the previous list.
 */
export const hubProbeTargetsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'type', 'targets'],
  properties: {
    v: versionField,
    type: { const: 'probe-targets' },
    targets: {
      type: 'array', maxItems: MAX_PROBE_TARGETS,
      items: {
        type: 'object', additionalProperties: false, required: ['connectionId', 'address', 'port'],
        properties: { connectionId: connectionIdField, address: hostSchema, port: { type: 'integer', minimum: 1, maximum: 65535 } },
      },
    },
  },
} as const;

export const hubToAgentSchema = { oneOf: [hubWelcomeSchema, errorMessageSchema, hubEnrolledSchema, hubJobSchema, hubProbeTargetsSchema, hubGlusterWatchSchema] } as const;
