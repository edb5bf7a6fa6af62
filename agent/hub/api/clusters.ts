/** /api/clusters */
import { validators } from '../../protocol/validate.js';
import { requireAllClusters, requireClusterInScope, requireFlag, requireServerVisible, visibleModel } from '../auth/acl.js';
import { conflict, notFound } from '../errors.js';
import { readJson } from '../http/body.js';
import type { Reply } from '../http/router.js';
import { createCluster, deleteCluster, findCluster, patchCluster } from '../model/clusters.js';
import { captureCluster } from '../model/restore.js';
import type { AuditExtra } from '../audit/entries.js';
import { actorName } from '../auth/authenticate.js';
import { type ApiContext, commit } from './context.js';

export async function list(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  return { status: 200, body: visibleModel(ctx.svc.store.state, ctx.who.acl).clusters };
}

/** The `:name` parameter, once the cluster is in the caller's scope (else 404: not theirs to know). */
function scopedName(ctx: ApiContext): string {
  const name = ctx.params['name']!;
  if (!visibleModel(ctx.svc.store.state, ctx.who.acl).clusters.some((c) => c.name === name)) throw notFound(`no cluster named '${name}'`);
  return name;
}

export async function get(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  return { status: 200, body: findCluster(ctx.svc.store.state, scopedName(ctx)) };
}

/** A scoped user may only put servers it can already see into a cluster (no widening its own scope). */
function requireMembersVisible(ctx: ApiContext, ids: readonly string[] | undefined): void {
  for (const id of ids ?? []) requireServerVisible(ctx.svc.store.state, ctx.who.acl, id);
}

export async function create(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'editClusters');
  const input = await readJson(ctx.req, validators.clusterCreate);
  requireClusterInScope(ctx.who.acl, input.name);
  requireMembersVisible(ctx, input.servers);
  const cluster = await commit(ctx, 'cluster.create', input.name, (s) => {
    const r = createCluster(s, input);
    return [r.state, r.cluster];
  }, () => ({ clusters: [input.name], servers: input.servers ?? [] }));
  return { status: 201, body: cluster };
}

export async function patch(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'editClusters');
  const name = scopedName(ctx);
  const input = await readJson(ctx.req, validators.clusterPatch);
  requireMembersVisible(ctx, [...(input.servers ?? []), ...(input.addServers ?? [])]);
  const renaming = input.name !== undefined && input.name !== name;
  // Renaming changes other users' scopes and rules: only for users of every cluster.
  if (renaming) {
    requireAllClusters(ctx.who.acl, 'renaming a cluster');
    const busy = ctx.svc.operations.current(name);
    if (busy) throw conflict(`cluster '${name}' is busy with "${busy.title}": rename it once that has ended`);
  }
  const refs = (): AuditExtra => ({
    clusters: renaming ? [name, input.name!] : [name],
    servers: [...(input.servers ?? []), ...(input.addServers ?? []), ...(input.removeServers ?? [])],
    ...(renaming ? { detail: `renamed to ${input.name}` } : {}),
  });
  const cluster = await commit(ctx, renaming ? 'cluster.rename' : 'cluster.update', name, (s) => {
    // A plan being applied to the cluster keeps its name until it is done; planned ones are dropped.
    if (renaming) ctx.svc.plans.forgetCluster(name);
    const r = patchCluster(s, name, input);
    return [r.state, r.cluster];
  }, refs);
  return { status: 200, body: cluster };
}

export async function remove(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'editClusters');
  const name = scopedName(ctx);
  const removed = await commit(ctx, 'cluster.delete', name, (s) => [deleteCluster(s, name), captureCluster(s, name)], (s) => ({ clusters: [name], servers: findCluster(s, name).servers }));
  ctx.svc.deletions.record(actorName(ctx.who), removed);
  return { status: 204 };
}
