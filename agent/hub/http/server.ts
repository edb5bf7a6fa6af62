/** The hub's HTTP handler: the REST API under /api/, Prometheus' /metrics, the built UI for everything else. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Principal, actorName } from '../auth/authenticate.js';
import { apiRouter, PUBLIC } from '../api/routes.js';
import type { ApiContext, Services } from '../api/context.js';
import { HttpError, forbidden } from '../errors.js';
import { parseRequestPath } from './request-path.js';
import { auditEntry } from '../audit/entries.js';
import type { AuditResult } from '../../protocol/types.js';
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
      let reply;
      try {
        reply = await handler(ctx);
      } catch (e) {
        if (who.name && method !== 'GET' && method !== 'HEAD') recordRefusal(svc, actorName(who), method, `/${path.segments.join('/')}`, params, e);
        throw e;
      }
      sendJson(res, reply.status, reply.body, reply.headers);
      return;
    }
    if (metrics && path.pathname === '/metrics') return metrics(req, res);
    if ((method === 'GET' || method === 'HEAD') && (await serveStatic(uiRoot, path.pathname, res))) return;
    throw new HttpError(404, 'not_found', `nothing at ${path.pathname}`);
  }
}

/**
 * A change a signed-in user asked for and did not get goes beside the audit log, in memory only
 * (it changed nothing, so it writes nothing): denied (403, 429), invalid (other 4xx) or failed.
 */
function recordRefusal(svc: Services, user: string, method: string, path: string, params: Record<string, string>, e: unknown): void {
  const status = e instanceof HttpError ? e.status : 500;
  const result: AuditResult = status === 403 || status === 429 ? 'denied' : status < 500 ? 'invalid' : 'failed';
  const resource = path.split('/')[2] ?? '';
  const named = params['id'] ?? params['name'];
  const id = named && /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(named) ? named : undefined;
  svc.refusals.record(auditEntry(user, `${method} /api/${resource}`.slice(0, 64), path, new Date(), {
    result, detail: e instanceof Error ? e.message : String(e),
    ...(id && resource === 'servers' ? { servers: [id] } : {}),
    ...(id && resource === 'clusters' ? { clusters: [id] } : {}),
  }));
}
