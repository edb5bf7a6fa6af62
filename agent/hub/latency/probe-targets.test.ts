import { describe, expect, it } from 'vitest';
import { MAX_PROBE_TARGETS } from '../../protocol/agent-messages.js';
import type { Connection, ConnectionType, Server } from '../../protocol/types.js';
import { DEFAULT_PROBE_PORTS, probePort } from './probe-port.js';
import { ProbeTargetTracker } from './probe-targets.js';

const server = (id: string, address = `10.0.0.${id.length}`, ports: number[] = []): Server => ({ id, name: id, type: 'web', address, region: '', labels: {}, ports });
const conn = (from: string, to: string, type: ConnectionType = 'standard'): Connection => ({ id: `${from}:${to}`, from, to, type });

describe('probePort', () => {
  it('uses the type\'s default for a server without ports', () => {
    expect(DEFAULT_PROBE_PORTS).toEqual({ http: 80, database: 3306, cache: 6379, monitoring: 9100, standard: 22, filesystem: 24007 });
    for (const [type, port] of Object.entries(DEFAULT_PROBE_PORTS)) expect(probePort(type as ConnectionType, [])).toBe(port);
  });

  it('prefers the type\'s port among the server\'s ports, else its first port', () => {
    expect(probePort('database', [22, 3306])).toBe(3306);
    expect(probePort('database', [5432, 22])).toBe(5432);
    expect(probePort('http', [8080])).toBe(8080);
  });
});

describe('ProbeTargetTracker', () => {
  const servers = [server('a'), server('b', '10.0.0.2', [8080]), server('c', 'db.example.com'), server('d')];

  it('gives a newly connected agent its list, even an empty one, and nothing again while the model stands', () => {
    const t = new ProbeTargetTracker();
    const state = { servers, connections: [conn('a', 'b', 'http'), conn('a', 'c', 'database'), conn('b', 'c')] };
    const first = t.update(state, ['a', 'd']);
    expect([...first.keys()]).toEqual(['a', 'd']);
    expect(first.get('a')).toEqual({
      total: 2,
      targets: [{ connectionId: 'a:b', address: '10.0.0.2', port: 8080 }, { connectionId: 'a:c', address: 'db.example.com', port: 3306 }],
    });
    expect(first.get('d')).toEqual({ total: 0, targets: [] });
    expect(t.update(state, ['a', 'd']).size).toBe(0);
    // b connects later: only b gets a list.
    expect([...t.update(state, ['a', 'b', 'd']).keys()]).toEqual(['b']);
  });

  it('sends a new list only to the agents whose targets a model change touched', () => {
    const t = new ProbeTargetTracker();
    const s0 = { servers, connections: [conn('a', 'b'), conn('b', 'c')] };
    t.update(s0, ['a', 'b', 'c']);
    // A new connection from c: c alone.
    const s1 = { ...s0, connections: [...s0.connections, conn('c', 'd', 'cache')] };
    expect([...t.update(s1, ['a', 'b', 'c']).entries()]).toEqual([['c', { total: 1, targets: [{ connectionId: 'c:d', address: '10.0.0.1', port: 6379 }] }]]);
    // c's address changes: b, which probes c, alone.
    const s2 = { ...s1, servers: s1.servers.map((s) => (s.id === 'c' ? { ...s, address: '10.9.9.9' } : s)) };
    expect([...t.update(s2, ['a', 'b', 'c']).keys()]).toEqual(['b']);
    // b's ports change: a alone.
    const s3 = { ...s2, servers: s2.servers.map((s) => (s.id === 'b' ? { ...s, ports: [443] } : s)) };
    expect(t.update(s3, ['a', 'b', 'c']).get('a')?.targets).toEqual([{ connectionId: 'a:b', address: '10.0.0.2', port: 443 }]);
    // An agent's hello rewrites its server's record (agent facts): no list changes.
    const s4 = { ...s3, servers: s3.servers.map((s) => ({ ...s, labels: { seen: 'yes' } })) };
    expect(t.update(s4, ['a', 'b', 'c']).size).toBe(0);
    // The connection goes: c's list is empty now.
    const s5 = { ...s4, connections: s4.connections.filter((c) => c.id !== 'c:d') };
    expect([...t.update(s5, ['a', 'b', 'c']).entries()]).toEqual([['c', { total: 0, targets: [] }]]);
  });

  it('gives a reconnected agent its whole list again after forget()', () => {
    const t = new ProbeTargetTracker();
    const state = { servers, connections: [conn('a', 'b')] };
    t.update(state, ['a']);
    t.forget('a');
    expect(t.update(state, ['a']).get('a')?.targets).toHaveLength(1);
  });

  it('follows removed servers (and their connections)', () => {
    const t = new ProbeTargetTracker();
    const s0 = { servers, connections: [conn('a', 'b'), conn('a', 'd')] };
    t.update(s0, ['a']);
    const s1 = { servers: servers.filter((s) => s.id !== 'd'), connections: [conn('a', 'b')] };
    expect(t.update(s1, ['a']).get('a')?.targets.map((x) => x.connectionId)).toEqual(['a:b']);
  });

  it('cuts a list at MAX_PROBE_TARGETS and says how many there were', () => {
    const many = Array.from({ length: MAX_PROBE_TARGETS + 5 }, (_, i) => server(`n${i}`, '10.1.0.1'));
    const t = new ProbeTargetTracker();
    const list = t.update({ servers: [server('hub'), ...many], connections: many.map((s) => conn('hub', s.id)) }, ['hub']).get('hub');
    expect(list?.targets).toHaveLength(MAX_PROBE_TARGETS);
    expect(list?.total).toBe(MAX_PROBE_TARGETS + 5);
  });
});
