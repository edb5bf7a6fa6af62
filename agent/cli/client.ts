/**
 * The HTTP client for the hub's REST API: JSON in and out, credentials attached, and every
 * failure turned into a CliError whose message says what happened and what to do.
 */
import { authorizationHeader, type Auth } from './config.js';
import { CliError, HubError } from './errors.js';
import { describeHttpError, describeNetworkError } from './hub-errors.js';

export interface ClientOptions {
  readonly hubUrl: string;
  readonly auth: Auth;
  /** Asked once, on the first request that needs it, when a Basic password is not known yet. */
  readonly askPassword?: () => Promise<string>;
  /** Per request; backups of big fleets take a while. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Query parameters, encoded here. */
  readonly query?: Readonly<Record<string, string>>;
  /** False for the one endpoint that needs no login (health). */
  readonly auth?: boolean;
}

export class HubClient {
  readonly hubUrl: string;
  readonly auth: Auth;
  private password: Promise<string | undefined> | undefined;

  constructor(private readonly options: ClientOptions) {
    this.hubUrl = options.hubUrl;
    this.auth = options.auth;
  }

  /** The Authorization header, asking for the password at most once. */
  private async authorization(): Promise<string | undefined> {
    const auth = this.auth;
    if (auth.kind !== 'basic' || auth.password !== undefined || !this.options.askPassword) return authorizationHeader(auth);
    this.password ??= this.options.askPassword();
    return authorizationHeader(auth, await this.password);
  }

  /** Sends one request; resolves with the parsed JSON body (null for an empty one), throws CliError otherwise. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<unknown> {
    const query = opts.query ? `?${new URLSearchParams(opts.query).toString()}` : '';
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.auth !== false) {
      const authorization = await this.authorization();
      if (authorization) headers['authorization'] = authorization;
    }
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const doFetch = this.options.fetch ?? fetch;
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${this.hubUrl}${path}${query}`, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000),
      });
      text = await res.text();
    } catch (e) {
      throw new CliError(describeNetworkError(this.hubUrl, e));
    }
    const body = parseBody(text);
    if (!res.ok) {
      const info = { hubUrl: this.hubUrl, method, path, auth: this.auth };
      const code = typeof body === 'object' && body !== null ? String((body as { error?: { code?: unknown } }).error?.code ?? '') : '';
      throw new HubError(describeHttpError(info, res.status, body), res.status, code);
    }
    if (body === NOT_JSON) {
      throw new CliError(`the hub at ${this.hubUrl} answered ${method} ${path} with something that is not JSON (HTTP ${res.status}): is --hub the address of an Unlimited Cluster hub?`);
    }
    return body;
  }

  get(path: string, opts: Omit<RequestOptions, 'body'> = {}): Promise<unknown> {
    return this.request('GET', path, opts);
  }
}

/** Marks a body that failed to parse, distinct from a JSON `null`. */
const NOT_JSON = Symbol('not JSON');

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/** `/api/servers/web%201` from `['servers', 'web 1']`: path segments are always encoded. */
export function apiPath(...segments: readonly string[]): string {
  return `/api/${segments.map(encodeURIComponent).join('/')}`;
}
