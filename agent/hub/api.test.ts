/** The REST API against a real in-process hub on free ports, over real HTTP. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from './hub.js';
import { DEFAULT_THRESHOLDS } from './live/status.js';

let hub: RunningHub;
let dir: string;
let base: string;
const ADMIN = `Basic ${Buffer.from('admin:admin-password-1').toString('base64')}`;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: ADMIN, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

const stateFile = () => readFileSync(join(dir, 'state.json'), 'utf8');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uc-api-'));
  hub = await startHub({ dataDir: dir, httpHost: '127.0.0.1', httpPort: 0, agentHost: '127.0.0.1', agentPort: 0, adminPassword: 'admin-password-1', uiRoot: dir, thresholds: DEFAULT_THRESHOLDS, agentTlsNames: [] }, () => {});
  base = `http://127.0.0.1:${hub.httpPort}`;
});
afterAll(async () => {
  await hub.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the documented example bodies', () => {
  it('creates servers, a connection and a cluster', async () => {
    const web1 = await call('POST', '/api/servers', { id: 'web1', name: 'Web Server 1', type: 'web', ip: '192.168.1.10', region: 'us-east-1' });
    expect(web1.status).toBe(201);
    expect(web1.body).toMatchObject({ id: 'web1', address: '192.168.1.10', status: 'unknown', metrics: null });
    for (const [id, type] of [['db1', 'database'], ['cache1', 'cache']]) {
      expect((await call('POST', '/api/servers', { id, name: id, type, ip: '192.168.1.11' })).status).toBe(201);
    }
    const conn = await call('POST', '/api/connections', { from: 'web1', to: 'db1', type: 'database' });
    expect(conn).toMatchObject({ status: 201, body: { id: 'web1:db1', type: 'database' } });
    const cluster = await call('POST', '/api/clusters', { name: 'production-cluster', servers: ['web1', 'db1', 'cache1'] });
    expect(cluster).toMatchObject({ status: 201, body: { name: 'production-cluster', servers: ['web1', 'db1', 'cache1'] } });
    expect((await call('GET', '/api/servers')).body.map((s: { id: string }) => s.id)).toEqual(['web1', 'db1', 'cache1']);
    expect((await call('GET', '/api/clusters/production-cluster')).body.servers).toHaveLength(3);
  });

  it('patches and reads one server, and 404s an unknown one', async () => {
    const r = await call('PATCH', '/api/servers/cache1', { region: 'eu-west-1', labels: { tier: 'gold' } });
    expect(r).toMatchObject({ status: 200, body: { region: 'eu-west-1', labels: { tier: 'gold' } } });
    expect((await call('GET', '/api/servers/cache1')).body.region).toBe('eu-west-1');
    expect(await call('GET', '/api/servers/nope')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('deletes connections by query or body, and clusters', async () => {
    await call('POST', '/api/connections', { from: 'cache1', to: 'db1' });
    expect((await call('DELETE', '/api/connections?from=cache1&to=db1')).status).toBe(204);
    await call('POST', '/api/connections', { from: 'cache1', to: 'db1' });
    expect((await call('DELETE', '/api/connections', { id: 'cache1:db1' })).status).toBe(204);
    expect((await call('DELETE', '/api/connections?from=cache1&to=db1')).status).toBe(404);
    expect((await call('DELETE', '/api/connections')).status).toBe(400);
    await call('POST', '/api/clusters', { name: 'temp' });
    expect((await call('PATCH', '/api/clusters/temp', { addServers: ['web1'] })).body.servers).toEqual(['web1']);
    expect((await call('DELETE', '/api/clusters/temp')).status).toBe(204);
    expect((await call('GET', '/api/clusters')).body.map((c: { name: string }) => c.name)).toEqual(['production-cluster']);
  });

  it('reports stats', async () => {
    const { body } = await call('GET', '/api/stats');
    expect(body.servers).toMatchObject({ total: 3, byType: { web: 1, database: 1, cache: 1 }, byStatus: { unknown: 3 } });
    expect(body.connections).toMatchObject({ total: 1, byType: { database: 1 } });
    expect(body.clusters.total).toBe(1);
  });
});

describe('bad and hostile input gets 400 and changes nothing', () => {
  const cases: [string, string, unknown][] = [
    ['POST', '/api/servers', '{"id": "x", '],
    ['POST', '/api/servers', { id: 'x', name: 'x', type: 'mainframe', ip: '1.2.3.4' }],
    ['POST', '/api/servers', { id: 'x', name: 'x', type: 'web', ip: '999.1.1.1' }],
    ['POST', '/api/servers', { id: '../../etc', name: 'x', type: 'web', ip: '1.2.3.4' }],
    ['POST', '/api/servers', { id: 'x', name: 'x', type: 'web', ip: '1.2.3.4', admin: true }],
    ['POST', '/api/servers', '{"id":"x","name":"x","type":"web","ip":"1.2.3.4","__proto__":{"polluted":1}}'],
    ['POST', '/api/servers', '{"id":"x","name":"x","type":"web","ip":"1.2.3.4","constructor":{"prototype":{"polluted":1}}}'],
    ['POST', '/api/servers', { id: 'x', name: 'a\u0000b', type: 'web', ip: '1.2.3.4' }],
    ['POST', '/api/servers', [1, 2, 3]],
    ['POST', '/api/servers', null],
    ['POST', '/api/servers', 'x'.repeat(100)],
    ['POST', '/api/connections', { from: 'web1', to: 'ghost' }],
    ['POST', '/api/connections', { from: 'web1', to: 'web1' }],
    ['POST', '/api/connections', { from: 'web1', to: 'db1', type: 'quantum' }],
    ['POST', '/api/clusters', { name: 'c', servers: ['ghost'] }],
    ['POST', '/api/clusters', { name: 'c', servers: 'web1' }],
    ['PATCH', '/api/servers/web1', {}],
    ['PATCH', '/api/servers/web1', { id: 'renamed' }],
    ['POST', '/api/import', { format: 'unlimited-cluster', version: 1, servers: [], connections: [{ id: 'a:b', from: 'a', to: 'b', type: 'http' }], clusters: [] }],
    ['POST', '/api/import', { format: 'something-else' }],
  ];
  it.each(cases)('%s %s %j', async (method, path, body) => {
    const before = stateFile();
    const r = await call(method, path, body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toMatch(/^(invalid_json|invalid_body|bad_request|unknown_server)$/);
    expect(typeof r.body.error.message).toBe('string');
    expect(stateFile()).toBe(before);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses a body that is not JSON (415) or too large (413)', async () => {
    const before = stateFile();
    expect((await call('POST', '/api/servers', 'id=x', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    const big = JSON.stringify({ id: 'x', name: 'x'.repeat(2 * 1024 * 1024), type: 'web', ip: '1.2.3.4' });
    expect((await call('POST', '/api/servers', big)).status).toBe(413);
    expect(stateFile()).toBe(before);
  });

  it('answers 404 for unknown endpoints and 405 for a wrong method', async () => {
    expect((await call('GET', '/api/nothing')).status).toBe(404);
    expect((await call('PUT', '/api/servers')).status).toBe(405);
  });
});

describe('export and import', () => {
  it('imports all or nothing and round-trips an export', async () => {
    const exported = (await call('GET', '/api/export')).body;
    expect(exported).toMatchObject({ format: 'unlimited-cluster', version: 1 });
    const replaced = await call('POST', '/api/import', { ...exported, servers: [exported.servers[0]], connections: [], clusters: [] });
    expect(replaced).toMatchObject({ status: 200, body: { servers: 1 } });
    expect((await call('GET', '/api/servers')).body).toHaveLength(1);
    expect((await call('POST', '/api/import', exported)).status).toBe(200);
    const again = (await call('GET', '/api/export')).body;
    expect({ ...again, exportedAt: 0 }).toEqual({ ...exported, exportedAt: 0 });
  });
});

describe('authentication', () => {
  it('refuses anonymous and wrong credentials', async () => {
    expect((await call('GET', '/api/servers', undefined, { authorization: '' })).status).toBe(401);
    const wrong = `Basic ${Buffer.from('admin:nope').toString('base64')}`;
    expect((await call('GET', '/api/servers', undefined, { authorization: wrong })).status).toBe(401);
    expect((await call('GET', '/api/servers', undefined, { authorization: 'Bearer uct_nope' })).status).toBe(401);
  });

  it('logs in with a session cookie and refuses cross-site writes with it', async () => {
    const bad = await call('POST', '/api/login', { username: 'admin', password: 'wrong' }, { authorization: '' });
    expect(bad.status).toBe(401);
    const ok = await call('POST', '/api/login', { username: 'admin', password: 'admin-password-1' }, { authorization: '' });
    expect(ok.status).toBe(200);
    const cookie = ok.headers.get('set-cookie')!.split(';')[0]!;
    expect(ok.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const me = await call('GET', '/api/me', undefined, { authorization: '', cookie });
    expect(me.body).toMatchObject({ name: 'admin', acl: { view: true, scope: '*' } });
    const host = new URL(base).host;
    const same = await call('POST', '/api/clusters', { name: 'from-ui' }, { authorization: '', cookie, origin: `http://${host}` });
    expect(same.status).toBe(201);
    const cross = await call('POST', '/api/clusters', { name: 'from-evil' }, { authorization: '', cookie, origin: 'http://evil.example' });
    expect(cross.status).toBe(403);
    expect((await call('DELETE', '/api/clusters/from-ui', undefined, { authorization: '', cookie })).status).toBe(204);
    expect((await call('POST', '/api/logout', undefined, { authorization: '', cookie, origin: `http://${host}` })).status).toBe(204);
    expect((await call('GET', '/api/me', undefined, { authorization: '', cookie })).status).toBe(401);
  });

  it('issues API tokens that work as Bearer and stop working when revoked', async () => {
    const made = await call('POST', '/api/api-tokens', { name: 'ci' });
    expect(made.status).toBe(201);
    expect(stateFile()).not.toContain(made.body.token);
    const bearer = { authorization: `Bearer ${made.body.token}` };
    expect((await call('GET', '/api/servers', undefined, bearer)).status).toBe(200);
    expect((await call('GET', '/api/api-tokens')).body.some((t: { id: string; hash?: string }) => t.id === made.body.id && !t.hash)).toBe(true);
    expect((await call('DELETE', `/api/api-tokens/${made.body.id}`)).status).toBe(204);
    expect((await call('GET', '/api/servers', undefined, bearer)).status).toBe(401);
  });

  it('limits failed logins', async () => {
    let last = 0;
    for (let i = 0; i < 11; i++) last = (await call('POST', '/api/login', { username: 'victim', password: 'x' }, { authorization: '' })).status;
    expect(last).toBe(429);
  });
});

describe('ACLs', () => {
  const as = (name: string) => ({ authorization: `Basic ${Buffer.from(`${name}:password-${name}`).toString('base64')}` });
  const none = { view: false, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false };

  beforeAll(async () => {
    await call('POST', '/api/servers', { id: 'other1', name: 'other1', type: 'dns', ip: '10.1.1.1' });
    await call('POST', '/api/clusters', { name: 'other', servers: ['other1'] });
    const users = [
      ['reader', { ...none, view: true, scope: '*' }],
      ['blind', { ...none, scope: '*' }],
      ['scoped', { ...none, view: true, editServers: true, editConnections: true, editClusters: true, exportImport: true, scope: ['production-cluster'] }],
    ] as const;
    for (const [name, acl] of users) expect((await call('POST', '/api/users', { name, password: `password-${name}`, acl })).status).toBe(201);
  });

  it('a read-only user sees everything and can change nothing', async () => {
    const before = stateFile();
    expect((await call('GET', '/api/servers', undefined, as('reader'))).status).toBe(200);
    for (const [m, p, b] of [
      ['POST', '/api/servers', { id: 'z', name: 'z', type: 'web', ip: '1.1.1.1' }], ['PATCH', '/api/servers/web1', { region: 'x' }],
      ['DELETE', '/api/servers/web1', undefined], ['POST', '/api/connections', { from: 'web1', to: 'cache1' }],
      ['DELETE', '/api/connections?id=web1:db1', undefined], ['POST', '/api/clusters', { name: 'n' }],
      ['DELETE', '/api/clusters/production-cluster', undefined], ['GET', '/api/export', undefined], ['GET', '/api/users', undefined],
      ['GET', '/api/backup', undefined],
    ] as const) {
      const r = await call(m, p, b, as('reader'));
      expect(r.status, `${m} ${p}`).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }
    expect(stateFile()).toBe(before);
  });

  it('a user without view is refused everything', async () => {
    expect((await call('GET', '/api/servers', undefined, as('blind'))).status).toBe(403);
    expect((await call('POST', '/api/ticket', undefined, as('blind'))).status).toBe(403);
  });

  it('a scoped user sees and edits only its clusters', async () => {
    const s = as('scoped');
    const ids = (await call('GET', '/api/servers', undefined, s)).body.map((x: { id: string }) => x.id).sort();
    expect(ids).toEqual(['cache1', 'db1', 'web1']);
    expect((await call('GET', '/api/clusters', undefined, s)).body.map((c: { name: string }) => c.name)).toEqual(['production-cluster']);
    expect((await call('GET', '/api/servers/other1', undefined, s)).status).toBe(404);
    expect((await call('PATCH', '/api/servers/other1', { region: 'x' }, s)).status).toBe(404);
    expect((await call('PATCH', '/api/servers/web1', { region: 'scoped-edit' }, s)).status).toBe(200);
    expect((await call('POST', '/api/connections', { from: 'web1', to: 'other1' }, s)).status).toBe(404);
    expect((await call('DELETE', '/api/clusters/other', undefined, s)).status).toBe(404);
    // Pulling a foreign server into its own cluster would widen its scope.
    expect((await call('PATCH', '/api/clusters/production-cluster', { addServers: ['other1'] }, s)).status).toBe(404);
    expect((await call('POST', '/api/clusters', { name: 'not-mine' }, s)).status).toBe(403);
    expect((await call('POST', '/api/servers', { id: 'n', name: 'n', type: 'web', ip: '1.1.1.1' }, s)).status).toBe(403);
    expect((await call('GET', '/api/stats', undefined, s)).body.servers.total).toBe(3);
    expect((await call('GET', '/api/export', undefined, s)).body.servers).toHaveLength(3);
    expect((await call('POST', '/api/import', { format: 'unlimited-cluster', version: 1, servers: [], connections: [], clusters: [] }, s)).status).toBe(403);
  });

  it('never leaves the hub without an admin', async () => {
    expect((await call('DELETE', '/api/users/admin')).status).toBe(400);
    expect((await call('PATCH', '/api/users/admin', { acl: { enroll: false } })).status).toBe(400);
  });
});

describe('backup and restore', () => {
  it('restores the whole state and refuses a broken document', async () => {
    const backup = (await call('GET', '/api/backup')).body;
    await call('DELETE', '/api/servers/web1');
    expect((await call('GET', '/api/servers/web1')).status).toBe(404);
    const before = stateFile();
    expect((await call('POST', '/api/restore', { ...backup, servers: 'no' })).status).toBe(400);
    expect((await call('POST', '/api/restore', { ...backup, version: 42 })).status).toBe(400);
    expect(stateFile()).toBe(before);
    expect((await call('POST', '/api/restore', backup)).status).toBe(200);
    expect((await call('GET', '/api/servers/web1')).status).toBe(200);
  });
});
