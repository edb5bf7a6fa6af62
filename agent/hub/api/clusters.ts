/** /api/clusters */
import { validators } from '../../protocol/validate.js';
import { requireClusterInScope, requireFlag, requireServerVisible, visibleModel } from '../auth/acl.js';
import { notFound } from '../errors.js';
import { readJson } from '../http/body.js';
import type { Reply } from '../http/router.js';
import { createCluster, deleteCluster, findCluster, patchCluster } from '../model/clusters.js';
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
  });
  return { status: 201, body: cluster };
}

export async function patch(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'editClusters');
  const name = scopedName(ctx);
  const input = await readJson(ctx.req, validators.clusterPatch);
  requireMembersVisible(ctx, [...(input.servers ?? []), ...(input.addServers ?? [])]);
  const cluster = await commit(ctx, 'cluster.update', name, (s) => {
    const r = patchCluster(s, name, input);
    return [r.state, r.cluster];
  });
  return { status: 200, body: cluster };
}

export async function remove(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'editClusters');
  const name = scopedName(ctx);
  await commit(ctx, 'cluster.delete', name, (s) => [deleteCluster(s, name), null]);
  return { status: 204 };
}
