/** The hub's HTTP handler: the REST API under /api/, Prometheus' /metrics, the built UI for everything else. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/authenticate.js';
import { apiRouter, PUBLIC } from '../api/routes.js';
import type { ApiContext, Services } from '../api/context.js';
import { HttpError, forbidden } from '../errors.js';
import { sendError, sendJson } from './respond.js';
import { serveStatic } from './static.js';

const ANONYMOUS: Principal = {
  name: '', via: 'session', realm: 'hub',
  acl: { view: false, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false, scope: [] },
};

/**
 * Cookie-authenticated writes must come from our own pages. Browsers always send Origin on
 * cross-site POST/PATCH/DELETE, so a foreign or missing-host Origin is refused.
 */
function checkSameOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (req.headers['sec-fetch-site'] === 'cross-site') throw forbidden('cross-site request refused');
  if (origin && origin !== 'null') {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      throw forbidden('malformed Origin header');
    }
    if (host !== req.headers.host) throw forbidden('cross-origin request refused');
  } else if (origin === 'null') {
    throw forbidden('cross-origin request refused');
  }
}

/** Answers a request completely; throws an HttpError to answer with the API's JSON error. */
export type PlainHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Who is calling: by default the hub's own login (cookie, Basic, Bearer); the gateway socket passes webminPrincipal. */
export type Authenticate = (req: IncomingMessage) => Promise<Principal>;

export function httpHandler(
  svc: Services, uiRoot: string, metrics?: PlainHandler, authenticate: Authenticate = (req) => svc.authenticator.authenticate(req),
): (req: IncomingMessage, res: ServerResponse) => void {
  const router = apiRouter();
  return (req, res) => {
    void handle(req, res).catch((err) => {
      if (!res.headersSent) sendError(res, err, svc.log);
      else res.destroy();
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://hub');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/api/')) {
      const { handler, params } = router.match(method, url.pathname);
      let who = ANONYMOUS;
      if (!PUBLIC.has(`${method} ${url.pathname}`)) {
        who = await authenticate(req);
        if (who.via === 'session' && method !== 'GET' && method !== 'HEAD') checkSameOrigin(req);
      }
      const ctx: ApiContext = { req, res, params, query: url.searchParams, svc, who };
      const reply = await handler(ctx);
      sendJson(res, reply.status, reply.body, reply.headers);
      return;
    }
    if (metrics && url.pathname === '/metrics') return metrics(req, res);
    if ((method === 'GET' || method === 'HEAD') && (await serveStatic(uiRoot, url.pathname, res))) return;
    throw new HttpError(404, 'not_found', `nothing at ${url.pathname}`);
  }
}
