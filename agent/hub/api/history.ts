/** GET /api/servers/{id}/history?window=15m|24h: one server's sparkline series (agent/protocol/history.ts). */
import { HISTORY_WINDOWS } from '../../protocol/history.js';
import type { Acl, HistoryBody, HistoryWindow, State } from '../../protocol/types.js';
import { requireFlag, requireServerVisible } from '../auth/acl.js';
import { badRequest, notFound } from '../errors.js';
import type { Reply } from '../http/router.js';
import type { Live } from '../live/live.js';
import type { ApiContext } from './context.js';

/** What reading a history needs of the hub's services. */
export interface HistorySource {
  store: { readonly state: Pick<State, 'servers' | 'clusters'> };
  live: Pick<Live, 'history'>;
}

const isWindow = (w: string): w is HistoryWindow => (HISTORY_WINDOWS as readonly string[]).includes(w);

export async function serverHistory(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  const window = ctx.query.get('window') ?? '15m';
  if (!isWindow(window)) throw badRequest(`window must be one of: ${HISTORY_WINDOWS.join(', ')}`);
  return { status: 200, body: readHistory(ctx.svc, ctx.who.acl, ctx.params['id']!, window) };
}

/**
 * The history of a server `acl` may see (the caller has checked the `view` flag); a 404
 * HttpError for an unknown server or one out of scope. Shared with the browser socket.
 */
export function readHistory(svc: HistorySource, acl: Acl, id: string, window: HistoryWindow, now = Date.now()): HistoryBody {
  const { state } = svc.store;
  requireServerVisible(state, acl, id);
  if (!state.servers.some((s) => s.id === id)) throw notFound(`no server with id '${id}'`);
  return svc.live.history.read(id, window, now);
}
