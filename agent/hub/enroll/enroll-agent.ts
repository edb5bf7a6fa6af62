/**
 * Enrollment as one pure state change: use the join token, create (or adopt) the server with
 * what the token fixes (type, labels, cluster), and issue the agent's credential.
 */
import type { AgentEnroll, Server, State } from '../../protocol/types.js';
import { conflict } from '../errors.js';
import { issueCredential, isEnrolled } from './credentials.js';
import { useJoinToken } from './join-tokens.js';

export function enrollAgent(
  state: State, enroll: AgentEnroll, defaultId: string, address: string, now = new Date(),
): { state: State; serverId: string; credential: string } {
  const used = useJoinToken(state, enroll.token, now);
  const token = used.record;
  const serverId = enroll.serverId ?? defaultId;
  if (isEnrolled(state, serverId)) {
    throw conflict(`an agent is already enrolled as '${serverId}': revoke it first, or enroll with another --id`);
  }
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
  return { state: issued.state, serverId, credential: issued.credential };
}
