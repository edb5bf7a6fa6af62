import { describe, expect, it } from 'vitest';
import { parseJoinToken } from '../../protocol/join-token.js';
import type { AgentEnroll, State } from '../../protocol/types.js';
import { emptyState } from '../empty-state.js';
import { createCluster } from '../model/clusters.js';
import { addServer, removeServer } from '../model/servers.js';
import { confirmCredential, isEnrolled, revokeCredential, verifyCredential } from './credentials.js';
import { enrollAgent, undoEnrollment } from './enroll-agent.js';
import { createJoinToken, liveTokens, revokeJoinToken, useJoinToken } from './join-tokens.js';

const FP = 'ab'.repeat(32);
const T0 = new Date('2026-01-01T00:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const enroll = (token: string, over: Partial<AgentEnroll> = {}): AgentEnroll => ({
  v: 1, type: 'enroll', token, agentVersion: '1.0',
  inventory: { hostname: 'node-a', os: 'Debian 12', kernel: '6.1', arch: 'x64', cpuModel: 'cpu', cores: 2, memTotal: 1 }, ...over,
});

describe('join tokens', () => {
  it('carry the CA fingerprint and are stored only as a hash', () => {
    const { state, token, record } = createJoinToken(emptyState(), {}, 'admin', FP, T0);
    expect(parseJoinToken(token)).toMatchObject({ id: record.id, caFingerprint: FP });
    expect(JSON.stringify(state)).not.toContain(parseJoinToken(token)!.secret);
    expect(record).toMatchObject({ usesLeft: 1, expiresAt: later(60).toISOString() });
  });

  it('work as many times as allowed, before expiry, until revoked', () => {
    const made = createJoinToken(emptyState(), { uses: 2, expiresInMinutes: 5 }, 'admin', FP, T0);
    const once = useJoinToken(made.state, made.token, later(1));
    const twice = useJoinToken(once.state, made.token, later(2));
    expect(() => useJoinToken(twice.state, made.token, later(3))).toThrow(/invalid, expired or used-up/);
    expect(() => useJoinToken(made.state, made.token, later(6))).toThrow(expect.objectContaining({ reason: expect.stringMatching(/expired/) }));
    expect(() => useJoinToken(revokeJoinToken(made.state, made.record.id), made.token, later(1))).toThrow(expect.objectContaining({ reason: expect.stringMatching(/unknown or revoked/) }));
    expect(liveTokens(made.state, later(6))).toEqual([]);
  });

  it('refuse a forged secret and garbage', () => {
    const made = createJoinToken(emptyState(), {}, 'admin', FP, T0);
    const forged = made.token.replace(/\.([A-Za-z0-9_-]{43})\./, `.${'A'.repeat(43)}.`);
    expect(() => useJoinToken(made.state, forged, later(1))).toThrow(expect.objectContaining({ reason: expect.stringMatching(/wrong secret/) }));
    expect(() => useJoinToken(made.state, 'not a token', later(1))).toThrow(expect.objectContaining({ reason: 'malformed token' }));
  });

  it('may only name an existing cluster', () => {
    expect(() => createJoinToken(emptyState(), { cluster: 'ghost' }, 'admin', FP, T0)).toThrow(/no cluster named 'ghost'/);
  });
});

describe('enrollAgent', () => {
  function withToken(input = {}): { state: State; token: string } {
    const base = createCluster(emptyState(), { name: 'prod' }).state;
    return createJoinToken(base, input, 'admin', FP, T0);
  }

  it('creates the server with what the token fixes and issues a credential that verifies', () => {
    const { state, token } = withToken({ type: 'database', labels: { role: 'primary' }, cluster: 'prod' });
    const r = enrollAgent(state, enroll(token, { serverId: 'db1', serverType: 'web' }), 'node-a', '10.0.0.9', later(1));
    expect(r.serverId).toBe('db1');
    expect(r.state.servers[0]).toMatchObject({ id: 'db1', type: 'database', labels: { role: 'primary' }, address: '10.0.0.9', agent: { version: '1.0' } });
    expect(r.state.clusters[0]?.servers).toEqual(['db1']);
    expect(verifyCredential(r.state, 'db1', r.credential)).toBe(true);
    expect(verifyCredential(r.state, 'db1', r.credential + 'x')).toBe(false);
    expect(verifyCredential(r.state, 'other', r.credential)).toBe(false);
    expect(JSON.stringify(r.state)).not.toContain(r.credential);
  });

  it('uses the host name when no id is asked for, and refuses an id already enrolled', () => {
    const { state, token } = withToken({ uses: 2 });
    const first = enrollAgent(state, enroll(token), 'node-a', '10.0.0.9', later(1));
    expect(first.serverId).toBe('node-a');
    const other = createJoinToken(first.state, { uses: 2 }, 'admin', FP, T0);
    expect(() => enrollAgent(other.state, enroll(other.token), 'node-a', '10.0.0.9', later(1))).toThrow(/already enrolled as 'node-a'/);
    const confirmed = confirmCredential(first.state, 'node-a', later(1));
    expect(() => enrollAgent(confirmed, enroll(token), 'node-a', '10.0.0.9', later(1))).toThrow(/already enrolled as 'node-a'/);
  });

  it('lets its token enroll it again until the credential said hello (a lost reply), at no extra use', () => {
    const { state, token } = withToken(); // one use
    const first = enrollAgent(state, enroll(token, { serverId: 'db1' }), 'node-a', '10.0.0.9', later(1));
    const again = enrollAgent(first.state, enroll(token, { serverId: 'db1' }), 'node-a', '10.0.0.9', later(2));
    expect(again.tookUse).toBe(false);
    expect(verifyCredential(again.state, 'db1', again.credential)).toBe(true);
    expect(verifyCredential(again.state, 'db1', first.credential)).toBe(false);
    expect(again.state.servers).toHaveLength(1);
    // Taking back such a retry keeps its credential: the next retry replaces it again.
    const { state: _s, ...done } = again;
    expect(undoEnrollment(again.state, done)).toBe(again.state);
    const confirmed = confirmCredential(again.state, 'db1', later(3));
    expect(confirmCredential(confirmed, 'db1', later(4))).toBe(confirmed);
    expect(() => enrollAgent(confirmed, enroll(token, { serverId: 'db1' }), 'node-a', '10.0.0.9', later(5))).toThrow(/already enrolled/);
    // A forged token learns nothing about the id.
    const forged = token.replace(/\.([A-Za-z0-9_-]{43})\./, `.${'A'.repeat(43)}.`);
    expect(() => enrollAgent(first.state, enroll(forged, { serverId: 'db1' }), 'node-a', '10.0.0.9', later(2))).toThrow(/invalid, expired or used-up/);
  });

  it('a revoked or deleted server loses its credential', () => {
    const { state, token } = withToken();
    const r = enrollAgent(state, enroll(token), 'node-a', '10.0.0.9', later(1));
    expect(isEnrolled(revokeCredential(r.state, 'node-a'), 'node-a')).toBe(false);
    expect(isEnrolled(removeServer(r.state, 'node-a'), 'node-a')).toBe(false);
    expect(revokeCredential(state, 'nobody')).toBe(state);
  });

  it('can be taken back when the reply was lost, so the same one-use token works again', () => {
    const { state, token } = withToken({ cluster: 'prod' });
    const { state: enrolled, ...done } = enrollAgent(state, enroll(token, { serverId: 'db1' }), 'node-a', '10.0.0.9', later(1));
    expect(() => enrollAgent(enrolled, enroll(token, { serverId: 'db2' }), 'node-a', '10.0.0.9', later(1))).toThrow(/used-up/);
    const undone = undoEnrollment(enrolled, done);
    expect(isEnrolled(undone, 'db1')).toBe(false);
    expect(undone.servers).toEqual([]);
    expect(undone.clusters[0]?.servers).toEqual([]);
    const retried = enrollAgent(undone, enroll(token, { serverId: 'db1' }), 'node-a', '10.0.0.9', later(2));
    expect(verifyCredential(retried.state, 'db1', retried.credential)).toBe(true);
    // A second undo of the same enrollment, or of one replaced since, changes nothing.
    expect(undoEnrollment(retried.state, done)).toBe(retried.state);
  });

  it('taking back keeps what others did meanwhile: a revoked token stays revoked, a connected server stays', () => {
    const base = createCluster(emptyState(), { name: 'prod' }).state;
    const other = createJoinToken(base, {}, 'admin', FP, T0);
    const r0 = enrollAgent(other.state, enroll(other.token, { serverId: 'web1' }), 'x', '10.0.0.8', later(1));
    const made = createJoinToken(r0.state, { uses: 2 }, 'admin', FP, T0);
    const { state: enrolled, ...done } = enrollAgent(made.state, enroll(made.token, { serverId: 'db1' }), 'node-a', '10.0.0.9', later(1));
    const connected: State = { ...enrolled, connections: [{ id: 'c1', from: 'web1', to: 'db1', type: 'database' }] };
    const undone = undoEnrollment(revokeJoinToken(connected, made.record.id), done);
    expect(undone.servers.map((s) => s.id)).toEqual(['web1', 'db1']);
    expect(isEnrolled(undone, 'db1')).toBe(false);
    expect(isEnrolled(undone, 'web1')).toBe(true);
    expect(() => enrollAgent(undone, enroll(made.token, { serverId: 'db1' }), 'node-a', '10.0.0.9', later(2))).toThrow(/invalid, expired or used-up/);
  });
});

describe('enrollment never adopts an existing server', () => {
  /** State with cluster 'prod', an agentless server 'db9' outside it, and a token for 'prod'. */
  function agentless(): { state: State; token: string } {
    const base = createCluster(emptyState(), { name: 'prod' }).state;
    const withServer = addServer(base, { id: 'db9', name: 'db9', type: 'database', address: '10.0.0.99' }).state;
    return createJoinToken(withServer, { cluster: 'prod', uses: 5 }, 'scoped', FP, T0);
  }

  it('refuses a new-server token naming an existing server, and changes nothing', () => {
    const { state, token } = agentless();
    expect(() => enrollAgent(state, enroll(token, { serverId: 'db9' }), 'node-a', '10.6.6.6', later(1))).toThrow(/a server 'db9' already exists/);
    // The host-name default is no way around it either.
    expect(() => enrollAgent(state, enroll(token, { inventory: { ...enroll(token).inventory, hostname: 'db9' } }), 'db9', '10.6.6.6', later(1))).toThrow(/already exists/);
  });

  it('a token minted for one server re-enrolls exactly that server, replacing its credential', () => {
    const { state: base } = agentless();
    const first = createJoinToken(base, {}, 'admin', FP, T0);
    const enrolled = enrollAgent(first.state, enroll(first.token, { serverId: 'web1' }), 'x', '10.0.0.5', later(1));
    const confirmed = confirmCredential(enrolled.state, 'web1', later(1));
    const again = createJoinToken(confirmed, { serverId: 'web1' }, 'admin', FP, T0);
    expect(again.record.serverId).toBe('web1');
    expect(again.record.usesLeft).toBe(1);
    // Another id, even an agentless one, is refused.
    expect(() => enrollAgent(again.state, enroll(again.token, { serverId: 'db9' }), 'x', '10.0.0.5', later(2))).toThrow(/re-enrolls 'web1'/);
    const r = enrollAgent(again.state, enroll(again.token, { serverId: 'web1' }), 'x', '10.0.0.5', later(2));
    expect(r).toMatchObject({ serverId: 'web1', createdServer: false, tookUse: true });
    expect(verifyCredential(r.state, 'web1', r.credential)).toBe(true);
    expect(verifyCredential(r.state, 'web1', enrolled.credential)).toBe(false);
    expect(r.state.servers.filter((s) => s.id === 'web1')).toHaveLength(1);
  });

  it('a token for a server is refused once the server is gone', () => {
    const { state: base } = agentless();
    const made = createJoinToken(base, { serverId: 'db9' }, 'admin', FP, T0);
    expect(() => enrollAgent(removeServer(made.state, 'db9'), enroll(made.token, { serverId: 'db9' }), 'x', '10.0.0.5', later(1))).toThrow(/no longer exists/);
  });

  it('a token for a server names an existing one and fixes nothing else', () => {
    const { state } = agentless();
    expect(() => createJoinToken(state, { serverId: 'ghost' }, 'admin', FP, T0)).toThrow(/no server with id 'ghost'/);
    expect(() => createJoinToken(state, { serverId: 'db9', uses: 2 }, 'admin', FP, T0)).toThrow(/one use/);
    expect(() => createJoinToken(state, { serverId: 'db9', cluster: 'prod' }, 'admin', FP, T0)).toThrow(/type, labels or cluster/);
  });
});

