/**
 * The audit log as the API reads it: GET /api/audit filters (who, which cluster or server, how it
 * ended) and the entries it answers with. Entries are kept in the state document (state.ts).
 */
import { idSchema } from './common.js';

/** ok: done; failed: accepted but it did not work (an apply a node refused); denied/invalid: refused, nothing changed. */
export const AUDIT_RESULTS = ['ok', 'failed', 'denied', 'invalid'] as const;

/** At most this many servers or clusters are named on one entry (a layout change of many servers names the first ones). */
export const MAX_AUDIT_REFS = 256;

/** Query string of GET /api/audit; every value is a string as it arrives. */
export const auditQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    user: { type: 'string', minLength: 1, maxLength: 63 },
    cluster: idSchema,
    server: idSchema,
    result: { enum: AUDIT_RESULTS },
    /** Newest first; at most this many (default 200, at most 1000). */
    limit: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' },
  },
} as const;
