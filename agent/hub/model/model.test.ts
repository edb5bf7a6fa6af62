import { describe, expect, it } from 'vitest';
import { emptyState } from '../empty-state.js';
import { addConnection, removeConnection } from './connections.js';
import { createCluster, patchCluster, patchedMembers } from './clusters.js';
import { addServer, idFromName, patchServer, recordAgentFacts, removeServer } from './servers.js';
import { exportModel, importModel } from './transfer.js';
import type { State } from '../../protocol/types.js';

function fleet(): State {
  let s = emptyState();
  for (const [id, type] of [['web1', 'web'], ['db1', 'database'], ['cache1', 'cache']] as const) {
    s = addServer(s, { id, name: id, type, address: '10.0.0.1' }).state;
  }
  return s;
}

describe('servers', () => {
  it('accepts ip as the address and makes ids from names', () => {
    const s = emptyState();
    const { server } = addServer(s, { name: 'Web Server 1', type: 'web', ip: '192.168.1.10', region: 'us-east-1' });
    expect(server).toMatchObject({ id: 'web-server-1', address: '192.168.1.10', region: 'us-east-1', labels: {}, ports: [] });
    const taken = addServer(s, { name: 'x', type: 'web', ip: '1.1.1.1', id: 'web-server-1' }).state;
    expect(idFromName(taken, 'Web Server 1')).toBe('web-server-1-2');
  });

  it('rejects duplicates, a missing address and conflicting address/ip', () => {
    const s = fleet();
    expect(() => addServer(s, { id: 'web1', name: 'x', type: 'web', ip: '1.1.1.1' })).toThrow(/already exists/);
    expect(() => addServer(s, { id: 'n', name: 'x', type: 'web' })).toThrow(/required/);
    expect(() => addServer(s, { id: 'n', name: 'x', type: 'web', ip: '1.1.1.1', address: '2.2.2.2' })).toThrow(/not two/);
  });

  it('patches only the given fields and keeps other objects identical', () => {
    const s = fleet();
    const { state, server } = patchServer(s, 'web1', { region: 'eu', ip: '10.9.9.9' });
    expect(server).toMatchObject({ id: 'web1', name: 'web1', region: 'eu', address: '10.9.9.9' });
    expect(state.servers[1]).toBe(s.servers[1]);
  });

  it('removing a server removes its connections, memberships and layout', () => {
    let s = fleet();
    s = addConnection(s, { from: 'web1', to: 'db1', type: 'database' }).state;
    s = addConnection(s, { from: 'cache1', to: 'db1' }).state;
    s = createCluster(s, { name: 'prod', servers: ['web1', 'db1'] }).state;
    s = { ...s, layout: { web1: { x: 1, y: 2 } } };
    const after = removeServer(s, 'web1');
    expect(after.servers.map((x) => x.id)).toEqual(['db1', 'cache1']);
    expect(after.connections.map((c) => c.id)).toEqual(['cache1:db1']);
    expect(after.clusters[0]?.servers).toEqual(['db1']);
    expect(after.layout).toEqual({});
    expect(() => removeServer(after, 'web1')).toThrow(/no server/);
  });

  it('refreshes agent facts and writes nothing when nothing changed', () => {
    const agent = { version: '1.0', inventory: { hostname: 'web1', os: 'Debian 12', kernel: '6.1', arch: 'x64', cpuModel: 'cpu', cores: 2, memTotal: 1 } };
    const s1 = recordAgentFacts(fleet(), 'web1', agent);
    expect(s1.servers[0]?.agent).toEqual(agent);
    expect(recordAgentFacts(s1, 'web1', { ...agent })).toBe(s1);
    expect(() => recordAgentFacts(s1, 'ghost', agent)).toThrow(/no server/);
  });
});

describe('connections', () => {
  it('connects existing servers once, with a from:to id and a default type', () => {
    const s = fleet();
    const { state, connection } = addConnection(s, { from: 'web1', to: 'db1' });
    expect(connection).toEqual({ id: 'web1:db1', from: 'web1', to: 'db1', type: 'standard' });
    expect(() => addConnection(state, { from: 'web1', to: 'db1', type: 'http' })).toThrow(/already connected/);
    expect(() => addConnection(s, { from: 'web1', to: 'nope' })).toThrow(/no server with id 'nope'/);
    expect(() => addConnection(s, { from: 'web1', to: 'web1' })).toThrow(/itself/);
    expect(removeConnection(state, 'web1:db1').connections).toEqual([]);
    expect(() => removeConnection(s, 'web1:db1')).toThrow(/no connection/);
  });
});

describe('clusters', () => {
  it('creates clusters of existing servers and patches members', () => {
    const s = fleet();
    const { state } = createCluster(s, { name: 'production-cluster', servers: ['web1', 'db1', 'cache1'] });
    expect(() => createCluster(state, { name: 'production-cluster' })).toThrow(/already exists/);
    expect(() => createCluster(s, { name: 'x', servers: ['ghost'] })).toThrow(/'ghost'/);
    const { cluster } = patchCluster(state, 'production-cluster', { removeServers: ['db1'], description: 'live' });
    expect(cluster).toEqual({ name: 'production-cluster', servers: ['web1', 'cache1'], description: 'live' });
    expect(() => patchCluster(state, 'production-cluster', { addServers: ['ghost'] })).toThrow(/'ghost'/);
  });

  it('keeps the roles virtual servers use, and takes their web cluster along in a rename', () => {
    let s = createCluster(fleet(), { name: 'web', servers: ['web1'] }).state;
    s = createCluster(s, { name: 'db', servers: ['db1'], galera: {} }).state;
    s = createCluster(s, { name: 'fs', servers: [], gluster: { volumes: [{ name: 'files' }, { name: 'other' }] } }).state;
    s = { ...s, virtualServers: [{ id: '1', domain: 'a.example.com', aliases: [], state: 'active', createdBy: 'root', createdAt: '',
      database: { cluster: 'db', name: 'a', user: 'a', status: 'ready' },
      files: { cluster: 'fs', volume: 'files', mountPath: '/srv/www', directory: 'a.example.com', webCluster: 'web', status: 'ready' } }] };
    expect(() => patchCluster(s, 'db', { galera: null })).toThrow("cluster 'db' holds the databases of 1 virtual server (a.example.com…): it must keep its Galera role");
    expect(() => patchCluster(s, 'fs', { gluster: { volumes: [{ name: 'other' }] } })).toThrow('cluster \'fs\' holds the files of virtual server a.example.com on volume files: it must keep that volume in its Gluster role');
    expect(patchCluster(s, 'fs', { gluster: { volumes: [{ name: 'files' }] } }).cluster.gluster?.volumes).toEqual([{ name: 'files' }]);
    expect(patchCluster(s, 'web', { name: 'www' }).state.virtualServers?.[0]?.files).toMatchObject({ cluster: 'fs', webCluster: 'www' });
  });

  it('applies servers, then additions, then removals', () => {
    expect(patchedMembers(['a', 'b'], { addServers: ['c', 'a'], removeServers: ['b'] })).toEqual(['a', 'c']);
    expect(patchedMembers(['a', 'b'], { servers: ['x'], addServers: ['y'] })).toEqual(['x', 'y']);
  });
});

describe('import', () => {
  it('round-trips an export and refuses dangling references', () => {
    let s = fleet();
    s = addConnection(s, { from: 'web1', to: 'db1' }).state;
    s = createCluster(s, { name: 'prod', servers: ['web1'] }).state;
    const doc = exportModel(s);
    const imported = importModel({ ...emptyState(), users: s.users }, doc);
    expect(imported.servers).toEqual(s.servers);
    expect(imported.connections).toEqual(s.connections);
    expect(() => importModel(s, { ...doc, servers: doc.servers.slice(1) })).toThrow(/refers to a server/);
    expect(() => importModel(s, { ...doc, servers: [...doc.servers, doc.servers[0]!] })).toThrow(/appears twice/);
    expect(() => importModel(s, { ...doc, clusters: [{ name: 'c', servers: ['ghost'] }] })).toThrow(/'ghost'/);
    expect(() => importModel(s, { ...doc, layout: { ghost: { x: 0, y: 0 } } })).toThrow(/layout/);
    expect(() => importModel(s, { ...doc, connections: [{ ...doc.connections[0]!, id: 'x' }] })).toThrow(/should have id/);
  });

  it('revokes the agent credentials of the servers it leaves out, and keeps the others', () => {
    const s: State = { ...fleet(), agentCredentials: ['web1', 'db1'].map((serverId) => ({ serverId, hash: 'h', enrolledAt: 't' })) };
    const doc = exportModel(s);
    const kept = importModel(s, doc);
    expect(kept.agentCredentials).toBe(s.agentCredentials);
    const without = importModel(s, { ...doc, servers: doc.servers.filter((x) => x.id !== 'db1'), connections: [] });
    expect(without.agentCredentials?.map((c) => c.serverId)).toEqual(['web1']);
  });
});
