/** API tokens for `Authorization: Bearer`: random, shown once, stored only as a sha256 hash. */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiToken, State } from '../../protocol/types.js';
import { notFound } from '../errors.js';

const PREFIX = 'uct_';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export function createApiToken(state: State, user: string, name: string, now = new Date()): { state: State; token: string; record: ApiToken } {
  const token = PREFIX + randomBytes(32).toString('base64url');
  const record: ApiToken = { id: randomBytes(6).toString('hex'), name, user, hash: hashToken(token), createdAt: now.toISOString() };
  return { state: { ...state, apiTokens: [...state.apiTokens, record] }, token, record };
}

export function revokeApiToken(state: State, id: string, user: string | null): State {
  const t = state.apiTokens.find((x) => x.id === id && (user === null || x.user === user));
  if (!t) throw notFound(`no API token '${id}'`);
  return { ...state, apiTokens: state.apiTokens.filter((x) => x !== t) };
}

export function findApiToken(state: State, token: string): ApiToken | undefined {
  if (!token.startsWith(PREFIX)) return undefined;
  const hash = hashToken(token);
  return state.apiTokens.find((t) => t.hash === hash);
}
