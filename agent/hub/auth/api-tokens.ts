/**
 * API tokens for `Authorization: Bearer`: random, shown once, stored only as a sha256 hash. A hub
 * user's token acts with that user's current ACL. A token minted through the Webmin gateway
 * belongs to the Webmin user (realm "webmin", never the hub user of the same name) and carries
 * the ACL that user had when minting it, narrowed whenever the user comes through the gateway
 * with less (the hub learns nothing else about Webmin users).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Acl, ApiToken, State } from '../../protocol/types.js';
import { notFound } from '../errors.js';
import { intersectAcl } from './acl.js';
import type { Principal } from './authenticate.js';

const PREFIX = 'uct_';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Whose token it is: a user name within its realm. */
export type TokenOwner = Pick<Principal, 'name' | 'realm' | 'acl'>;

export const ownedBy = (t: ApiToken, owner: Pick<TokenOwner, 'name' | 'realm'>): boolean =>
  t.user === owner.name && (t.realm ?? 'hub') === owner.realm;

export function createApiToken(state: State, owner: TokenOwner, name: string, now = new Date()): { state: State; token: string; record: ApiToken } {
  const token = PREFIX + randomBytes(32).toString('base64url');
  const record: ApiToken = {
    id: randomBytes(6).toString('hex'), name, user: owner.name, hash: hashToken(token), createdAt: now.toISOString(),
    ...(owner.realm === 'webmin' ? { realm: 'webmin' as const, acl: owner.acl } : {}),
  };
  return { state: { ...state, apiTokens: [...state.apiTokens, record] }, token, record };
}

/** Revokes token `id` of `owner` (null: anyone's, for admins). */
export function revokeApiToken(state: State, id: string, owner: Pick<TokenOwner, 'name' | 'realm'> | null): State {
  const t = state.apiTokens.find((x) => x.id === id && (owner === null || ownedBy(x, owner)));
  if (!t) throw notFound(`no API token '${id}'`);
  return { ...state, apiTokens: state.apiTokens.filter((x) => x !== t) };
}

export function findApiToken(state: State, token: string): ApiToken | undefined {
  if (!token.startsWith(PREFIX)) return undefined;
  const hash = hashToken(token);
  return state.apiTokens.find((t) => t.hash === hash);
}

/** Narrows the tokens of Webmin user `name` to `acl`, its ACL now; the same state when none had more. */
export function narrowWebminTokens(state: State, name: string, acl: Acl): State {
  let changed = false;
  const apiTokens = state.apiTokens.map((t) => {
    if (t.realm !== 'webmin' || t.user !== name || !t.acl) return t;
    const narrowed = intersectAcl(t.acl, acl);
    if (JSON.stringify(narrowed) === JSON.stringify(t.acl)) return t;
    changed = true;
    return { ...t, acl: narrowed };
  });
  return changed ? { ...state, apiTokens } : state;
}
