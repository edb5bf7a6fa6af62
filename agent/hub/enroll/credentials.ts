/** Per-agent credentials: random, handed out once at enrollment, stored only as a hash. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { State } from '../../protocol/types.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/** How a credential is stored. */
export const credentialHash = (credential: string) => sha256(credential).toString('hex');

export function issueCredential(state: State, serverId: string, tokenId: string, now = new Date()): { state: State; credential: string } {
  const credential = randomBytes(32).toString('base64url');
  const others = (state.agentCredentials ?? []).filter((c) => c.serverId !== serverId);
  const record = { serverId, hash: credentialHash(credential), enrolledAt: now.toISOString(), tokenId };
  return { state: { ...state, agentCredentials: [...others, record] }, credential };
}

export function isEnrolled(state: State, serverId: string): boolean {
  return (state.agentCredentials ?? []).some((c) => c.serverId === serverId);
}

export function verifyCredential(state: State, serverId: string, credential: string): boolean {
  const record = (state.agentCredentials ?? []).find((c) => c.serverId === serverId);
  if (!record) return false;
  return timingSafeEqual(sha256(credential), Buffer.from(record.hash, 'hex'));
}

/** Records the credential's first hello, after which its join token can no longer enroll it again. */
export function confirmCredential(state: State, serverId: string, now = new Date()): State {
  const credentials = state.agentCredentials ?? [];
  const record = credentials.find((c) => c.serverId === serverId);
  if (!record || record.confirmedAt) return state;
  return { ...state, agentCredentials: credentials.map((c) => (c === record ? { ...c, confirmedAt: now.toISOString() } : c)) };
}

/**
 * Revokes the credentials of servers that are not in the model (an import or restore left them
 * out): their agents are disconnected and refused. The same state when there are none.
 */
export function withoutOrphanCredentials(state: State): State {
  const credentials = state.agentCredentials ?? [];
  const ids = new Set(state.servers.map((s) => s.id));
  if (credentials.every((c) => ids.has(c.serverId))) return state;
  return { ...state, agentCredentials: credentials.filter((c) => ids.has(c.serverId)) };
}

/** Revokes an agent: its credential stops working; its server record stays. */
export function revokeCredential(state: State, serverId: string): State {
  if (!isEnrolled(state, serverId)) return state;
  return { ...state, agentCredentials: (state.agentCredentials ?? []).filter((c) => c.serverId !== serverId) };
}
