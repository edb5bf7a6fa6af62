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

/** Revokes an agent: its credential stops working; its server record stays. */
export function revokeCredential(state: State, serverId: string): State {
  if (!isEnrolled(state, serverId)) return state;
  return { ...state, agentCredentials: (state.agentCredentials ?? []).filter((c) => c.serverId !== serverId) };
}
