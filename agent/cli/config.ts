/**
 * Where the hub is and how to authenticate, from options and environment, pure. Options win
 * over the environment; a password is never taken from the command line (it would show in ps).
 */
import { optionValue, type Invocation } from './args.js';
import { UsageError } from './errors.js';

export const DEFAULT_HUB = 'http://127.0.0.1:8080';

export type Auth =
  | { readonly kind: 'none' }
  | { readonly kind: 'token'; readonly token: string }
  /** `password` is undefined when it must be asked for on the terminal. */
  | { readonly kind: 'basic'; readonly user: string; readonly password: string | undefined };

export interface Config {
  /** Base URL without a trailing slash: `http://127.0.0.1:8080`. */
  readonly hubUrl: string;
  readonly auth: Auth;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Accepts `host:port` as well as a full URL; only http and https make sense for the hub. */
export function normalizeHubUrl(raw: string): string {
  const text = raw.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`'${raw}' is not a hub address: expected a URL such as ${DEFAULT_HUB}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`'${raw}' is not a hub address: only http:// and https:// are supported`);
  }
  if (url.search || url.hash) throw new UsageError(`'${raw}' is not a hub address: it must not have a query or fragment`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** Reads a non-empty environment variable. */
function envValue(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** Picks the credentials: --token, then --user, then CLUSTERCTL_TOKEN, then CLUSTERCTL_USER. */
export function resolveAuth(inv: Invocation, env: Env): Auth {
  const token = optionValue(inv, 'token');
  const user = optionValue(inv, 'user');
  if (token !== undefined && user !== undefined) throw new UsageError('give either --token or --user, not both', inv.command.path);
  if (token !== undefined) return tokenAuth(token, '--token');
  if (user !== undefined) return basicAuth(user, env);
  const envToken = envValue(env, 'CLUSTERCTL_TOKEN');
  if (envToken !== undefined) return tokenAuth(envToken, 'CLUSTERCTL_TOKEN');
  const envUser = envValue(env, 'CLUSTERCTL_USER');
  if (envUser !== undefined) return basicAuth(envUser, env);
  return { kind: 'none' };
}

function tokenAuth(token: string, source: string): Auth {
  if (!/^[\x21-\x7e]+$/.test(token)) throw new UsageError(`the API token from ${source} is empty or has spaces or control characters`);
  return { kind: 'token', token };
}

function basicAuth(user: string, env: Env): Auth {
  // Basic auth splits on the first ':', so a ':' in the user name cannot be sent.
  if (user === '' || user.includes(':')) throw new UsageError(`'${user}' is not a user name`);
  return { kind: 'basic', user, password: env['CLUSTERCTL_PASSWORD'] };
}

export function resolveConfig(inv: Invocation, env: Env): Config {
  const hub = optionValue(inv, 'hub') ?? envValue(env, 'CLUSTERCTL_HUB') ?? DEFAULT_HUB;
  return { hubUrl: normalizeHubUrl(hub), auth: resolveAuth(inv, env) };
}

/** The Authorization header value, or undefined when there are no credentials. */
export function authorizationHeader(auth: Auth, password?: string): string | undefined {
  switch (auth.kind) {
    case 'none': return undefined;
    case 'token': return `Bearer ${auth.token}`;
    case 'basic': return `Basic ${Buffer.from(`${auth.user}:${password ?? auth.password ?? ''}`, 'utf8').toString('base64')}`;
  }
}

/** How the credentials read in an error message: `user 'admin'`, `the API token`. */
export function describeAuth(auth: Auth): string {
  switch (auth.kind) {
    case 'none': return 'no credentials';
    case 'token': return 'the API token';
    case 'basic': return `user '${auth.user}'`;
  }
}
