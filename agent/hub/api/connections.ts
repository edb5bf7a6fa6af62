/** /api/connections */
import type { ConnectionDelete } from '../../protocol/types.js';
import { check, validators } from '../../protocol/validate.js';
import { requireFlag, requireServerVisible, visibleModel } from '../auth/acl.js';
import { badRequest } from '../errors.js';
import { readJson } from '../http/body.js';
import type { Reply } from '../http/router.js';
import { addConnection, connectionId, findConnection, removeConnection } from '../model/connections.js';
import { type ApiContext, commit } from './context.js';
import { pageOf, paged } from './page.js';
import { connectionViewJson, jsonArray } from './view-json.js';

/** GET /api/connections[?server=ID][&limit=&offset=]: the visible connections (of one server), or a page of them. */
export async function list(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  const page = pageOf(ctx.query);
  const server = ctx.query.get('server');
  const visible = visibleModel(ctx.svc.store.state, ctx.who.acl).connections;
  const { items, headers } = paged(server === null ? visible : visible.filter((c) => c.from === server || c.to === server), page);
  const now = Date.now();
  return { status: 200, body: jsonArray(items.map((c) => connectionViewJson(ctx.svc, c, now))), headers };
}

export async function create(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'editConnections');
  const input = await readJson(ctx.req, validators.connectionCreate);
  for (const end of [input.from, input.to]) requireServerVisible(ctx.svc.store.state, ctx.who.acl, end);
  const connection = await commit(ctx, 'connection.create', connectionId(input.from, input.to), (s) => {
    const r = addConnection(s, input);
    return [r.state, r.connection];
  });
  return { status: 201, body: connection };
}

/** DELETE takes `?id=` or `?from=&to=`, or the same as a JSON body. */
async function deleteTarget(ctx: ApiContext): Promise<string> {
  let input: ConnectionDelete;
  if (ctx.req.headers['content-type'] || Number(ctx.req.headers['content-length']) > 0) {
    input = await readJson(ctx.req, validators.connectionDelete, 8192);
  } else {
    const checked = check(validators.connectionDelete, Object.fromEntries(ctx.query));
    if (!checked.ok) throw badRequest(`give ?id= or ?from=&to=: ${checked.error}`, 'invalid_query');
    input = checked.value;
  }
  return input.id ?? connectionId(input.from!, input.to!);
}

export async function remove(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'editConnections');
  const id = ctx.params['id'] ?? (await deleteTarget(ctx));
  const conn = findConnection(ctx.svc.store.state, id);
  for (const end of [conn.from, conn.to]) requireServerVisible(ctx.svc.store.state, ctx.who.acl, end);
  await commit(ctx, 'connection.delete', id, (s) => [removeConnection(s, id), null]);
  return { status: 204 };
}
