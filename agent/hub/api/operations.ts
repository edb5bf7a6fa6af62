/**
 * Operations of a cluster (agent/hub/operations/runner.ts): GET /api/clusters/{name}/operations
 * lists them newest first, GET /api/operations/{id} shows one with its steps and evidence,
 * POST /api/operations/{id}/confirm answers its question, POST /api/operations/{id}/cancel stops
 * it after the current step. Seeing needs `view`, answering and cancelling the flag the operation
 * was started with (`apply` or `scale`); all of it only for a cluster in scope (404 otherwise, as for the cluster).
 */
import type { Operation } from '../../protocol/types.js';
import { clusterInScope, requireFlag } from '../auth/acl.js';
import { notFound } from '../errors.js';
import type { Reply } from '../http/router.js';
import { findCluster } from '../model/clusters.js';
import { actorName } from '../auth/authenticate.js';
import type { ApiContext } from './context.js';

export async function listOperations(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  const name = ctx.params['name']!;
  if (!clusterInScope(ctx.who.acl, name)) throw notFound(`no cluster named '${name}'`);
  findCluster(ctx.svc.store.state, name);
  return { status: 200, body: ctx.svc.operations.list(name) };
}

function scopedOperation(ctx: ApiContext): Operation {
  const op = ctx.svc.operations.get(ctx.params['id']!);
  if (!clusterInScope(ctx.who.acl, op.cluster)) throw notFound(`no operation with id '${op.id}'`);
  return op;
}

export async function getOperation(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  return { status: 200, body: scopedOperation(ctx) };
}

export async function confirmOperation(ctx: ApiContext): Promise<Reply> {
  const op = scopedOperation(ctx);
  requireFlag(ctx.who.acl, op.flag);
  return { status: 200, body: await ctx.svc.operations.confirm(op.id, actorName(ctx.who)) };
}

export async function cancelOperation(ctx: ApiContext): Promise<Reply> {
  const op = scopedOperation(ctx);
  requireFlag(ctx.who.acl, op.flag);
  return { status: 202, body: await ctx.svc.operations.cancel(op.id, actorName(ctx.who)) };
}
