/**
 * Enrollment as one pure state change: use the join token, create (or adopt) the server with
 * what the token fixes (type, labels, cluster), and issue the agent's credential.
 */
import type { AgentEnroll, JoinToken, Server, State } from '../../protocol/types.js';
import { conflict } from '../errors.js';
import { removeServer } from '../model/servers.js';
import { credentialHash, issueCredential } from './credentials.js';
import { checkJoinToken, useJoinToken } from './join-tokens.js';

export interface Enrollment {
  state: State;
  serverId: string;
  credential: string;
  /** What undoEnrollment needs to take it back. */
  tokenId: JoinToken['id'];
  createdServer: boolean;
  /** False when it replaced a credential its token issued before (a retry), which costs no use. */
  tookUse: boolean;
}

export function enrollAgent(
  state: State, enroll: AgentEnroll, defaultId: string, address: string, now = new Date(),
): Enrollment {
  const serverId = enroll.serverId ?? defaultId;
  const held = (state.agentCredentials ?? []).find((c) => c.serverId === serverId);
  if (held) {
    // The reply to an enrollment can be lost after the hub sent it; the agent then enrolls again
    // with the same token. Until the credential has been used in a hello, that token may.
    const token = checkJoinToken(state, enroll.token, now);
    if (held.confirmedAt || held.tokenId !== token.id) {
      throw conflict(`an agent is already enrolled as '${serverId}': revoke it first, or enroll with another --id`);
    }
    const issued = issueCredential(state, serverId, token.id, now);
    return { state: issued.state, serverId, credential: issued.credential, tokenId: token.id, createdServer: false, tookUse: false };
  }
  const used = useJoinToken(state, enroll.token, now);
  const token = used.record;
  const agent = { version: enroll.agentVersion, inventory: enroll.inventory };
  const existing = used.state.servers.find((s) => s.id === serverId);
  const server: Server = existing
    ? { ...existing, agent, labels: { ...existing.labels, ...token.labels } }
    : {
        id: serverId, name: serverId, type: token.type ?? enroll.serverType ?? 'web', address, region: '',
        labels: token.labels ?? {}, ports: [], agent,
      };
  let next: State = {
    ...used.state,
    servers: existing ? used.state.servers.map((s) => (s === existing ? server : s)) : [...used.state.servers, server],
  };
  if (token.cluster) {
    next = { ...next, clusters: next.clusters.map((c) => (c.name === token.cluster && !c.servers.includes(serverId) ? { ...c, servers: [...c.servers, serverId] } : c)) };
  }
  const issued = issueCredential(next, serverId, token.id, now);
  return { state: issued.state, serverId, credential: issued.credential, tokenId: token.id, createdServer: !existing, tookUse: true };
}

/**
 * Takes back an enrollment whose reply never reached the agent (it hung up while the hub was
 * busy), so the agent can simply retry with the same token: the credential goes, the token gets
 * its use back (unless it was revoked meanwhile), and a server the enrollment created goes too
 * unless something refers to it by now.
 */
export function undoEnrollment(state: State, e: Omit<Enrollment, 'state'>): State {
  const credentials = state.agentCredentials ?? [];
  // A retry that replaced an unconfirmed credential stays: the next retry replaces it again.
  if (!e.tookUse || !credentials.some((c) => c.serverId === e.serverId && c.hash === credentialHash(e.credential))) return state;
  const next: State = {
    ...state,
    agentCredentials: credentials.filter((c) => c.serverId !== e.serverId),
    joinTokens: (state.joinTokens ?? []).map((t) => (t.id === e.tokenId ? { ...t, usesLeft: t.usesLeft + 1 } : t)),
  };
  const referenced = next.connections.some((c) => c.from === e.serverId || c.to === e.serverId);
  return e.createdServer && !referenced ? removeServer(next, e.serverId) : next;
}
