/**
 * Load-balancing plans: POST /api/clusters/{name}/plans makes one (every load balancer renders,
 * validates and diffs), POST /api/plans/{id}/apply approves and applies it (202, progress on the
 * browser socket and at GET /api/plans/{id}), GET /api/clusters/{name}/lb-status shows live
 * server states and the VIP holder. Only users with the apply flag and the cluster in scope.
 */
import { clusterInScope, requireFlag } from '../auth/acl.js';
import { actorName } from '../auth/authenticate.js';
import { notFound } from '../errors.js';
import type { Reply } from '../http/router.js';
import { findCluster } from '../model/clusters.js';
import type { ApiContext } from './context.js';

function scopedCluster(ctx: ApiContext) {
  const name = ctx.params['name']!;
  if (!clusterInScope(ctx.who.acl, name)) throw notFound(`no cluster named '${name}'`);
  return findCluster(ctx.svc.store.state, name);
}

export async function createPlan(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'apply');
  const cluster = scopedCluster(ctx);
  return { status: 201, body: await ctx.svc.plans.create(cluster, actorName(ctx.who)) };
}

/** A plan of a cluster out of scope is "not found", as the cluster itself would be. */
function scopedPlan(ctx: ApiContext) {
  const plan = ctx.svc.plans.get(ctx.params['id']!);
  if (!clusterInScope(ctx.who.acl, plan.cluster)) throw notFound(`no plan with id '${plan.id}'`);
  return plan;
}

export async function getPlan(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  return { status: 200, body: scopedPlan(ctx) };
}

export async function applyPlan(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'apply');
  const plan = scopedPlan(ctx);
  const { view, done } = ctx.svc.plans.apply(plan.id, actorName(ctx.who));
  done.catch((e: Error) => ctx.svc.log(`plan ${plan.id}: ${e.message}`));
  return { status: 202, body: view };
}

export async function lbStatus(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  const cluster = scopedCluster(ctx);
  return { status: 200, body: ctx.svc.lbLive.view(ctx.svc.store.state, cluster) };
}
