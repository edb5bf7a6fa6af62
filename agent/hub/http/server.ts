/** The hub's HTTP handler: the REST API under /api/, Prometheus' /metrics, the built UI for everything else. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/authenticate.js';
import { apiRouter, PUBLIC } from '../api/routes.js';
import type { ApiContext, Services } from '../api/context.js';
import { HttpError, forbidden } from '../errors.js';
import { parseRequestPath } from './request-path.js';
import { sendError, sendJson } from './respond.js';
import { serveStatic } from './static.js';

const ANONYMOUS: Principal = {
  name: '', via: 'session', realm: 'hub',
  acl: { view: false, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false, scope: [] },
};

/**
 * Cookie-authenticated writes, and the browser socket, must come from our own pages. Browsers
 * always send Origin on cross-site POST/PATCH/DELETE and on WebSocket handshakes, so a foreign or
 * missing-host Origin is refused. A request without Origin is not from a browser page.
 */
export function checkSameOrigin(req: IncomingMessage): void {
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

export interface HandlerOptions {
  /** Prometheus' /metrics (the TCP port only). */
  metrics?: PlainHandler;
  /** Who is calling; by default the hub's own login. */
  authenticate?: Authenticate;
  /** Say in `X-Served-Path` which decoded path an API answer is for (the gateway's action log uses it). */
  announcePath?: boolean;
}

export function httpHandler(svc: Services, uiRoot: string, opts: HandlerOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const router = apiRouter();
  const { metrics, announcePath } = opts;
  const authenticate = opts.authenticate ?? ((req: IncomingMessage) => svc.authenticator.authenticate(req));
  return (req, res) => {
    void handle(req, res).catch((err) => {
      if (!res.headersSent) sendError(res, err, svc.log);
      else res.destroy();
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = parseRequestPath(req.url);
    const method = req.method ?? 'GET';
    if (path.segments[0] === 'api' && path.segments.length > 1) {
      if (announcePath) res.setHeader('x-served-path', path.pathname);
      const { handler, params } = router.match(method, path.segments);
      let who = ANONYMOUS;
      if (!PUBLIC.has(`${method} ${path.pathname}`)) {
        who = await authenticate(req);
        if (who.via === 'session' && method !== 'GET' && method !== 'HEAD') checkSameOrigin(req);
      }
      const ctx: ApiContext = { req, res, params, query: path.query, svc, who };
      const reply = await handler(ctx);
      sendJson(res, reply.status, reply.body, reply.headers);
      return;
    }
    if (metrics && path.pathname === '/metrics') return metrics(req, res);
    if ((method === 'GET' || method === 'HEAD') && (await serveStatic(uiRoot, path.pathname, res))) return;
    throw new HttpError(404, 'not_found', `nothing at ${path.pathname}`);
  }
}
