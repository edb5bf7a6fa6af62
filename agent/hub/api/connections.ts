/** /api/connections */
import type { ConnectionDelete } from '../../protocol/types.js';
import { check, validators } from '../../protocol/validate.js';
import { requireFlag, requireServerVisible, visibleModel } from '../auth/acl.js';
import { badRequest } from '../errors.js';
import { readJson } from '../http/body.js';
import type { Reply } from '../http/router.js';
import { addConnection, connectionId, findConnection, removeConnection, setConnectionType } from '../model/connections.js';
import { captureConnection } from '../model/restore.js';
import { serverRefs } from '../audit/entries.js';
import { actorName } from '../auth/authenticate.js';
import { type ApiContext, commit, connectionView } from './context.js';
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
  }, (s) => serverRefs(s, [input.from, input.to]));
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
  const removed = await commit(ctx, 'connection.delete', id, (s) => [removeConnection(s, id), captureConnection(s, id)], (s) => serverRefs(s, [conn.from, conn.to]));
  ctx.svc.deletions.record(actorName(ctx.who), removed);
  return { status: 204 };
}

/** PATCH /api/connections/{id}: `{"type"}`. */
export async function patch(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'editConnections');
  const id = ctx.params['id']!;
  const conn = findConnection(ctx.svc.store.state, id);
  for (const end of [conn.from, conn.to]) requireServerVisible(ctx.svc.store.state, ctx.who.acl, end);
  const { type } = await readJson(ctx.req, validators.connectionPatch, 8192);
  const connection = await commit(ctx, 'connection.update', id, (s) => {
    const r = setConnectionType(s, id, type);
    return [r.state, r.connection];
  }, (s) => ({ ...serverRefs(s, [conn.from, conn.to]), detail: `type ${conn.type} → ${type}` }));
  return { status: 200, body: connectionView(ctx.svc, connection) };
}
