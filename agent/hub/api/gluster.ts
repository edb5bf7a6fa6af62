/**
 * Gluster endpoints (agent/hub/gluster/): the live view of a cluster (view), its role's plan and
 * apply, expansion, replacement, peer removal and split-brain resolution (operations; apply flag),
 * and for other features (Virtualmin) a directory inside the volume and mounts on given servers.
 * All for a cluster in the caller's scope only (404 otherwise, as for the cluster).
 */
import type { Cluster } from '../../protocol/types.js';
import { validators } from '../../protocol/validate.js';
import { clusterInScope, requireFlag, requireServerVisible } from '../auth/acl.js';
import { badRequest, notFound } from '../errors.js';
import type { Reply } from '../http/router.js';
import { findCluster } from '../model/clusters.js';
import { GlusterService } from '../gluster/service.js';
import { readJson } from '../http/body.js';
import { withAudit } from '../audit/entries.js';
import type { ApiContext } from './context.js';
import { actorName } from '../auth/authenticate.js';

function glusterCluster(ctx: ApiContext): Cluster {
  const name = ctx.params['name']!;
  if (!clusterInScope(ctx.who.acl, name)) throw notFound(`no cluster named '${name}'`);
  const cluster = findCluster(ctx.svc.store.state, name);
  if (!cluster.gluster) throw badRequest(`cluster '${name}' has no Gluster role: PATCH it with {"gluster":{"volumes":[{"name":"vol0"}]}} first`, 'no_gluster_role');
  return cluster;
}

export async function status(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  return { status: 200, body: ctx.svc.gluster.view(glusterCluster(ctx)) };
}

export async function plan(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'apply');
  const cluster = glusterCluster(ctx);
  return { status: 200, body: GlusterService.show(cluster.name, await ctx.svc.gluster.planRole(cluster)) };
}

async function started(ctx: ApiContext, cluster: Cluster, kind: string, title: string, outcome: Parameters<GlusterService['start']>[3]): Promise<Reply> {
  const r = await ctx.svc.gluster.start(cluster, kind, title, outcome, actorName(ctx.who));
  return { status: r.operation ? 202 : 200, body: r };
}

export async function apply(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'apply');
  const cluster = glusterCluster(ctx);
  return started(ctx, cluster, 'gluster.apply', `Apply the Gluster role of ${cluster.name}`, await ctx.svc.gluster.planRole(cluster));
}

export async function expand(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'apply');
  const cluster = glusterCluster(ctx);
  const body = await readJson(ctx.req, validators.glusterExpand);
  const outcome = await ctx.svc.gluster.planExpand(cluster, body.volume, body.servers, body.paths);
  return started(ctx, cluster, 'gluster.expand', `Expand ${body.volume} by ${body.servers.join(', ')}`, outcome);
}

export async function replace(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'apply');
  const cluster = glusterCluster(ctx);
  const body = await readJson(ctx.req, validators.glusterReplace);
  return started(ctx, cluster, 'gluster.replace', `Replace ${body.from}'s bricks by ${body.to}'s`, await ctx.svc.gluster.planReplace(cluster, body.from, body.to));
}

export async function removePeer(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'apply');
  const cluster = glusterCluster(ctx);
  const body = await readJson(ctx.req, validators.glusterRemovePeer);
  return started(ctx, cluster, 'gluster.remove-peer', `Remove ${body.serverId} from the Gluster pool`, await ctx.svc.gluster.planRemovePeer(cluster, body.serverId));
}

export async function splitBrain(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'apply');
  const cluster = glusterCluster(ctx);
  const body = await readJson(ctx.req, validators.glusterSplitBrain);
  const outcome = await ctx.svc.gluster.planSplitBrain(cluster, body.volume, body.file, body.choice, body.brick);
  return started(ctx, cluster, 'gluster.split-brain', `Resolve the split-brain of ${body.file} on ${body.volume} (${body.choice})`, outcome);
}

export async function makeDirectory(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'apply');
  const cluster = glusterCluster(ctx);
  const body = await readJson(ctx.req, validators.glusterDirectory);
  const made = await ctx.svc.gluster.makeDirectory(cluster, body);
  await ctx.svc.store.update((s) => withAudit(s, actorName(ctx.who), 'gluster.mkdir', `${cluster.name}: ${made.volume}/${made.path}`));
  return { status: 201, body: made };
}

/** Needs `apply` (like every Gluster change); the `filesystem` connections it draws are the mounts' record. */
export async function ensureMounts(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'apply');
  const cluster = glusterCluster(ctx);
  const body = await readJson(ctx.req, validators.glusterEnsureMounts);
  for (const id of body.servers) requireServerVisible(ctx.svc.store.state, ctx.who.acl, id);
  return { status: 200, body: { mounts: await ctx.svc.gluster.ensureMounted(actorName(ctx.who), cluster, body.servers) } };
}
