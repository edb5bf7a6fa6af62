/**
 * Scaling: a cluster's policy (min/max/desired, target tracking, step rules, scheduled capacity,
 * scale-in protection), its binding to an AWS Auto Scaling group, the decision log and the status
 * the API shows. Kept in the state under `scaling` (not in the exported model: only a user with
 * the `scale` flag changes it, and every change is checked against the group first).
 */
import { idSchema } from './common.js';

/** What target tracking and step rules watch: average CPU %, average memory %, HAProxy sessions per backend server. */
export const SCALING_METRICS = ['cpu', 'mem', 'sessions'] as const;
export const SCALE_IN_ORDERS = ['newest', 'oldest'] as const;
export const DECISION_ACTIONS = ['scale-out', 'scale-in'] as const;
export const DECISION_OUTCOMES = ['done', 'dry-run', 'failed', 'refused', 'started'] as const;
export const DECISION_SOURCES = ['target-tracking', 'step', 'schedule', 'bounds', 'policy', 'alert', 'manual'] as const;

/** Most decisions kept in the state (all clusters). */
export const KEEP_DECISIONS = 1000;

const count = { type: 'integer', minimum: 0, maximum: 10000 } as const;
const seconds = { type: 'integer', minimum: 0, maximum: 86400 } as const;
const time = { type: 'string', maxLength: 64 } as const;

export const targetTrackingSchema = {
  type: 'object', additionalProperties: false, required: ['metric', 'target'],
  properties: {
    metric: { enum: SCALING_METRICS },
    /** Percent for cpu and mem; sessions per backend server for sessions. */
    target: { type: 'number', exclusiveMinimum: 0, maximum: 100000 },
    /** How long the average must stay above (or below) the target before acting (default 60). */
    periodSeconds: { type: 'integer', minimum: 1, maximum: 86400 },
  },
} as const;

/** A step rule: when `metric` is above (or below) `threshold` for `forSeconds`, change capacity by `change`. */
export const stepRuleSchema = {
  type: 'object', additionalProperties: false, required: ['metric', 'when', 'threshold', 'change'],
  properties: {
    metric: { enum: SCALING_METRICS },
    when: { enum: ['above', 'below'] },
    threshold: { type: 'number', minimum: 0, maximum: 100000 },
    forSeconds: { type: 'integer', minimum: 1, maximum: 86400 },
    /** Instances to add (positive) or remove (negative: one drained instance per decision). */
    change: { type: 'integer', minimum: -100, maximum: 100, not: { const: 0 } },
  },
} as const;

/** Scheduled capacity: at each time the cron expression names (in `timeZone`), set the bounds and/or desired capacity. */
export const scheduledActionSchema = {
  type: 'object', additionalProperties: false, required: ['name', 'cron', 'timeZone'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 63, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
    /** node-cron syntax: 5 fields (minute first) or 6 (seconds first). */
    cron: { type: 'string', minLength: 1, maxLength: 128 },
    /** An IANA time zone: Europe/Berlin, UTC … */
    timeZone: { type: 'string', minLength: 1, maxLength: 64 },
    min: count,
    max: count,
    desired: count,
  },
} as const;

export const scalingPolicySchema = {
  type: 'object', additionalProperties: false, required: ['min', 'max'],
  properties: {
    min: count,
    max: count,
    /** Capacity to reach when the policy is saved (then target tracking and steps take over). */
    desired: count,
    /** A new instance's figures count only after this long (default 120); no scale-in meanwhile. */
    warmupSeconds: seconds,
    /** No further scale-out this long after one (default 120). */
    scaleOutCooldownSeconds: seconds,
    /** No scale-in this long after any scaling (default 300). */
    scaleInCooldownSeconds: seconds,
    /** Off: nothing is evaluated. */
    enabled: { type: 'boolean' },
    /** Decisions are evaluated and logged, nothing is done. */
    dryRun: { type: 'boolean' },
    targetTracking: targetTrackingSchema,
    steps: { type: 'array', maxItems: 32, items: stepRuleSchema },
    scheduled: { type: 'array', maxItems: 32, items: scheduledActionSchema },
    /** Servers never chosen for a scale-in (also protected from scale-in in the group). */
    protectedServers: { type: 'array', maxItems: 10000, uniqueItems: true, items: idSchema },
    /** Which instance a scale-in removes first (default newest). */
    scaleInOrder: { enum: SCALE_IN_ORDERS },
    /** How long a drain may wait for the server's sessions to reach 0 (default 60). */
    drainTimeoutSeconds: { type: 'integer', minimum: 1, maximum: 3600 },
  },
} as const;

export const AWS_REGION_PATTERN = '^[a-z]{2}(-[a-z]+)+-\\d$';

/** Credentials a user pasted: kept root-only beside the state, never shown, exported or logged. */
export const awsCredentialsSchema = {
  type: 'object', additionalProperties: false, required: ['accessKeyId', 'secretAccessKey'],
  properties: {
    accessKeyId: { type: 'string', minLength: 16, maxLength: 128, pattern: '^[A-Z0-9]+$' },
    secretAccessKey: { type: 'string', minLength: 16, maxLength: 128 },
    sessionToken: { type: 'string', maxLength: 4096 },
  },
} as const;

/** The binding as stored and shown: `credentials` says where they come from, never what they are. */
export const scalingBindingSchema = {
  type: 'object', additionalProperties: false, required: ['provider', 'groupName', 'region', 'credentials'],
  properties: {
    provider: { const: 'aws' },
    groupName: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001f:]+$' },
    region: { type: 'string', maxLength: 32, pattern: AWS_REGION_PATTERN },
    /** `default-chain`: the SDK's default provider chain; `stored`: pasted, kept root-only. */
    credentials: { enum: ['default-chain', 'stored'] },
    boundBy: { type: 'string', maxLength: 63 },
    boundAt: time,
  },
} as const;

/** POST /api/clusters/{name}/scaling/binding */
export const scalingBindInputSchema = {
  type: 'object', additionalProperties: false, required: ['groupName', 'region'],
  properties: {
    provider: { const: 'aws' },
    groupName: scalingBindingSchema.properties.groupName,
    region: scalingBindingSchema.properties.region,
    credentials: awsCredentialsSchema,
  },
} as const;

/** A scheduled action in force: its bounds replace the policy's until another one fires. */
export const scheduleOverrideSchema = {
  type: 'object', additionalProperties: false, required: ['name', 'at'],
  properties: { name: { type: 'string', maxLength: 63 }, at: time, min: count, max: count },
} as const;

/** A desired capacity the group converges to (one drained instance at a time downwards), set by the policy or a schedule. */
export const convergeSchema = {
  type: 'object', additionalProperties: false, required: ['desired', 'source', 'at'],
  properties: { desired: count, source: { enum: ['policy', 'schedule'] }, name: { type: 'string', maxLength: 63 }, at: time },
} as const;

/** What the hub keeps per cluster. */
export const clusterScalingSchema = {
  type: 'object', additionalProperties: false,
  properties: {
    policy: scalingPolicySchema,
    binding: scalingBindingSchema,
    override: scheduleOverrideSchema,
    converge: convergeSchema,
    lastScaleOutAt: time,
    lastScaleInAt: time,
  },
} as const;

/** One evaluation that decided something, with the figures it saw. */
export const scalingDecisionSchema = {
  type: 'object', additionalProperties: false, required: ['id', 'at', 'cluster', 'source', 'action', 'from', 'to', 'reason', 'outcome'],
  properties: {
    id: { type: 'string', maxLength: 64 },
    at: time,
    cluster: idSchema,
    source: { enum: DECISION_SOURCES },
    action: { enum: DECISION_ACTIONS },
    /** Desired capacity before and after. */
    from: count,
    to: count,
    reason: { type: 'string', maxLength: 1024 },
    /** What the evaluation saw: metric, value, target, servers counted, since when … */
    figures: { type: 'object', maxProperties: 32 },
    dryRun: { type: 'boolean' },
    outcome: { enum: DECISION_OUTCOMES },
    error: { type: 'string', maxLength: 2048 },
    /** The scale-in operation it started. */
    operationId: { type: 'string', maxLength: 64 },
    by: { type: 'string', maxLength: 63 },
  },
} as const;

export const scalingInstanceSchema = {
  type: 'object', additionalProperties: false, required: ['instanceId', 'lifecycle', 'health', 'protected'],
  properties: {
    instanceId: { type: 'string', maxLength: 32 },
    /** The server whose agent reported this instance id, when one did. */
    serverId: idSchema,
    lifecycle: { type: 'string', maxLength: 64 },
    health: { type: 'string', maxLength: 32 },
    protected: { type: 'boolean' },
  },
} as const;

/** GET /api/clusters/{name}/scaling and `scaling` frames. */
export const scalingViewSchema = {
  type: 'object', additionalProperties: false, required: ['cluster', 'decisions'],
  properties: {
    cluster: idSchema,
    policy: scalingPolicySchema,
    binding: scalingBindingSchema,
    override: scheduleOverrideSchema,
    converge: convergeSchema,
    group: {
      type: 'object', additionalProperties: false, required: ['min', 'max', 'desired', 'instances', 'checkedAt'],
      properties: { min: count, max: count, desired: count, instances: { type: 'array', maxItems: 10000, items: scalingInstanceSchema }, checkedAt: time },
    },
    /** The latest reading of the policy's metric. */
    reading: {
      type: 'object', additionalProperties: false, required: ['metric', 'value', 'servers'],
      properties: { metric: { enum: SCALING_METRICS }, value: { type: ['number', 'null'] }, servers: count, warming: count },
    },
    /** Why nothing is done although a condition holds (cooldown, warm-up, at the maximum). */
    hold: { type: 'string', maxLength: 1024 },
    /** Why the group could not be read or acted on, lately. */
    error: { type: 'string', maxLength: 2048 },
    decisions: { type: 'array', maxItems: KEEP_DECISIONS, items: scalingDecisionSchema },
  },
} as const;

export const scalingFrameSchema = {
  type: 'object', additionalProperties: false, required: ['v', 'type', 'scaling'],
  properties: { v: { const: 1 }, type: { const: 'scaling' }, scaling: scalingViewSchema },
} as const;

/** POST /api/clusters/{name}/scaling/user-data: a join token for the group's instances. */
export const userDataInputSchema = {
  type: 'object', additionalProperties: false,
  properties: {
    /** Default 30 days: the launch template carries it until it is renewed. */
    expiresInMinutes: { type: 'integer', minimum: 1, maximum: 43200 },
    /** Default 1000 instances. */
    uses: { type: 'integer', minimum: 1, maximum: 100000 },
    type: { enum: ['web', 'database', 'dns', 'cache', 'loadbalancer', 'filesystem', 'monitoring', 'backup', 'security'] },
  },
} as const;

/** POST /api/clusters/{name}/scaling/scale-in */
export const scaleInInputSchema = {
  type: 'object', additionalProperties: false,
  properties: { serverId: idSchema, dryRun: { type: 'boolean' } },
} as const;

/** POST /api/clusters/{name}/scaling/protection */
export const protectionInputSchema = {
  type: 'object', additionalProperties: false, required: ['serverId', 'protected'],
  properties: { serverId: idSchema, protected: { type: 'boolean' } },
} as const;
