/**
 * The editing endpoints the diagram uses, against a real in-process hub over HTTP: a
 * connection's type, renaming a cluster (and everything that names it), undo of the caller's
 * own deletions, the audit log with refusals, and the admin's diagnostics and log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, Diagnostics, HubLog } from '../../protocol/types.js';
import { ADMIN_PASSWORD, basic, startTestHub, type TestHub } from '../test-hub.js';

let t: TestHub;
const NONE = { view: false, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false };
const OPS = basic('ops', 'ops-password-1');

beforeAll(async () => {
  t = await startTestHub();
  for (const [id, type] of [['web1', 'web'], ['web2', 'web'], ['db1', 'database'], ['lb1', 'loadbalancer']]) {
    expect((await t.call('POST', '/api/servers', { id, name: id, type, address: '10.0.0.1' })).status).toBe(201);
  }
  expect((await t.call('POST', '/api/connections', { from: 'web1', to: 'db1', type: 'database' })).status).toBe(201);
  expect((await t.call('POST', '/api/clusters', { name: 'shop', servers: ['web1', 'db1', 'lb1'], loadBalancer: { frontends: [{ name: 'www', port: 80 }] } })).status).toBe(201);
  expect((await t.call('POST', '/api/users', { name: 'ops', password: 'ops-password-1', acl: { ...NONE, view: true, editServers: true, editConnections: true, editClusters: true, scope: ['shop'] } })).status).toBe(201);
  expect((await t.call('POST', '/api/alert-rules', { id: 'shop-cpu', name: 'cpu', metric: 'cpu', threshold: 90, forSeconds: 5, actions: [], scope: ['shop'] })).status).toBe(201);
});
afterAll(async () => { await t.stop(); });

describe('PATCH /api/connections/{id}', () => {
  it('changes the type, and refuses a bad type or an unknown connection changing nothing', async () => {
    expect(await t.call('PATCH', '/api/connections/web1:db1', { type: 'http' })).toMatchObject({ status: 200, body: { id: 'web1:db1', type: 'http', status: 'unknown' } });
    const before = t.hub.svc.store.state;
    expect((await t.call('PATCH', '/api/connections/web1:db1', { type: 'toaster' })).status).toBe(400);
    expect((await t.call('PATCH', '/api/connections/web1:db1', { type: 'http', from: 'x' })).status).toBe(400);
    expect((await t.call('PATCH', '/api/connections/web1:nope', { type: 'http' })).status).toBe(404);
    expect(t.hub.svc.store.state).toBe(before);
  });
});

describe('renaming a cluster', () => {
  it('renames it in alert rules, users and join tokens; a scoped user may not; a taken name is a conflict', async () => {
    expect((await t.call('POST', '/api/join-tokens', { cluster: 'shop' })).status).toBe(201);
    expect((await t.call('PATCH', '/api/clusters/shop', { name: 'store' }, OPS)).status).toBe(403);
    expect((await t.call('POST', '/api/clusters', { name: 'taken' })).status).toBe(201);
    expect((await t.call('PATCH', '/api/clusters/shop', { name: 'taken' })).status).toBe(409);
    const r = await t.call('PATCH', '/api/clusters/shop', { name: 'store', description: 'the shop' });
    expect(r).toMatchObject({ status: 200, body: { name: 'store', description: 'the shop', servers: ['web1', 'db1', 'lb1'] } });
    const s = t.hub.svc.store.state;
    expect(s.alertRules.find((x) => x.id === 'shop-cpu')!.scope).toEqual(['store']);
    expect(s.users.find((u) => u.name === 'ops')!.acl.scope).toEqual(['store']);
    expect(s.joinTokens!.map((x) => x.cluster)).toEqual(['store']);
    // The scoped user keeps its cluster under the new name.
    expect((await t.call('GET', '/api/clusters/store', undefined, OPS)).status).toBe(200);
    expect((await t.call('GET', '/api/clusters/shop')).status).toBe(404);
  });
});

describe('undo', () => {
  it("puts back the caller's own deleted server with its connection, membership and position, once", async () => {
    expect((await t.call('PUT', '/api/layout', { positions: { web1: { x: 7, y: 8 } } })).status).toBe(200);
    expect((await t.call('DELETE', '/api/servers/web1')).status).toBe(204);
    expect((await t.call<{ kind: string; id: string }[]>('GET', '/api/undo')).body).toEqual([expect.objectContaining({ kind: 'server', id: 'web1' })]);
    // Another user cannot undo it.
    expect((await t.call('POST', '/api/undo', { kind: 'server', ids: ['web1'] }, OPS)).status).toBe(404);
    expect(await t.call('POST', '/api/undo', { kind: 'server', ids: ['web1'] })).toEqual({ status: 200, body: { restored: [{ kind: 'server', id: 'web1' }] } });
    expect((await t.call<{ id: string }[]>('GET', '/api/connections')).body.map((c) => c.id)).toEqual(['web1:db1']);
    expect((await t.call<{ servers: string[] }>('GET', '/api/clusters/store')).body.servers).toEqual(['web1', 'db1', 'lb1']);
    expect((await t.call('GET', '/api/layout')).body).toEqual({ web1: { x: 7, y: 8 } });
    expect((await t.call('POST', '/api/undo', { kind: 'server', ids: ['web1'] })).status).toBe(404);
    expect((await t.call('GET', '/api/undo')).body).toEqual([]);
  });

  it('restores connections and clusters, all or nothing, and needs the flag of the delete', async () => {
    expect((await t.call('DELETE', '/api/connections/web1:db1', undefined, OPS)).status).toBe(204);
    expect((await t.call('DELETE', '/api/clusters/taken')).status).toBe(204);
    const before = t.hub.svc.store.state;
    expect((await t.call('POST', '/api/undo', { kind: 'cluster', ids: ['taken', 'never'] })).status).toBe(404);
    expect(t.hub.svc.store.state).toBe(before);
    expect((await t.call('POST', '/api/undo', { kind: 'cluster', ids: ['taken'] })).status).toBe(200);
    expect((await t.call('GET', '/api/clusters/taken')).status).toBe(200);
    expect((await t.call('PATCH', '/api/users/ops', { acl: { editConnections: false } })).status).toBe(200);
    expect((await t.call('POST', '/api/undo', { kind: 'connection', ids: ['web1:db1'] }, OPS)).status).toBe(403);
    expect((await t.call('PATCH', '/api/users/ops', { acl: { editConnections: true } })).status).toBe(200);
    expect((await t.call('POST', '/api/undo', { kind: 'connection', ids: ['web1:db1'] }, OPS)).status).toBe(200);
    expect((await t.call('GET', '/api/connections')).body).toEqual([expect.objectContaining({ id: 'web1:db1', type: 'http' })]);
  });
});

describe('GET /api/audit', () => {
  it('says who did what, when and how it ended, with refusals, filtered by user, cluster and server', async () => {
    const all = (await t.call<AuditEntry[]>('GET', '/api/audit')).body;
    expect(all[0]).toMatchObject({ user: 'ops', action: 'connection.restore', target: 'web1:db1', servers: ['web1', 'db1'], clusters: ['store'] });
    expect(all.find((e) => e.action === 'cluster.rename')).toMatchObject({ user: 'admin', target: 'shop', clusters: ['shop', 'store'], detail: 'renamed to store' });
    // The scoped user's refused rename is kept (in memory) as denied, with the hub's reason.
    const denied = (await t.call<AuditEntry[]>('GET', '/api/audit?result=denied')).body;
    expect(denied.map((e) => [e.user, e.action, e.target])).toEqual([['ops', 'POST /api/undo', '/api/undo'], ['ops', 'PATCH /api/clusters', '/api/clusters/shop']]);
    expect(denied[1]).toMatchObject({ result: 'denied', clusters: ['shop'], detail: expect.stringMatching(/all clusters/) });
    expect((await t.call<AuditEntry[]>('GET', '/api/audit?result=invalid')).body.map((e) => e.target)).toContain('/api/connections/web1:db1');
    const web1 = (await t.call<AuditEntry[]>('GET', '/api/audit?server=web1&user=admin')).body.map((e) => e.action);
    expect(web1).toEqual(expect.arrayContaining(['server.restore', 'server.delete', 'layout.update', 'server.create', 'connection.update']));
    expect(web1).not.toContain('cluster.delete');
    // The scoped user reads only entries naming its cluster.
    const mine = (await t.call<AuditEntry[]>('GET', '/api/audit', undefined, OPS)).body;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.clusters?.includes('store'))).toBe(true);
    expect((await t.call('GET', '/api/audit?limit=0')).status).toBe(400);
    expect((await t.call('GET', '/api/audit?who=x')).status).toBe(400);
  });
});

describe('diagnostics and the log, for administrators', () => {
  it('reports the state file, disk, agent port and certificates', async () => {
    const d = (await t.call<Diagnostics>('GET', '/api/diagnostics')).body;
    expect(d.stateFile).toMatchObject({ writable: true, revision: t.hub.svc.store.state.revision });
    expect(d.stateFile.bytes).toBeGreaterThan(100);
    expect(d.disk.totalBytes).toBeGreaterThan(d.disk.freeBytes);
    expect(d.agentPort.caFingerprint).toBe(t.hub.caFingerprint);
    expect(new Date(d.agentPort.certNotAfter!).getTime()).toBeGreaterThan(Date.now());
    expect(d.gatewaySocket).toBeNull();
    expect(d.agents).toEqual([]);
    expect((await t.call('GET', '/api/diagnostics', undefined, OPS)).status).toBe(403);
  });

  it('keeps recent log lines without secrets, readable after a sequence number', async () => {
    const token = (await t.call<{ token: string }>('POST', '/api/join-tokens', {})).body.token;
    await fetch(`${t.base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'wrong-password-xyz' }) });
    t.hub.svc.log(`an agent sent ${token} and Authorization: ${basic('admin', ADMIN_PASSWORD)}`);
    const log = (await t.call<HubLog>('GET', '/api/logs')).body;
    const text = JSON.stringify(log);
    expect(text).toContain('failed login for');
    expect(text).toMatch(/hub \S+ started/);
    for (const secret of [token.split('.')[2]!, 'wrong-password-xyz', ADMIN_PASSWORD, basic('admin', ADMIN_PASSWORD).slice(6)]) expect(text).not.toContain(secret);
    const next = (await t.call<HubLog>('GET', `/api/logs?since=${log.next}`)).body;
    expect(next.lines).toEqual([]);
    t.hub.svc.log('one more');
    expect((await t.call<HubLog>('GET', `/api/logs?since=${log.next}`)).body.lines.map((l) => l.msg)).toEqual(['one more']);
    expect((await t.call('GET', '/api/logs?since=-1')).status).toBe(400);
    expect((await t.call('GET', '/api/logs', undefined, OPS)).status).toBe(403);
  });
});
