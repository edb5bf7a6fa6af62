/**
 * Enrollment as one pure state change: use the join token, create the server with what the token
 * fixes (type, labels, cluster), and issue the agent's credential. A token never adopts a server
 * that exists already: only a token minted for that one server (by a user who may edit it) can
 * re-enroll it, which replaces its credential.
 */
import type { AgentEnroll, JoinToken, Server, State } from '../../protocol/types.js';
import { badRequest, conflict } from '../errors.js';
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
  // The token first: a forged or stale one learns nothing about which ids exist.
  const token = checkJoinToken(state, enroll.token, now);
  const serverId = enroll.serverId ?? defaultId;
  if (token.serverId !== undefined && serverId !== token.serverId) {
    throw badRequest(`this join token re-enrolls '${token.serverId}' only: run the agent with --id ${token.serverId}`, 'wrong_server');
  }
  const held = (state.agentCredentials ?? []).find((c) => c.serverId === serverId);
  if (held && held.tokenId === token.id && !held.confirmedAt) {
    // The reply to an enrollment can be lost after the hub sent it; the agent then enrolls again
    // with the same token. Until the credential has been used in a hello, that token may.
    const issued = issueCredential(state, serverId, token.id, now);
    return { state: issued.state, serverId, credential: issued.credential, tokenId: token.id, createdServer: false, tookUse: false };
  }
  const existing = state.servers.find((s) => s.id === serverId);
  if (token.serverId === undefined) {
    if (held) throw conflict(`an agent is already enrolled as '${serverId}': revoke it first, or enroll with another --id`);
    if (existing) {
      throw conflict(`a server '${serverId}' already exists: re-enroll it with a join token made for it `
        + `(clusterctl tokens create --server ${serverId}), or enroll this node with another --id`);
    }
  } else if (!existing) {
    throw conflict(`server '${serverId}', which this join token re-enrolls, no longer exists`);
  }
  const used = useJoinToken(state, enroll.token, now);
  const agent = { version: enroll.agentVersion, inventory: enroll.inventory };
  let next: State;
  if (existing) {
    next = { ...used.state, servers: used.state.servers.map((s) => (s === existing ? { ...existing, agent } : s)) };
  } else {
    const server: Server = {
      id: serverId, name: serverId, type: token.type ?? enroll.serverType ?? 'web', address, region: '',
      labels: token.labels ?? {}, ports: [], agent,
    };
    next = { ...used.state, servers: [...used.state.servers, server] };
    if (token.cluster) {
      next = { ...next, clusters: next.clusters.map((c) => (c.name === token.cluster ? { ...c, servers: [...c.servers, serverId] } : c)) };
    }
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
