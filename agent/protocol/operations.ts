/**
 * Operations: multi-step work across a cluster's nodes (a Galera bootstrap, a rolling restart, a
 * crash recovery, a Gluster expansion, a scale-in). An operation is an ordered list of steps, each
 * usually one job on one node; the hub runs them one at a time (agent/hub/operations/runner.ts)
 * and persists every step, its evidence and its result, so a hub restart shows where it stopped.
 */
import { idSchema } from './common.js';

export const OPERATION_STATES = ['running', 'waiting', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export const STEP_STATES = ['pending', 'running', 'waiting', 'done', 'failed', 'skipped', 'interrupted'] as const;
/** The ACL flag an operation needs: to start it, confirm a question it asks, or cancel it. */
export const OPERATION_FLAGS = ['apply', 'scale'] as const;

/** Most operations kept in the state: every unfinished one and the newest finished ones. */
export const KEEP_OPERATIONS = 200;

const time = { type: 'string', maxLength: 64 } as const;

/**
 * Facts a step gathered or acted on (e.g. each node's grastate.dat), shown to the user as they
 * are. Free-form JSON: the step that writes it owns its shape.
 */
export const evidenceSchema = { type: 'object', maxProperties: 64 } as const;

export const operationStepSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'action', 'title', 'state'],
  properties: {
    /** Unique within its operation. */
    id: { type: 'string', maxLength: 64 },
    /** What the step does, for the executor (`bootstrap`, `join`, `drain` …). */
    action: { type: 'string', maxLength: 64 },
    /** What the user reads: "Bootstrap db1 (highest recovered seqno)". */
    title: { type: 'string', maxLength: 256 },
    serverId: idSchema,
    /** Parameters the planner chose for the executor. */
    args: { type: 'object', maxProperties: 64 },
    state: { enum: STEP_STATES },
    startedAt: time,
    finishedAt: time,
    /** The latest progress line ("SST 42 %", "waiting for Synced"). */
    detail: { type: 'string', maxLength: 1024 },
    evidence: evidenceSchema,
    error: { type: 'string', maxLength: 2048 },
  },
} as const;

export const operationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'cluster', 'kind', 'title', 'flag', 'state', 'createdBy', 'createdAt', 'rev', 'steps'],
  properties: {
    id: { type: 'string', maxLength: 64 },
    /** Goes up with every change: of two copies (a REST answer, a socket frame) the higher is newer. */
    rev: { type: 'integer', minimum: 1 },
    cluster: idSchema,
    /** `<tool>.<what>`: `galera.bootstrap`, `gluster.expand`, `scale.in` … */
    kind: { type: 'string', maxLength: 64, pattern: '^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*$' },
    title: { type: 'string', maxLength: 256 },
    flag: { enum: OPERATION_FLAGS },
    state: { enum: OPERATION_STATES },
    createdBy: { type: 'string', maxLength: 63 },
    createdAt: time,
    finishedAt: time,
    /** While `waiting`: what the user is asked to confirm (the evidence is on the waiting step). */
    question: { type: 'string', maxLength: 2048 },
    /** Why it failed, was cancelled or interrupted. */
    error: { type: 'string', maxLength: 2048 },
    steps: { type: 'array', maxItems: 1000, items: operationStepSchema },
  },
} as const;

/** Hub → browser: an operation started, moved on a step, asks a question or ended. */
export const operationFrameSchema = {
  type: 'object', additionalProperties: false, required: ['v', 'type', 'operation'],
  properties: { v: { const: 1 }, type: { const: 'operation' }, operation: operationSchema },
} as const;
