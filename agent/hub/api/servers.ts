/** /api/servers */
import type { Server } from '../../protocol/types.js';
import { validators } from '../../protocol/validate.js';
import { requireAllClusters, requireFlag, requireServerVisible, visibleModel } from '../auth/acl.js';
import { readJson } from '../http/body.js';
import type { Reply } from '../http/router.js';
import { addServer, findServer, patchServer, removeServer } from '../model/servers.js';
import { captureServer } from '../model/restore.js';
import { serverRefs } from '../audit/entries.js';
import { actorName } from '../auth/authenticate.js';
import { type ApiContext, commit, serverView } from './context.js';
import { pageOf, paged } from './page.js';
import { jsonArray, serverViewJson } from './view-json.js';

/** GET /api/servers[?limit=&offset=]: the visible servers, or a page of them. */
export async function list(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  const page = pageOf(ctx.query);
  const { items, headers } = paged(visibleModel(ctx.svc.store.state, ctx.who.acl).servers, page);
  return { status: 200, body: jsonArray(items.map((s) => serverViewJson(ctx.svc, s))), headers };
}

/** The `:id` parameter, once the caller may see that server. */
function visibleId(ctx: ApiContext): string {
  const id = ctx.params['id']!;
  requireServerVisible(ctx.svc.store.state, ctx.who.acl, id);
  return id;
}

export async function get(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  return { status: 200, body: serverView(ctx.svc, findServer(ctx.svc.store.state, visibleId(ctx))) };
}

export async function create(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'editServers');
  // A scoped user would not see a server outside its clusters, so only unscoped users add them.
  requireAllClusters(ctx.who.acl, 'adding a server');
  const input = await readJson(ctx.req, validators.serverCreate);
  const server = await commit<Server>(ctx, 'server.create', (r) => r.id, (s) => {
    const r = addServer(s, input);
    return [r.state, r.server];
  }, (_s, r) => ({ servers: [r.id] }));
  return { status: 201, body: serverView(ctx.svc, server) };
}

export async function patch(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'editServers');
  const id = visibleId(ctx);
  const input = await readJson(ctx.req, validators.serverPatch);
  const server = await commit(ctx, 'server.update', id, (s) => {
    const r = patchServer(s, id, input);
    return [r.state, r.server];
  }, (s) => ({ ...serverRefs(s, [id]), detail: JSON.stringify(input) }));
  return { status: 200, body: serverView(ctx.svc, server) };
}

export async function remove(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'editServers');
  const id = visibleId(ctx);
  const removed = await commit(ctx, 'server.delete', id, (s) => [removeServer(s, id), captureServer(s, id)], (s) => serverRefs(s, [id]));
  ctx.svc.deletions.record(actorName(ctx.who), removed);
  return { status: 204 };
}
