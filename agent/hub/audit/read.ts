/**
 * Reading the audit log (GET /api/audit): the stored entries and the in-memory refusals, newest
 * first, filtered by user, cluster, server and result. A user scoped to some clusters reads only
 * entries that name one of them; entries about users, tokens or the whole state name no cluster,
 * so only users of every cluster read those.
 */
import type { Acl, AuditEntry, AuditQuery } from '../../protocol/types.js';
import { clusterInScope } from '../auth/acl.js';

export const DEFAULT_LIMIT = 200;

export function readAudit(stored: readonly AuditEntry[], refused: readonly AuditEntry[], acl: Acl, q: AuditQuery): AuditEntry[] {
  const limit = Math.min(1000, q.limit === undefined ? DEFAULT_LIMIT : Number(q.limit));
  const keep = (e: AuditEntry) =>
    (acl.scope === '*' || (e.clusters ?? []).some((c) => clusterInScope(acl, c)))
    && (q.user === undefined || e.user === q.user)
    && (q.cluster === undefined || (e.clusters ?? []).includes(q.cluster))
    && (q.server === undefined || (e.servers ?? []).includes(q.server))
    && (q.result === undefined || (e.result ?? 'ok') === q.result);
  const out: AuditEntry[] = [];
  // Both lists are oldest first: merge from their ends, newest first, until the limit.
  let i = stored.length - 1, j = refused.length - 1;
  while (out.length < limit && (i >= 0 || j >= 0)) {
    const e = j < 0 || (i >= 0 && stored[i]!.ts >= refused[j]!.ts) ? stored[i--]! : refused[j--]!;
    if (keep(e)) out.push(e);
  }
  return out;
}
