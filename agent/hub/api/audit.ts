/**
 * GET /api/audit: who did what, when, and how it ended, newest first. Needs `view`; a user scoped
 * to some clusters reads only entries about them (agent/hub/audit/read.ts). Filters: ?user=,
 * ?cluster=, ?server=, ?result=ok|failed|denied|invalid, ?limit= (default 200, at most 1000).
 */
import { check, validators } from '../../protocol/validate.js';
import { requireFlag } from '../auth/acl.js';
import { readAudit } from '../audit/read.js';
import { badRequest } from '../errors.js';
import type { Reply } from '../http/router.js';
import type { ApiContext } from './context.js';

export async function list(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  const q = check(validators.auditQuery, Object.fromEntries(ctx.query));
  if (!q.ok) throw badRequest(`filter by ?user=, ?cluster=, ?server=, ?result= and ?limit=: ${q.error}`, 'invalid_query');
  return { status: 200, body: readAudit(ctx.svc.store.state.audit, ctx.svc.refusals.all(), ctx.who.acl, q.value) };
}
