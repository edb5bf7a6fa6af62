/**
 * Who is calling: a session cookie, `Authorization: Basic` (checked against the scrypt hash
 * through the password gate, like a login, with a short cache so scripts don't pay scrypt on
 * every call) or `Authorization: Bearer` (API token).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Acl, State } from '../../protocol/types.js';
import { HttpError } from '../errors.js';
import { findApiToken } from './api-tokens.js';
import type { PasswordGate } from './password-gate.js';
import { verifyPassword } from './passwords.js';
import { SESSION_COOKIE, cookieValue, type Sessions } from './sessions.js';

/**
 * Whose user the caller is: the hub's own users (standalone login, Basic, their API tokens) or
 * Webmin's (through the gateway socket, or an API token one of them minted there). The same
 * name in the two realms is two different people.
 */
export type Realm = 'hub' | 'webmin';

export interface Principal {
  name: string;
  acl: Acl;
  realm: Realm;
  /** How the caller proved who it is; cookie sessions need CSRF checks. */
  via: 'session' | 'basic' | 'token' | 'webmin';
  sessionId?: string;
}

/** The caller as the audit log and join tokens name it: Webmin users as `webmin:NAME`. */
export const actorName = (who: Pick<Principal, 'name' | 'realm'>): string =>
  who.realm === 'webmin' ? `webmin:${who.name}`.slice(0, 63) : who.name;

const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);
const BASIC_CACHE_MS = 60_000;

export class Authenticator {
  private basicCache = new Map<string, { user: string; hash: string; until: number }>();
  /** Checks under way, by client and credentials: a script's parallel calls share one. */
  private checking = new Map<string, Promise<boolean>>();

  constructor(private readonly sessions: Sessions, private readonly state: () => State, private readonly passwords: PasswordGate) {}

  async authenticate(req: IncomingMessage): Promise<Principal> {
    const header = req.headers.authorization;
    if (header?.startsWith('Basic ')) return this.basic(header.slice(6), req.socket.remoteAddress ?? '');
    if (header?.startsWith('Bearer ')) return this.bearer(header.slice(7).trim());
    const sessionId = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (sessionId) {
      const name = this.sessions.user(sessionId);
      const user = name ? this.user(name) : undefined;
      if (user) return { name: user.name, acl: user.acl, realm: 'hub', via: 'session', sessionId };
    }
    throw unauthorized('log in first (session cookie, Basic credentials or a Bearer API token)');
  }

  private user(name: string) {
    return this.state().users.find((u) => u.name === name);
  }

  private async basic(encoded: string, source: string): Promise<Principal> {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) throw unauthorized('malformed Basic credentials');
    const name = decoded.slice(0, colon);
    const user = this.user(name);
    const key = createHash('sha256').update(decoded).digest('hex');
    const cached = this.basicCache.get(key);
    // A cached check is valid only while the user's hash is unchanged (password change revokes it).
    if (user && cached && cached.until > Date.now() && cached.hash === user.passwordHash) return { name, acl: user.acl, realm: 'hub', via: 'basic' };
    const checkKey = `${source}|${key}`;
    let check = this.checking.get(checkKey);
    if (!check) {
      check = this.passwords.check(source, name, async () => !!user && verifyPassword(decoded.slice(colon + 1), user.passwordHash));
      this.checking.set(checkKey, check);
      void check.catch(() => {}).finally(() => this.checking.delete(checkKey));
    }
    if (!(await check) || !user) throw unauthorized('wrong user name or password');
    if (this.basicCache.size > 10_000) this.basicCache.clear();
    this.basicCache.set(key, { user: name, hash: user.passwordHash, until: Date.now() + BASIC_CACHE_MS });
    return { name, acl: user.acl, realm: 'hub', via: 'basic' };
  }

  private bearer(token: string): Principal {
    const record = findApiToken(this.state(), token);
    if (record?.realm === 'webmin' && record.acl) return { name: record.user, acl: record.acl, realm: 'webmin', via: 'token' };
    const user = record && !record.realm ? this.user(record.user) : undefined;
    if (!user) throw unauthorized('unknown or revoked API token');
    return { name: user.name, acl: user.acl, realm: 'hub', via: 'token' };
  }
}
