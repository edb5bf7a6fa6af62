/**
 * Scaling of a cluster (agent/hub/scaling): every endpoint needs the `scale` flag and the cluster
 * in scope (404 otherwise, as for the cluster); the user-data endpoint also `enroll`, since it
 * makes a join token.
 *   GET    /api/clusters/{name}/scaling              policy, binding, group, reading, decision log
 *   POST   /api/clusters/{name}/scaling/policy       set the policy (refused with every problem)
 *   DELETE /api/clusters/{name}/scaling/policy
 *   POST   /api/clusters/{name}/scaling/binding      bind to an Auto Scaling group (checked first)
 *   DELETE /api/clusters/{name}/scaling/binding
 *   POST   /api/clusters/{name}/scaling/user-data    a join token and the launch template's user data
 *   POST   /api/clusters/{name}/scaling/protection   protect a server from scale-in (or lift it)
 *   POST   /api/clusters/{name}/scaling/preview      what the policy would do now (dry run)
 *   POST   /api/clusters/{name}/scaling/scale-in     start a scale-in operation (`dryRun`: only plan it)
 */
import { validators } from '../../protocol/validate.js';
import { clusterInScope, requireFlag } from '../auth/acl.js';
import { notFound } from '../errors.js';
import { readJson } from '../http/body.js';
import type { Reply } from '../http/router.js';
import { findCluster } from '../model/clusters.js';
import type { ApiContext } from './context.js';
import { actorName } from '../auth/authenticate.js';

function scopedCluster(ctx: ApiContext): string {
  requireFlag(ctx.who.acl, 'scale');
  const name = ctx.params['name']!;
  if (!clusterInScope(ctx.who.acl, name)) throw notFound(`no cluster named '${name}'`);
  findCluster(ctx.svc.store.state, name);
  return name;
}

export async function getScaling(ctx: ApiContext): Promise<Reply> {
  return { status: 200, body: ctx.svc.scaler.view(scopedCluster(ctx)) };
}

export async function setPolicy(ctx: ApiContext): Promise<Reply> {
  const name = scopedCluster(ctx);
  const policy = await readJson(ctx.req, validators.scalingPolicy, 256 * 1024);
  return { status: 200, body: await ctx.svc.scaler.setPolicy(name, policy, actorName(ctx.who)) };
}

export async function removePolicy(ctx: ApiContext): Promise<Reply> {
  await ctx.svc.scaler.removePolicy(scopedCluster(ctx), actorName(ctx.who));
  return { status: 204 };
}

export async function bind(ctx: ApiContext): Promise<Reply> {
  const name = scopedCluster(ctx);
  const input = await readJson(ctx.req, validators.scalingBind, 16 * 1024);
  return { status: 200, body: await ctx.svc.scaler.bind(name, input, actorName(ctx.who)) };
}

export async function unbind(ctx: ApiContext): Promise<Reply> {
  await ctx.svc.scaler.unbind(scopedCluster(ctx), actorName(ctx.who));
  return { status: 204 };
}

export async function userData(ctx: ApiContext): Promise<Reply> {
  const name = scopedCluster(ctx);
  requireFlag(ctx.who.acl, 'enroll');
  const input = await readJson(ctx.req, validators.userDataInput, 4096);
  return { status: 201, body: await ctx.svc.scaler.userData(name, input, actorName(ctx.who)) };
}

export async function protection(ctx: ApiContext): Promise<Reply> {
  const name = scopedCluster(ctx);
  const input = await readJson(ctx.req, validators.protectionInput, 4096);
  return { status: 200, body: await ctx.svc.scaler.protect(name, input.serverId, input.protected, actorName(ctx.who)) };
}

export async function preview(ctx: ApiContext): Promise<Reply> {
  return { status: 200, body: ctx.svc.scaler.preview(scopedCluster(ctx)) };
}

export async function scaleIn(ctx: ApiContext): Promise<Reply> {
  const name = scopedCluster(ctx);
  const input = await readJson(ctx.req, validators.scaleInInput, 4096);
  const user = actorName(ctx.who);
  if (input.dryRun) return { status: 200, body: await ctx.svc.scaler.startScaleIn(name, input.serverId, user, undefined, true) };
  return { status: 201, body: await ctx.svc.scaler.scaleInByHand(name, input.serverId, user) };
}
