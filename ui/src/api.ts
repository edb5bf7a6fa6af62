/**
 * JSON calls to the hub's REST API, relative to the page's directory so the same build works
 * at / (standalone) and under /unlimited-cluster/ (Webmin). The session cookie rides along.
 */
import type {
  Acl, ApiError, ClusterCreate, ConnectionCreate, ExportDoc, HistoryBody, HistoryWindow, JoinToken, JoinTokenCreate, Layout, LayoutPatch, ServerCreate,
} from '../../agent/protocol/types.js';

export interface Me { name: string; acl: Acl }

/**
 * Where the hub is reached. `base` prefixes every `api/…` call; inside Webmin the ticket comes
 * from the module's own endpoint and the socket from miniserv's route, given as `ticketUrl` and
 * `socketPath`, and Webmin owns the session (`embedded`: no login or logout here).
 */
export interface Endpoints { base: string; ticketUrl?: string; socketPath?: string; embedded?: boolean }

/** A failed call. `status` 0 means no answer at all (hub down, network gone). */
export class ApiFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly retryAfter?: number) {
    super(message);
  }
}

/** The directory of the current page: "/" standalone, "/unlimited-cluster/" in Webmin. */
export const pageBase = () => location.pathname.replace(/[^/]*$/, '');

export async function call<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(base + path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    throw new ApiFailure(0, 'unreachable', 'The hub is not answering. Check that it is running.');
  }
  const text = await res.text();
  let json: unknown = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* a proxy's HTML error page */ }
  if (res.ok) return json as T;
  const err = (json as Partial<ApiError> | null)?.error;
  // A proxy in front of a stopped hub (Webmin, nginx) answers 502/503/504 with no JSON body.
  if (!err && res.status >= 502 && res.status <= 504) {
    throw new ApiFailure(0, 'unreachable', 'The hub is not answering. Check that it is running.');
  }
  const retry = Number(res.headers.get('retry-after'));
  throw new ApiFailure(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `${res.status} ${res.statusText}`,
    Number.isFinite(retry) && retry > 0 ? retry : undefined);
}

export const getMe = (base: string) => call<Me>(base, 'GET', 'api/me');
export const login = (base: string, username: string, password: string) => call<Me>(base, 'POST', 'api/login', { username, password });
export const logout = (base: string) => call<null>(base, 'POST', 'api/logout');
export const getTicket = (e: Endpoints) =>
  call<{ ticket: string; expiresIn: number }>(e.ticketUrl ? '' : e.base, 'POST', e.ticketUrl ?? 'api/ticket');

/** A join token as the hub lists it: never its secret. */
export type ListedJoinToken = Omit<JoinToken, 'hash'>;
/**
 * The answer to a create: the secret and the install command, shown this once, the agent address
 * nodes dial, and a warning when other machines cannot reach it.
 */
export type CreatedJoinToken = ListedJoinToken & { token: string; installCommand: string; agentUrl: string; warning?: string };

export const listJoinTokens = (base: string) => call<ListedJoinToken[]>(base, 'GET', 'api/join-tokens');
export const createJoinToken = (base: string, body: JoinTokenCreate) => call<CreatedJoinToken>(base, 'POST', 'api/join-tokens', body);
export const revokeJoinToken = (base: string, id: string) => call<null>(base, 'DELETE', `api/join-tokens/${encodeURIComponent(id)}`);

/** Model edits; the hub checks every one against the user's ACL and answers with a reason. */
export const createServer = (base: string, body: ServerCreate) => call<unknown>(base, 'POST', 'api/servers', body);
export const deleteServer = (base: string, id: string) => call<null>(base, 'DELETE', `api/servers/${encodeURIComponent(id)}`);
export const createConnection = (base: string, body: ConnectionCreate) => call<unknown>(base, 'POST', 'api/connections', body);
export const createCluster = (base: string, body: ClusterCreate) => call<unknown>(base, 'POST', 'api/clusters', body);
export const addToCluster = (base: string, name: string, ids: string[]) => call<unknown>(base, 'PATCH', `api/clusters/${encodeURIComponent(name)}`, { addServers: ids });
export const getLayout = (base: string) => call<Layout>(base, 'GET', 'api/layout');
export const patchLayout = (base: string, positions: LayoutPatch['positions']) => call<Layout>(base, 'PATCH', 'api/layout', { positions });
export const getHistory = (base: string, id: string, window: HistoryWindow = '15m') => call<HistoryBody>(base, 'GET', `api/servers/${encodeURIComponent(id)}/history?window=${window}`);
export const exportModel = (base: string) => call<ExportDoc>(base, 'GET', 'api/export');
export const importModel = (base: string, doc: unknown) => call<{ servers: number; connections: number; clusters: number }>(base, 'POST', 'api/import', doc);
