/**
 * Turns what went wrong talking to the hub into one sentence that says what to do next, pure.
 * The hub's own message ({"error":{"code","message"}}) is used whenever it sent one: it names
 * the server or cluster that was wrong better than the client could.
 */
import type { Auth } from './config.js';
import { describeAuth } from './config.js';

export const START_HINT = 'is it running? start it with npm start';

/** What a request was, for messages. */
export interface RequestInfo {
  readonly hubUrl: string;
  readonly method: string;
  readonly path: string;
  readonly auth: Auth;
}

/** The `{"error":{"code","message"}}` body, when the response has one. */
export function hubErrorBody(body: unknown): { code: string; message: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof message !== 'string' || message === '') return undefined;
  return { code: typeof code === 'string' ? code : '', message };
}

/** Why a request never got an answer: connection refused, unknown host, timeout… */
export function describeNetworkError(hubUrl: string, error: unknown): string {
  const where = `cannot reach the hub at ${hubUrl}`;
  if (error instanceof Error && error.name === 'TimeoutError') return `the hub at ${hubUrl} did not answer in time (is it overloaded or stuck?)`;
  const code = networkErrorCode(error);
  switch (code) {
    case 'ECONNREFUSED': return `${where}: connection refused (${START_HINT})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN': return `${where}: unknown host name (check --hub or CLUSTERCTL_HUB)`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT': return `${where}: connection timed out (is the address right and the port open?)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH': return `${where}: no route to the host (check --hub or the network)`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET': return `${where}: the connection was closed before an answer (is --hub the hub's HTTP port?)`;
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER': return `${where}: TLS failed (use http:// for a hub that does not serve https)`;
    default: {
      // fetch refuses the ports browsers block (6000, 6665-6669, 10080…), before connecting.
      if (error instanceof Error && causeOf(error)?.message === 'bad port') {
        return `${where}: its port is one that fetch and browsers refuse to use; run the hub on another port (HUB_PORT)`;
      }
      const detail = code ?? (error instanceof Error ? (causeOf(error)?.message ?? error.message) : String(error));
      return `${where}: ${detail} (${START_HINT})`;
    }
  }
}

function causeOf(error: Error): Error | undefined {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? cause : undefined;
}

/** The system error code behind a failed fetch (undici wraps it in `cause`, sometimes an AggregateError). */
export function networkErrorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e instanceof Error; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const inner = (e as { cause?: unknown }).cause ?? (e instanceof AggregateError ? e.errors[0] : undefined);
    e = inner;
  }
  return undefined;
}

/** The sentence for an error status; `body` is the parsed JSON body or undefined. */
export function describeHttpError(req: RequestInfo, status: number, body: unknown): string {
  const hub = hubErrorBody(body);
  const said = hub ? hub.message : undefined;
  switch (status) {
    case 401:
      if (req.auth.kind === 'none') {
        return 'the hub needs a login: pass --token TOKEN (or set CLUSTERCTL_TOKEN), or --user NAME with the password in CLUSTERCTL_PASSWORD';
      }
      return `the hub did not accept ${describeAuth(req.auth)}${said ? ` (${said})` : ''}: ${req.auth.kind === 'token'
        ? 'check --token or CLUSTERCTL_TOKEN'
        : 'check the user name and the password'}`;
    case 403:
      return `permission denied for ${describeAuth(req.auth)}: ${said ?? 'a missing ACL flag or a cluster out of scope'}`;
    case 404:
      return said ?? `the hub at ${req.hubUrl} has no ${req.method} ${req.path} (is --hub the address of an Unlimited Cluster hub of this version?)`;
    case 413:
      return `the hub refused the request as too large${said ? `: ${said}` : ''}`;
    case 429:
      return `the hub is refusing logins for now after too many failed attempts${said ? ` (${said})` : ''}: wait a minute and try again`;
    default:
      if (status >= 500) return `the hub failed (HTTP ${status})${said ? `: ${said}` : ''}; its log may say more`;
      return said ?? `the hub answered ${req.method} ${req.path} with HTTP ${status}`;
  }
}
