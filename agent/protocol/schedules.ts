/**
 * Schedules: jobs the hub runs on a cron expression in a time zone (node-cron), one registry
 * (agent/hub/schedules/registry.ts). Hub-wide jobs (state backup, health sweep, database backup) keep their
 * settings here; a cluster's scheduled capacity comes from its scaling policy. Every run is
 * audited and leaves its result; a run missed while the hub was down is reported.
 */

/** What a job does. `database-backup`: mariabackup of every Galera cluster on a Synced node, encrypted and rotated like the state backup. */
export const SCHEDULE_KINDS = ['state-backup', 'health-sweep', 'scheduled-capacity', 'database-backup'] as const;
export const RUN_RESULTS = ['ok', 'failed', 'skipped'] as const;

const time = { type: 'string', maxLength: 64 } as const;

/** The settings of a hub-wide job a user may change. */
export const scheduleSettingsSchema = {
  type: 'object', additionalProperties: false, required: ['cron', 'timeZone', 'enabled'],
  properties: {
    cron: { type: 'string', minLength: 1, maxLength: 128 },
    timeZone: { type: 'string', minLength: 1, maxLength: 64 },
    enabled: { type: 'boolean' },
    /** A run missed while the hub was down runs once at start-up. */
    catchUp: { type: 'boolean' },
    /** Backups kept (the oldest go first). */
    keep: { type: 'integer', minimum: 1, maximum: 1000 },
  },
} as const;

/** PATCH /api/schedules/{id} */
export const schedulePatchSchema = {
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: scheduleSettingsSchema.properties,
} as const;

export const scheduleRunSchema = {
  type: 'object', additionalProperties: false, required: ['startedAt', 'result', 'reason'],
  properties: {
    startedAt: time,
    finishedAt: time,
    durationMs: { type: 'number', minimum: 0 },
    result: { enum: RUN_RESULTS },
    /** scheduled, manual, catch-up (a missed run made up at start-up). */
    reason: { enum: ['scheduled', 'manual', 'catch-up'] },
    detail: { type: 'string', maxLength: 2048 },
    by: { type: 'string', maxLength: 63 },
  },
} as const;

/** What the hub remembers of a job between restarts. */
export const scheduleRecordSchema = {
  type: 'object', additionalProperties: false,
  properties: {
    settings: scheduleSettingsSchema,
    lastRun: scheduleRunSchema,
    /** When the job was next due, as last computed: later than that at start-up means a missed run. */
    nextRunAt: time,
    /** The latest run missed while the hub was down. */
    missed: {
      type: 'object', additionalProperties: false, required: ['dueAt', 'noticedAt', 'caughtUp'],
      properties: { dueAt: time, noticedAt: time, caughtUp: { type: 'boolean' } },
    },
  },
} as const;

/** GET /api/schedules: one job as the panel shows it. */
export const scheduleViewSchema = {
  type: 'object', additionalProperties: false, required: ['id', 'kind', 'title', 'cron', 'timeZone', 'enabled', 'running'],
  properties: {
    id: { type: 'string', maxLength: 200 },
    kind: { enum: SCHEDULE_KINDS },
    title: { type: 'string', maxLength: 256 },
    /** The cluster of a scheduled capacity job. */
    cluster: { type: 'string', maxLength: 63 },
    cron: { type: 'string', maxLength: 128 },
    timeZone: { type: 'string', maxLength: 64 },
    enabled: { type: 'boolean' },
    catchUp: { type: 'boolean' },
    keep: { type: 'integer' },
    running: { type: 'boolean' },
    nextRunAt: { type: ['string', 'null'], maxLength: 64 },
    lastRun: scheduleRunSchema,
    missed: scheduleRecordSchema.properties.missed,
  },
} as const;
