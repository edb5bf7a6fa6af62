/**
 * POST /api/undo: puts back what the caller itself deleted in the last minute (servers with their
 * connections, memberships, position and agent credential; connections; clusters), named by kind
 * and ids, all or nothing. GET /api/undo lists what can still be put back.
 */
export const UNDO_KINDS = ['server', 'connection', 'cluster'] as const;

export const undoSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'ids'],
  properties: {
    kind: { enum: UNDO_KINDS },
    /** Server ids, connection ids (`from:to`) or cluster names. */
    ids: { type: 'array', minItems: 1, maxItems: 10000, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 127 } },
  },
} as const;

export const undoableSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'id', 'deletedAt', 'expiresAt'],
  properties: {
    kind: { enum: UNDO_KINDS },
    id: { type: 'string', maxLength: 127 },
    deletedAt: { type: 'string', maxLength: 64 },
    expiresAt: { type: 'string', maxLength: 64 },
  },
} as const;
