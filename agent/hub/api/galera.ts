/**
 * Galera endpoints (agent/hub/galera). Seeing a cluster's Galera state needs `view`; planning and
 * every operation (apply, add or remove a node, rolling restart, recovery) and the databases
 * endpoint need `apply`; all of it only for a cluster in the caller's scope (404 otherwise, as
 * for the cluster itself). Database backups: listing them needs `view`, taking one now and
 * restoring one into a fresh node need `apply` (a restore from another cluster's backup needs
 * that cluster in scope too). Operations answer 202 with the operation; its progress streams as
 * `operation` frames and at GET /api/operations/{id}.
 */
import { check, validators } from '../../protocol/validate.js';
import { clusterInScope, requireFlag, requireServerVisible } from '../auth/acl.js';
import { badRequest, notFound } from '../errors.js';
import { readJson } from '../http/body.js';
import type { Reply } from '../http/router.js';
import { findCluster } from '../model/clusters.js';
import type { ApiContext } from './context.js';
import { actorName } from '../auth/authenticate.js';
import { databaseBackupKeep } from '../schedules/jobs.js';

function scopedCluster(ctx: ApiContext, flag: 'view' | 'apply') {
  requireFlag(ctx.who.acl, flag);
  const name = ctx.params['name']!;
  if (!clusterInScope(ctx.who.acl, name)) throw notFound(`no cluster named '${name}'`);
  return findCluster(ctx.svc.store.state, name);
}

export async function status(ctx: ApiContext): Promise<Reply> {
  const c = scopedCluster(ctx, 'view');
  return { status: 200, body: ctx.svc.galera.getView(c.name) };
}

export async function plan(ctx: ApiContext): Promise<Reply> {
  const c = scopedCluster(ctx, 'apply');
  return { status: 201, body: await ctx.svc.galera.createPlan(c.name, actorName(ctx.who)) };
}

export async function apply(ctx: ApiContext): Promise<Reply> {
  const c = scopedCluster(ctx, 'apply');
  const { planId } = await readJson(ctx.req, validators.galeraApply, 4096);
  return { status: 202, body: await ctx.svc.galera.apply(c.name, planId, actorName(ctx.who)) };
}

export async function addNode(ctx: ApiContext): Promise<Reply> {
  const c = scopedCluster(ctx, 'apply');
  const { serverId } = await readJson(ctx.req, validators.galeraAddNode, 4096);
  requireServerVisible(ctx.svc.store.state, ctx.who.acl, serverId);
  return { status: 202, body: await ctx.svc.galera.addNode(c.name, serverId, actorName(ctx.who)) };
}

export async function removeNode(ctx: ApiContext): Promise<Reply> {
  const c = scopedCluster(ctx, 'apply');
  return { status: 202, body: await ctx.svc.galera.removeNode(c.name, ctx.params['id']!, actorName(ctx.who)) };
}

export async function rollingRestart(ctx: ApiContext): Promise<Reply> {
  const c = scopedCluster(ctx, 'apply');
  return { status: 202, body: await ctx.svc.galera.rollingRestart(c.name, actorName(ctx.who)) };
}

export async function recover(ctx: ApiContext): Promise<Reply> {
  const c = scopedCluster(ctx, 'apply');
  return { status: 202, body: await ctx.svc.galera.recover(c.name, actorName(ctx.who)) };
}

export async function createDatabase(ctx: ApiContext): Promise<Reply> {
  const c = scopedCluster(ctx, 'apply');
  const b = await readJson(ctx.req, validators.galeraDatabaseCreate, 4096);
  const { node } = await ctx.svc.galera.database(c.name, { op: 'create-database', database: b.name, user: b.user, password: b.password, ...(b.host ? { host: b.host } : {}) }, actorName(ctx.who));
  return { status: 201, body: { database: b.name, user: b.user, host: b.host ?? '%', node } };
}

export async function dropDatabase(ctx: ApiContext): Promise<Reply> {
  const c = scopedCluster(ctx, 'apply');
  const database = ctx.params['db']!;
  if (!check(validators.galeraDatabaseCreate, { name: database, user: 'x', password: 'xxxxxxxx' }).ok) throw badRequest(`'${database}' is not a database name (letters, digits and _ only)`);
  const hasBody = ctx.req.headers['content-type'] || Number(ctx.req.headers['content-length']) > 0;
  const b = hasBody ? await readJson(ctx.req, validators.galeraDatabaseDrop, 4096) : {};
  await ctx.svc.galera.database(c.name, { op: 'drop-database', database, ...(b.user ? { user: b.user } : {}), ...(b.host ? { host: b.host } : {}) }, actorName(ctx.who));
  return { status: 204 };
}

export async function listBackups(ctx: ApiContext): Promise<Reply> {
  const c = scopedCluster(ctx, 'view');
  return { status: 200, body: await ctx.svc.galeraBackups.list(c.name) };
}

export async function backupNow(ctx: ApiContext): Promise<Reply> {
  const c = scopedCluster(ctx, 'apply');
  return { status: 202, body: await ctx.svc.galeraBackups.backup(c.name, actorName(ctx.who), databaseBackupKeep(ctx.svc.store.state)) };
}

export async function restore(ctx: ApiContext): Promise<Reply> {
  const c = scopedCluster(ctx, 'apply');
  const b = await readJson(ctx.req, validators.galeraRestore, 4096);
  const from = b.from ?? c.name;
  if (!clusterInScope(ctx.who.acl, from)) throw notFound(`no cluster named '${from}'`);
  requireServerVisible(ctx.svc.store.state, ctx.who.acl, b.serverId);
  return { status: 202, body: await ctx.svc.galeraBackups.restore(c.name, from, b.backup, b.serverId, actorName(ctx.who)) };
}
