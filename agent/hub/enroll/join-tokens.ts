/** Pure operations on join tokens: create, list without secrets, revoke, and use one up. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { formatJoinToken, parseJoinToken } from '../../protocol/join-token.js';
import type { JoinToken, JoinTokenCreate, State } from '../../protocol/types.js';
import { badRequest, notFound } from '../errors.js';
import { findCluster } from '../model/clusters.js';
import { findServer } from '../model/servers.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function createJoinToken(
  state: State, input: JoinTokenCreate, createdBy: string, caFingerprint: string, now = new Date(),
): { state: State; token: string; record: JoinToken } {
  if (input.cluster) findCluster(state, input.cluster);
  if (input.serverId !== undefined) {
    findServer(state, input.serverId);
    if ((input.uses ?? 1) !== 1) throw badRequest('a join token for one server has one use');
    if (input.type || input.labels || input.cluster) throw badRequest('a join token for an existing server fixes no type, labels or cluster (the server keeps its own)');
  }
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const record: JoinToken = {
    id, hash: sha256(secret), createdBy, createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + (input.expiresInMinutes ?? 60) * 60_000).toISOString(),
    usesLeft: input.uses ?? 1,
    ...(input.type ? { type: input.type } : {}),
    ...(input.labels ? { labels: input.labels } : {}),
    ...(input.cluster ? { cluster: input.cluster } : {}),
    ...(input.serverId !== undefined ? { serverId: input.serverId } : {}),
  };
  const live = liveTokens(state, now);
  return { state: { ...state, joinTokens: [...live, record] }, token: formatJoinToken({ id, secret, caFingerprint }), record };
}

/**
 * Tokens that can still be used. Used-up ones are kept until they expire (so an enrollment whose
 * reply was lost can give its use back, see undoEnrollment) and dropped by the next token change.
 */
export function liveTokens(state: State, now = new Date()): JoinToken[] {
  return (state.joinTokens ?? []).filter((t) => t.usesLeft > 0 && Date.parse(t.expiresAt) > now.getTime());
}

export function publicJoinToken({ hash: _hash, ...rest }: JoinToken) {
  return rest;
}

export function revokeJoinToken(state: State, id: string): State {
  if (!(state.joinTokens ?? []).some((t) => t.id === id && t.usesLeft > 0)) throw notFound(`no join token '${id}'`);
  return { ...state, joinTokens: (state.joinTokens ?? []).filter((t) => t.id !== id) };
}

/**
 * Checks a presented token: genuine, known and not expired (used up or not). Every failure is the
 * same sentence to the caller (no hint whether the id exists); `reason` is for the hub's log.
 */
export function checkJoinToken(state: State, token: string, now = new Date()): JoinToken {
  const parts = parseJoinToken(token);
  if (!parts) throw refuse('malformed token');
  const record = (state.joinTokens ?? []).find((t) => t.id === parts.id);
  if (!record) throw refuse(`unknown or revoked token ${parts.id}`);
  const given = Buffer.from(sha256(parts.secret), 'hex');
  const stored = Buffer.from(record.hash, 'hex');
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) throw refuse(`wrong secret for token ${parts.id}`);
  if (Date.parse(record.expiresAt) <= now.getTime()) throw refuse(`token ${parts.id} expired`);
  return record;
}

/** Checks a presented token and uses it once. */
export function useJoinToken(state: State, token: string, now = new Date()): { state: State; record: JoinToken } {
  const record = checkJoinToken(state, token, now);
  if (record.usesLeft <= 0) throw refuse(`token ${record.id} is used up`);
  const used = { ...record, usesLeft: record.usesLeft - 1 };
  return { state: { ...state, joinTokens: (state.joinTokens ?? []).map((t) => (t === record ? used : t)) }, record };
}

function refuse(reason: string) {
  return Object.assign(badRequest('invalid, expired or used-up join token', 'unauthorized'), { reason });
}
