/**
 * /api/virtual-servers: virtual servers placed on clusters (virtual-servers/orchestrator.ts).
 * Reading needs `view` and shows what the caller's scope covers; setting up, changing and removing
 * need `apply` (they change live load balancers, databases and volumes) and every cluster involved
 * in the caller's scope. POST /api/virtual-servers/check answers whether a placement (a server
 * template's choice) is usable by the caller, and changes nothing.
 */
import type { VirtualServer } from '../../protocol/types.js';
import { validators } from '../../protocol/validate.js';
import { clusterInScope, requireFlag } from '../auth/acl.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { readJson } from '../http/body.js';
import type { Reply } from '../http/router.js';
import { clustersOf, findVirtualServer, hostsOf, visibleVirtualServer, visibleVirtualServers } from '../model/virtual-servers.js';
import { checkPlacement } from '../virtual-servers/placement.js';
import type { ApiContext } from './context.js';

/** `?cluster=NAME` (a part on it) and `?host=NAME` (its domain or an alias) narrow the list. */
export async function list(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  const cluster = ctx.query.get('cluster');
  const host = ctx.query.get('host')?.toLowerCase();
  const all = visibleVirtualServers(ctx.svc.store.state, ctx.who.acl);
  const body = all.filter((v) => (!cluster || clustersOf(v).includes(cluster)) && (!host || hostsOf(v).includes(host)));
  return { status: 200, body };
}

function visible(ctx: ApiContext): VirtualServer {
  const id = ctx.params['id']!;
  const vs = visibleVirtualServer(findVirtualServer(ctx.svc.store.state, id), ctx.who.acl);
  if (!vs) throw notFound(`no virtual server with id '${id}'`);
  return vs;
}

/** To change a virtual server the caller must see every cluster it is on. */
function changeable(ctx: ApiContext): VirtualServer {
  requireFlag(ctx.who.acl, 'apply');
  visible(ctx);
  const vs = findVirtualServer(ctx.svc.store.state, ctx.params['id']!);
  const outside = clustersOf(vs).find((c) => !clusterInScope(ctx.who.acl, c));
  if (outside) throw forbidden(`virtual server ${vs.domain} also uses a cluster outside your scope`);
  return vs;
}

export async function get(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  return { status: 200, body: visible(ctx) };
}

export async function check(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  const input = await readJson(ctx.req, validators.placementCheck);
  return { status: 200, body: checkPlacement(ctx.svc.store.state, ctx.who.acl, input, ctx.svc.virtualServers.providers) };
}

export async function create(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'apply');
  const input = await readJson(ctx.req, validators.virtualServerCreate);
  return { status: 201, body: await ctx.svc.virtualServers.create(ctx.who, input) };
}

export async function patch(ctx: ApiContext): Promise<Reply> {
  const vs = changeable(ctx);
  const input = await readJson(ctx.req, validators.virtualServerPatch);
  return { status: 200, body: await ctx.svc.virtualServers.update(ctx.who, vs.id, input) };
}

/** `?keep=database,files`: leave those on their clusters (Virtualmin's "preserve remote features"). */
export async function remove(ctx: ApiContext): Promise<Reply> {
  const vs = changeable(ctx);
  const keep = (ctx.query.get('keep') ?? '').split(',').filter(Boolean);
  const unknown = keep.find((k) => k !== 'database' && k !== 'files');
  if (unknown) throw badRequest(`?keep= takes database and files, not '${unknown}'`, 'invalid_query');
  await ctx.svc.virtualServers.remove(ctx.who, vs.id, { database: keep.includes('database'), files: keep.includes('files') });
  return { status: 204 };
}
