/**
 * Alert rules, the alerts they raise, and the REST bodies that edit them.
 *
 * A rule watches one metric of every server in its scope: `cpu`, `mem` and `disk` (the fullest
 * mount) in percent, compared with `threshold` (at or above it counts), or `down` (the server's
 * derived status is `inactive`; no threshold). The condition must hold for `forSeconds` before
 * the alert fires; it resolves when the condition clears.
 */
import { idSchema, nameSchema } from './common.js';
import { GALERA_STATE_METRICS, GALERA_THRESHOLD_METRICS } from './galera.js';
import { GLUSTER_COUNT_METRICS, GLUSTER_THRESHOLD_METRICS } from './gluster.js';

/** The metrics compared with a threshold (percent). */
export const THRESHOLD_METRICS = ['cpu', 'mem', 'disk', ...GALERA_THRESHOLD_METRICS, ...GLUSTER_THRESHOLD_METRICS] as const;
/**
 * Conditions without a threshold that count something while they hold (bricks offline,
 * split-brain entries): an alert's value is the count.
 */
export const COUNT_METRICS = [...GLUSTER_COUNT_METRICS] as const;
/**
 * Conditions without a threshold: the server is down, a Galera node is not Primary or not
 * Synced (an alert's value is how long it held), and the counting ones.
 */
export const STATE_METRICS = ['down', ...GALERA_STATE_METRICS, ...COUNT_METRICS] as const;
export const ALERT_METRICS = [...THRESHOLD_METRICS, ...STATE_METRICS] as const;
/** Named in-process hooks that other parts of the hub subscribe to (scaling, failover). */
export const ALERT_HOOKS = ['scale_up', 'failover'] as const;
export const ALERT_STATES = ['firing', 'resolved'] as const;

/** At most this many rules; each is evaluated against every server once a second. */
export const MAX_ALERT_RULES = 1000;

const webhookActionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'url'],
  /** POSTs `{alert, rule, server}` as JSON; http and https only (custom format in validate.ts). */
  properties: { type: { const: 'webhook' }, url: { type: 'string', maxLength: 2048, format: 'http-url' } },
} as const;

const emailActionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'to'],
  /** One recipient: `user@domain` or a local user such as `root` (sent through the local sendmail). */
  properties: { type: { const: 'email' }, to: { type: 'string', maxLength: 254, format: 'mail-address' } },
} as const;

const hookActionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'name'],
  properties: { type: { const: 'hook' }, name: { enum: ALERT_HOOKS } },
} as const;

/** The discriminator makes ajv check only the branch `type` names, so errors are about that branch. */
export const alertActionSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [webhookActionSchema, emailActionSchema, hookActionSchema],
} as const;

/** The fields every rule has, whatever its metric. */
const ruleFields = {
  name: nameSchema,
  forSeconds: { type: 'integer', minimum: 0, maximum: 86400 },
  enabled: { type: 'boolean' },
  actions: { type: 'array', maxItems: 16, items: alertActionSchema },
  /** Cluster names whose member servers the rule watches, or "*" (the default) for every server. */
  scope: {
    anyOf: [
      { const: '*' },
      { type: 'array', minItems: 1, maxItems: 1000, uniqueItems: true, items: idSchema },
    ],
  },
} as const;

const thresholdFields = {
  metric: { enum: THRESHOLD_METRICS },
  /** Percent; the condition holds when the value is at or above it (≥). */
  threshold: { type: 'number', minimum: 0, maximum: 100 },
  ...ruleFields,
} as const;

const downFields = { metric: { enum: STATE_METRICS }, ...ruleFields } as const;

/** A rule as stored and as GET /api/alert-rules returns it. */
export const alertRuleSchema = {
  type: 'object',
  required: ['metric'],
  discriminator: { propertyName: 'metric' },
  oneOf: [
    {
      type: 'object', additionalProperties: false,
      required: ['id', 'name', 'metric', 'threshold', 'forSeconds', 'enabled', 'actions'],
      properties: { id: idSchema, ...thresholdFields },
    },
    {
      type: 'object', additionalProperties: false,
      required: ['id', 'name', 'metric', 'forSeconds', 'enabled', 'actions'],
      properties: { id: idSchema, ...downFields },
    },
  ],
} as const;

/** PUT /api/alert-rules/{id}: the whole rule but its id; `enabled` defaults to true. */
export const alertRuleInputSchema = {
  type: 'object',
  required: ['metric'],
  discriminator: { propertyName: 'metric' },
  oneOf: [
    {
      type: 'object', additionalProperties: false,
      required: ['name', 'metric', 'threshold', 'forSeconds', 'actions'],
      properties: thresholdFields,
    },
    {
      type: 'object', additionalProperties: false,
      required: ['name', 'metric', 'forSeconds', 'actions'],
      properties: downFields,
    },
  ],
} as const;

/**
 * PATCH /api/alert-rules/{id}: the fields to change; the rule they make must be a valid whole
 * rule (switching to `down` drops the threshold; switching to a metric needs one).
 */
export const alertRulePatchSchema = {
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: { ...ruleFields, metric: { enum: ALERT_METRICS }, threshold: thresholdFields.threshold },
} as const;

/** POST /api/alert-rules: as PUT, plus an optional `id` (made from the name when absent). */
export const alertRuleCreateSchema = {
  type: 'object',
  required: ['metric'],
  discriminator: { propertyName: 'metric' },
  oneOf: [
    {
      type: 'object', additionalProperties: false,
      required: ['name', 'metric', 'threshold', 'forSeconds', 'actions'],
      properties: { id: idSchema, ...thresholdFields },
    },
    {
      type: 'object', additionalProperties: false,
      required: ['name', 'metric', 'forSeconds', 'actions'],
      properties: { id: idSchema, ...downFields },
    },
  ],
} as const;

/**
 * One alert: raised for one server by one rule. It is stored when it fires and updated in place
 * (state, resolvedAt) when it resolves. The rule's name and metric are copied so the log still
 * reads right after the rule is renamed or deleted.
 */
export const alertSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'ruleId', 'ruleName', 'metric', 'serverId', 'state', 'value', 'startedAt'],
  properties: {
    /** `ruleId:serverId:firedAtMs`; ids cannot contain ':' so it is unique and unambiguous. */
    id: { type: 'string', maxLength: 160 },
    ruleId: idSchema,
    ruleName: nameSchema,
    metric: { enum: ALERT_METRICS },
    serverId: idSchema,
    state: { enum: ALERT_STATES },
    /** When it fired: the metric in percent, or for `down` the seconds the server had been inactive. */
    value: { type: 'number' },
    /** ISO 8601 time it fired. */
    startedAt: { type: 'string', maxLength: 64 },
    /** ISO 8601 time it resolved; only on resolved alerts. */
    resolvedAt: { type: 'string', maxLength: 64 },
  },
} as const;

/** GET /api/alerts query. */
export const alertQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { state: { enum: ALERT_STATES } },
} as const;
