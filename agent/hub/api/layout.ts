/** /api/layout: the diagram positions users dragged, for the servers the caller may see. */
import type { Layout } from '../../protocol/types.js';
import { validators } from '../../protocol/validate.js';
import { requireFlag, requireServerVisible, visibleModel } from '../auth/acl.js';
import { notFound } from '../errors.js';
import { readJson } from '../http/body.js';
import type { Reply } from '../http/router.js';
import { serverRefs } from '../audit/entries.js';
import { recordJson } from '../record-json.js';
import { type ApiContext, commit } from './context.js';
import { RawJson } from './view-json.js';

/**
 * The stored positions of the servers the caller may see: all of them for a user of every
 * cluster (a server's position goes with it), as JSON made once per layout (record-json.ts).
 */
function visibleLayout(ctx: ApiContext): RawJson {
  const { state } = ctx.svc.store;
  if (ctx.who.acl.scope === '*') return new RawJson(recordJson(state.layout));
  const ids = new Set(visibleModel(state, ctx.who.acl).servers.map((s) => s.id));
  return new RawJson(JSON.stringify(Object.fromEntries(Object.entries(state.layout).filter(([id]) => ids.has(id)))));
}

export async function get(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  return { status: 200, body: visibleLayout(ctx) };
}

/**
 * PATCH (and the older PUT, which miniserv refuses): moving a server on the diagram is editing
 * it, the `editServers` flag. All or nothing.
 */
export async function patch(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'editServers');
  const { positions } = await readJson(ctx.req, validators.layoutPatch);
  for (const id of Object.keys(positions)) requireServerVisible(ctx.svc.store.state, ctx.who.acl, id);
  const n = Object.keys(positions).length;
  await commit(ctx, 'layout.update', `${n} server${n === 1 ? '' : 's'}`, (s) => {
    // Usually one position (a drag): a look-up each is cheaper than indexing 10,000 servers.
    const known = n > 8 ? new Set(s.servers.map((x) => x.id)) : { has: (id: string) => s.servers.some((x) => x.id === id) };
    const next: Layout = { ...s.layout };
    for (const [id, p] of Object.entries(positions)) {
      if (!known.has(id)) throw notFound(`no server with id '${id}'`);
      if (p) next[id] = { x: p.x, y: p.y }; else delete next[id];
    }
    return [{ ...s, layout: next }, null];
  }, (s) => serverRefs(s, Object.keys(positions)));
  return { status: 200, body: visibleLayout(ctx) };
}
