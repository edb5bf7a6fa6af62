/**
 * /api/undo: a user puts back what it deleted itself in the last minute (GET lists it). Each kind
 * needs the flag its delete needed, checked again now; all of a request is restored or nothing.
 */
import type { AclFlag, UndoKind } from '../../protocol/types.js';
import { validators } from '../../protocol/validate.js';
import { requireClusterInScope, requireFlag, requireServerVisible } from '../auth/acl.js';
import { serverRefs } from '../audit/entries.js';
import { readJson } from '../http/body.js';
import type { Reply } from '../http/router.js';
import { type Removed, restore } from '../model/restore.js';
import { actorName } from '../auth/authenticate.js';
import { type ApiContext, commit } from './context.js';

const FLAG: Record<UndoKind, AclFlag> = { server: 'editServers', connection: 'editConnections', cluster: 'editClusters' };

export async function list(ctx: ApiContext): Promise<Reply> {
  return { status: 200, body: ctx.svc.deletions.list(actorName(ctx.who)) };
}

/** The servers and clusters a restore touches, for the audit entry. */
function refsOf(removed: readonly Removed[]) {
  const servers: string[] = [], clusters: string[] = [];
  for (const r of removed) {
    if (r.kind === 'server') { servers.push(r.id); clusters.push(...r.memberships.map((m) => m.cluster)); }
    if (r.kind === 'connection') servers.push(r.connection.from, r.connection.to);
    if (r.kind === 'cluster') { clusters.push(r.id); servers.push(...r.cluster.servers); }
  }
  return { servers, clusters };
}

/**
 * The caller's scope now (it may have changed since the delete) must cover what comes back: a
 * server's clusters, a connection's ends, a cluster's name.
 */
function requireInScope(ctx: ApiContext, removed: readonly Removed[]): void {
  const { acl } = ctx.who;
  if (acl.scope === '*') return;
  const state = ctx.svc.store.state;
  for (const r of removed) {
    if (r.kind === 'cluster') requireClusterInScope(acl, r.id);
    if (r.kind === 'connection') for (const end of [r.connection.from, r.connection.to]) requireServerVisible(state, acl, end);
    if (r.kind === 'server') {
      if (!r.memberships.length) requireServerVisible(state, acl, r.id);
      for (const m of r.memberships) requireClusterInScope(acl, m.cluster);
    }
  }
}

export async function undo(ctx: ApiContext): Promise<Reply> {
  const input = await readJson(ctx.req, validators.undo, 1024 * 1024);
  requireFlag(ctx.who.acl, FLAG[input.kind]);
  const removed = ctx.svc.deletions.find(actorName(ctx.who), input.kind, input.ids);
  requireInScope(ctx, removed);
  await commit(ctx, `${input.kind}.restore`, input.ids.join(', '), (s) => [removed.reduce(restore, s), null], (s) => {
    const refs = refsOf(removed);
    // A connection's ends may sit in clusters: name those too.
    return { servers: refs.servers, clusters: [...refs.clusters, ...(serverRefs(s, refs.servers).clusters ?? [])] };
  });
  ctx.svc.deletions.forget(actorName(ctx.who), removed);
  return { status: 200, body: { restored: input.ids.map((id) => ({ kind: input.kind, id })) } };
}
