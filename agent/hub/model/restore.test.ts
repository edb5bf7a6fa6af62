import { describe, expect, it } from 'vitest';
import type { State } from '../../protocol/types.js';
import { emptyState } from '../empty-state.js';
import { addConnection, removeConnection, setConnectionType } from './connections.js';
import { createCluster, deleteCluster, patchCluster, renameCluster } from './clusters.js';
import { captureCluster, captureConnection, captureServer, restore } from './restore.js';
import { addServer, removeServer } from './servers.js';

function fleet(): State {
  let s = emptyState();
  for (const id of ['web1', 'web2', 'db1']) s = addServer(s, { id, name: id, type: 'web', address: '10.0.0.1' }).state;
  s = addConnection(s, { from: 'web1', to: 'db1', type: 'database' }).state;
  s = addConnection(s, { from: 'web2', to: 'web1' }).state;
  s = createCluster(s, { name: 'prod', servers: ['web2', 'web1', 'db1'] }).state;
  s = createCluster(s, { name: 'edge', servers: ['web1'] }).state;
  return { ...s, layout: { web1: { x: 3, y: 4 } }, agentCredentials: [{ serverId: 'web1', hash: 'h', enrolledAt: 't' }] };
}

describe('restoring what a delete took', () => {
  it('puts a server back with its connections, memberships (in place), position and credential', () => {
    const s = fleet();
    const captured = captureServer(s, 'web1');
    const back = restore(removeServer(s, 'web1'), captured);
    expect(back.servers.map((x) => x.id).sort()).toEqual(['db1', 'web1', 'web2']);
    expect(back.connections.map((c) => c.id).sort()).toEqual(['web1:db1', 'web2:web1']);
    expect(back.clusters.map((c) => [c.name, c.servers])).toEqual([['prod', ['web2', 'web1', 'db1']], ['edge', ['web1']]]);
    expect(back.layout).toEqual({ web1: { x: 3, y: 4 } });
    expect(back.agentCredentials).toEqual([{ serverId: 'web1', hash: 'h', enrolledAt: 't' }]);
  });

  it('leaves out connections and memberships whose other side was deleted since, and refuses a taken id', () => {
    const s = fleet();
    const captured = captureServer(s, 'web1');
    let after = removeServer(s, 'web1');
    after = deleteCluster(removeServer(after, 'db1'), 'edge');
    const back = restore(after, captured);
    expect(back.connections.map((c) => c.id)).toEqual(['web2:web1']);
    expect(back.clusters.map((c) => [c.name, c.servers])).toEqual([['prod', ['web2', 'web1']]]);
    const retaken = addServer(removeServer(s, 'web1'), { id: 'web1', name: 'again', type: 'dns', address: '10.0.0.9' }).state;
    expect(() => restore(retaken, captured)).toThrow(/exists again/);
  });

  it('puts back a connection and a cluster (in its place, without members deleted since)', () => {
    const s = fleet();
    const conn = captureConnection(s, 'web1:db1');
    expect(restore(removeConnection(s, 'web1:db1'), conn).connections).toEqual(s.connections.filter((c) => c.id !== 'web1:db1').concat(s.connections[0]!));
    expect(() => restore(s, conn)).toThrow(/connected to 'db1' again/);
    expect(() => restore(removeServer(removeConnection(s, 'web1:db1'), 'db1'), conn)).toThrow(/'db1' was deleted since/);
    const cl = captureCluster(s, 'prod');
    const back = restore(removeServer(deleteCluster(s, 'prod'), 'web2'), cl);
    expect(back.clusters.map((c) => [c.name, c.servers])).toEqual([['prod', ['web1', 'db1']], ['edge', ['web1']]]);
    expect(() => restore(s, cl)).toThrow(/exists again/);
  });
});

describe('editing connections and clusters', () => {
  it('changes a connection type and keeps its ends', () => {
    const s = fleet();
    const { state, connection } = setConnectionType(s, 'web1:db1', 'http');
    expect(connection).toEqual({ id: 'web1:db1', from: 'web1', to: 'db1', type: 'http' });
    expect(state.connections[1]).toBe(s.connections[1]);
    expect(() => setConnectionType(fleet(), 'nope:x', 'http')).toThrow(/no connection/);
  });

  it('renames a cluster everywhere it is named, and refuses a taken name', () => {
    let s = fleet();
    s = {
      ...s,
      alertRules: [
        { id: 'r1', name: 'r', metric: 'cpu', threshold: 90, forSeconds: 5, enabled: true, actions: [], scope: ['prod', 'edge'] },
        { id: 'r2', name: 'r', metric: 'down', forSeconds: 5, enabled: true, actions: [], scope: '*' },
      ],
      users: [{ name: 'ops', passwordHash: 'x', acl: { view: true, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false, scope: ['prod'] } }],
      joinTokens: [{ id: 't', hash: 'h', createdBy: 'a', createdAt: 't', expiresAt: 't', usesLeft: 1, cluster: 'prod' }],
    };
    const r = renameCluster(s, 'prod', 'production');
    expect(r.clusters.map((c) => c.name)).toEqual(['production', 'edge']);
    expect(r.alertRules.map((x) => x.scope)).toEqual([['production', 'edge'], '*']);
    expect(r.alertRules[1]).toBe(s.alertRules[1]);
    expect(r.users[0]!.acl.scope).toEqual(['production']);
    expect(r.joinTokens![0]!.cluster).toBe('production');
    expect(() => renameCluster(s, 'prod', 'edge')).toThrow(/already exists/);
    expect(() => renameCluster(s, 'nope', 'x')).toThrow(/no cluster/);
    // Through a patch, with other changes applied to the renamed cluster.
    const { cluster } = patchCluster(s, 'prod', { name: 'p2', removeServers: ['db1'], description: 'd' });
    expect(cluster).toEqual({ name: 'p2', servers: ['web2', 'web1'], description: 'd' });
  });

  it('takes along what other features keep under the name: scaling, virtual servers, Webmin users\' API tokens', () => {
    const acl = { view: true, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false, scope: ['prod'] };
    const s: State = {
      ...fleet(),
      scaling: { prod: { policy: { min: 1, max: 2 } } },
      virtualServers: [{ id: '1', domain: 'a.example', aliases: [], state: 'active', createdBy: 'x', createdAt: 't', web: { cluster: 'prod', status: 'ready' } }],
      apiTokens: [{ id: 't1', name: 'n', user: 'ops', realm: 'webmin', acl, hash: 'h', createdAt: 't' }],
    };
    const r = renameCluster(s, 'prod', 'production');
    expect(Object.keys(r.scaling!)).toEqual(['production']);
    expect(r.virtualServers![0]!.web).toEqual({ cluster: 'production', status: 'ready' });
    expect(r.apiTokens[0]!.acl!.scope).toEqual(['production']);
  });

  it('refuses to rename a cluster whose nodes know it by its name (Galera, Gluster)', () => {
    const s = fleet();
    const galera = { ...s, clusters: s.clusters.map((c) => (c.name === 'prod' ? { ...c, galera: {} } : c)) };
    expect(() => renameCluster(galera, 'prod', 'production')).toThrow(/has a Galera role/);
  });
});
