/**
 * The ACL matrix, through the Webmin gateway socket: every endpoint against every single flag,
 * every flag but the one it needs, no flags, all flags, and a user scoped to cluster "a" acting
 * inside and outside its scope. A refused request answers 403 (404 for a server or rule out of
 * scope) and leaves the state untouched.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACL_FLAGS } from '../protocol/common.js';
import type { AclFlag } from '../protocol/types.js';
import { configFromEnv } from './config.js';
import { startHub, type RunningHub } from './hub.js';

let hub: RunningHub;
let dir: string;
let socket: string;

type WebminAcl = Record<string, string>;
const acl = (flags: readonly AclFlag[], clusters = '*'): WebminAcl =>
  ({ ...Object.fromEntries(ACL_FLAGS.map((f) => [f, flags.includes(f) ? '1' : '0'])), clusters, noconfig: '0' });
const FULL = acl(ACL_FLAGS);

function call(method: string, path: string, body: unknown, who: WebminAcl | null, user = 'alice'): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = data ? { 'content-type': 'application/json' } : {};
    if (who) Object.assign(headers, { 'x-webmin-user': user, 'x-webmin-acl': JSON.stringify(who) });
    const req = request({ socketPath: socket, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

let n = 0;
const fresh = (prefix: string) => `${prefix}${++n}`;
/** Clusters made "in a": the scoped user's scope names them too. */
const inA: string[] = [];
const clusterName = (c: 'a' | 'b') => {
  const name = fresh(`${c}-`);
  if (c === 'a') inA.push(name);
  return name;
};

/** As root in Webmin: a server in cluster `cluster`, made for one request. */
async function server(cluster: 'a' | 'b'): Promise<string> {
  const id = fresh(`s${cluster}`);
  expect((await call('POST', '/api/servers', { id, name: id, type: 'web', ip: '10.0.0.1' }, FULL, 'root')).status).toBe(201);
  expect((await call('PATCH', `/api/clusters/${cluster}`, { addServers: [id] }, FULL, 'root')).status).toBe(200);
  return id;
}

/** As root: a fresh plan for cluster `cluster` (each can be applied once). */
async function plan(cluster: 'a' | 'b'): Promise<string> {
  const made = await call('POST', `/api/clusters/${cluster}/plans`, undefined, FULL, 'root');
  expect(made.status).toBe(201);
  return (made.body as { id: string }).id;
}

interface Req { method: string; path: string; body?: unknown }
interface Endpoint {
  /** The flag it needs; "any" for every logged-in user, "admin" for every flag and scope "*". */
  needs: AclFlag | 'any' | 'admin';
  /** Builds the request on cluster `c`'s resources (made fresh where the request changes them). */
  make(c: 'a' | 'b'): Promise<Req>;
  /** The answer when allowed. */
  ok: number;
  /** A user scoped to "a": what it gets on cluster b's resource ('filtered': 200 without them; 'all': needs scope "*"). */
  outOfScope: 403 | 404 | 'filtered' | 'all';
}

const get = (path: string) => async (): Promise<Req> => ({ method: 'GET', path });
const ENDPOINTS: Record<string, Endpoint> = {
  'GET /api/me': { needs: 'any', ok: 200, outOfScope: 'filtered', make: get('/api/me') },
  'POST /api/logout': { needs: 'any', ok: 204, outOfScope: 'filtered', make: async () => ({ method: 'POST', path: '/api/logout' }) },
  'POST /api/ticket': { needs: 'view', ok: 200, outOfScope: 'filtered', make: async () => ({ method: 'POST', path: '/api/ticket' }) },
  'GET /api/servers': { needs: 'view', ok: 200, outOfScope: 'filtered', make: get('/api/servers') },
  'POST /api/servers': { needs: 'editServers', ok: 201, outOfScope: 'all', make: async () => ({ method: 'POST', path: '/api/servers', body: { id: fresh('new'), name: 'n', type: 'web', ip: '10.0.0.2' } }) },
  'GET /api/servers/:id': { needs: 'view', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'GET', path: `/api/servers/${c}1` }) },
  'PATCH /api/servers/:id': { needs: 'editServers', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'PATCH', path: `/api/servers/${c}1`, body: { region: fresh('r') } }) },
  'DELETE /api/servers/:id': { needs: 'editServers', ok: 204, outOfScope: 404, make: async (c) => ({ method: 'DELETE', path: `/api/servers/${await server(c)}` }) },
  'GET /api/servers/:id/history': { needs: 'view', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'GET', path: `/api/servers/${c}1/history` }) },
  // No agent is connected: allowed means the hub tried the agent (409 "not connected").
  'POST /api/servers/:id/jobs': { needs: 'editServers', ok: 409, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/servers/${c}1/jobs`, body: { kind: 'inventory' } }) },
  'GET /api/join-tokens': { needs: 'enroll', ok: 200, outOfScope: 'filtered', make: async (c) => {
    expect((await call('POST', '/api/join-tokens', { cluster: c, labels: { in: `cluster-${c}` } }, FULL, 'root')).status).toBe(201);
    return { method: 'GET', path: '/api/join-tokens' };
  } },
  'POST /api/join-tokens': { needs: 'enroll', ok: 201, outOfScope: 403, make: async (c) => ({ method: 'POST', path: '/api/join-tokens', body: { cluster: c } }) },
  'DELETE /api/join-tokens/:id': {
    needs: 'enroll', ok: 204, outOfScope: 404,
    make: async (c) => ({ method: 'DELETE', path: `/api/join-tokens/${((await call('POST', '/api/join-tokens', { cluster: c }, FULL, 'root')).body as { id: string }).id}` }),
  },
  // Nothing enrolled: allowed means the hub looked for the agent (404 "no agent is enrolled").
  'DELETE /api/agents/:id': { needs: 'enroll', ok: 404, outOfScope: 404, make: async (c) => ({ method: 'DELETE', path: `/api/agents/${c}1` }) },
  'GET /api/connections': { needs: 'view', ok: 200, outOfScope: 'filtered', make: get('/api/connections') },
  'POST /api/connections': { needs: 'editConnections', ok: 201, outOfScope: 404, make: async (c) => ({ method: 'POST', path: '/api/connections', body: { from: `${c}1`, to: await server(c) } }) },
  'DELETE /api/connections': {
    needs: 'editConnections', ok: 204, outOfScope: 404,
    make: async (c) => {
      const to = await server(c);
      expect((await call('POST', '/api/connections', { from: `${c}1`, to }, FULL, 'root')).status).toBe(201);
      return { method: 'DELETE', path: `/api/connections?from=${c}1&to=${to}` };
    },
  },
  'DELETE /api/connections/:id': {
    needs: 'editConnections', ok: 204, outOfScope: 404,
    make: async (c) => {
      const to = await server(c);
      expect((await call('POST', '/api/connections', { from: `${c}1`, to }, FULL, 'root')).status).toBe(201);
      return { method: 'DELETE', path: `/api/connections/${c}1:${to}` };
    },
  },
  'PATCH /api/connections/:id': {
    needs: 'editConnections', ok: 200, outOfScope: 404,
    make: async (c) => {
      const to = await server(c);
      expect((await call('POST', '/api/connections', { from: `${c}1`, to }, FULL, 'root')).status).toBe(201);
      return { method: 'PATCH', path: `/api/connections/${c}1:${to}`, body: { type: 'http' } };
    },
  },
  // What alice itself deleted a moment ago (with every flag): undo needs the delete's flag and the scope again.
  'POST /api/undo': {
    needs: 'editConnections', ok: 200, outOfScope: 404,
    make: async (c) => {
      const to = await server(c);
      expect((await call('POST', '/api/connections', { from: `${c}1`, to }, FULL, 'root')).status).toBe(201);
      expect((await call('DELETE', `/api/connections/${c}1:${to}`, undefined, FULL, 'alice')).status).toBe(204);
      return { method: 'POST', path: '/api/undo', body: { kind: 'connection', ids: [`${c}1:${to}`] } };
    },
  },
  'GET /api/undo': { needs: 'any', ok: 200, outOfScope: 'filtered', make: get('/api/undo') },
  'GET /api/audit': { needs: 'view', ok: 200, outOfScope: 'filtered', make: get('/api/audit') },
  'GET /api/diagnostics': { needs: 'admin', ok: 200, outOfScope: 'all', make: get('/api/diagnostics') },
  'GET /api/logs': { needs: 'admin', ok: 200, outOfScope: 'all', make: get('/api/logs') },
  'GET /api/clusters': { needs: 'view', ok: 200, outOfScope: 'filtered', make: get('/api/clusters') },
  'POST /api/clusters': { needs: 'editClusters', ok: 201, outOfScope: 403, make: async (c) => ({ method: 'POST', path: '/api/clusters', body: { name: clusterName(c) } }) },
  'GET /api/clusters/:name': { needs: 'view', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'GET', path: `/api/clusters/${c}` }) },
  'PATCH /api/clusters/:name': { needs: 'editClusters', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'PATCH', path: `/api/clusters/${c}`, body: { description: fresh('d') } }) },
  'DELETE /api/clusters/:name': {
    needs: 'editClusters', ok: 204, outOfScope: 404,
    make: async (c) => {
      const name = clusterName(c);
      expect((await call('POST', '/api/clusters', { name }, FULL, 'root')).status).toBe(201);
      return { method: 'DELETE', path: `/api/clusters/${name}` };
    },
  },
  'GET /api/layout': { needs: 'view', ok: 200, outOfScope: 'filtered', make: get('/api/layout') },
  'PUT /api/layout': { needs: 'editServers', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'PUT', path: '/api/layout', body: { positions: { [`${c}1`]: { x: n, y: 1 } } } }) },
  // The load balancers have no agent: allowed means a plan whose node says so (invalid).
  'POST /api/clusters/:name/plans': { needs: 'apply', ok: 201, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/clusters/${c}/plans` }) },
  'GET /api/clusters/:name/lb-status': { needs: 'view', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'GET', path: `/api/clusters/${c}/lb-status` }) },
  'GET /api/plans/:id': { needs: 'view', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'GET', path: `/api/plans/${await plan(c)}` }) },
  // Allowed means the hub looked at the plan: one whose node has no agent is refused (409).
  'POST /api/plans/:id/apply': { needs: 'apply', ok: 409, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/plans/${await plan(c)}/apply` }) },
  'GET /api/stats': { needs: 'view', ok: 200, outOfScope: 'filtered', make: get('/api/stats') },
  'GET /api/alert-rules': { needs: 'view', ok: 200, outOfScope: 'filtered', make: get('/api/alert-rules') },
  'POST /api/alert-rules': { needs: 'editClusters', ok: 201, outOfScope: 403, make: async (c) => ({ method: 'POST', path: '/api/alert-rules', body: { name: 'r', metric: 'cpu', threshold: 90, forSeconds: 5, actions: [], scope: [c] } }) },
  'PUT /api/alert-rules/:id': { needs: 'editClusters', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'PUT', path: `/api/alert-rules/rule-${c}`, body: { name: fresh('r'), metric: 'cpu', threshold: 90, forSeconds: 5, actions: [], scope: [c] } }) },
  'DELETE /api/alert-rules/:id': {
    needs: 'editClusters', ok: 204, outOfScope: 404,
    make: async (c) => {
      const id = fresh('rule');
      expect((await call('POST', '/api/alert-rules', { id, name: 'r', metric: 'cpu', threshold: 90, forSeconds: 5, actions: [], scope: [c] }, FULL, 'root')).status).toBe(201);
      return { method: 'DELETE', path: `/api/alert-rules/${id}` };
    },
  },
  'GET /api/alerts': { needs: 'view', ok: 200, outOfScope: 'filtered', make: get('/api/alerts') },
  'GET /api/export': { needs: 'exportImport', ok: 200, outOfScope: 'filtered', make: get('/api/export') },
  'POST /api/import': {
    needs: 'exportImport', ok: 200, outOfScope: 'all',
    make: async () => ({ method: 'POST', path: '/api/import', body: (await call('GET', '/api/export', undefined, FULL, 'root')).body }),
  },
  'GET /api/backup': { needs: 'admin', ok: 200, outOfScope: 'all', make: get('/api/backup') },
  'POST /api/restore': { needs: 'admin', ok: 200, outOfScope: 'all', make: async () => ({ method: 'POST', path: '/api/restore', body: (await call('GET', '/api/backup', undefined, FULL, 'root')).body }) },
  'GET /api/users': { needs: 'admin', ok: 200, outOfScope: 'all', make: get('/api/users') },
  'POST /api/users': { needs: 'admin', ok: 201, outOfScope: 'all', make: async () => ({ method: 'POST', path: '/api/users', body: { name: fresh('u'), password: 'password-123', acl: { ...Object.fromEntries(ACL_FLAGS.map((f) => [f, false])), scope: '*' } } }) },
  'PATCH /api/users/:name': { needs: 'admin', ok: 200, outOfScope: 'all', make: async () => ({ method: 'PATCH', path: '/api/users/admin', body: { password: fresh('password-') } }) },
  'DELETE /api/users/:name': {
    needs: 'admin', ok: 204, outOfScope: 'all',
    make: async () => {
      const name = fresh('u');
      expect((await call('POST', '/api/users', { name, password: 'password-123', acl: { ...Object.fromEntries(ACL_FLAGS.map((f) => [f, false])), scope: '*' } }, FULL, 'root')).status).toBe(201);
      return { method: 'DELETE', path: `/api/users/${name}` };
    },
  },
  'GET /api/api-tokens': { needs: 'any', ok: 200, outOfScope: 'filtered', make: get('/api/api-tokens') },
  'POST /api/api-tokens': { needs: 'any', ok: 201, outOfScope: 'filtered', make: async () => ({ method: 'POST', path: '/api/api-tokens', body: { name: 't' } }) },
  'DELETE /api/api-tokens/:id': {
    needs: 'any', ok: 204, outOfScope: 'filtered',
    // alice's own token: any user may revoke its own.
    make: async () => ({ method: 'DELETE', path: `/api/api-tokens/${((await call('POST', '/api/api-tokens', { name: 't' }, acl([]), 'alice')).body as { id: string }).id}` }),
  },
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uc-acl-'));
  socket = join(dir, 'gateway.sock');
  hub = await startHub({ ...configFromEnv({}, { uiRoot: dir, dataDir: dir }), httpPort: 0, agentPort: 0, adminPassword: 'admin-password-1', gatewaySocket: socket }, () => {});
  for (const c of ['a', 'b'] as const) {
    expect((await call('POST', '/api/servers', { id: `${c}1`, name: `${c}1`, type: 'web', ip: '10.0.0.1' }, FULL, 'root')).status).toBe(201);
    expect((await call('POST', '/api/servers', { id: `${c}lb`, name: `${c}lb`, type: 'loadbalancer', ip: '10.0.0.3' }, FULL, 'root')).status).toBe(201);
    const loadBalancer = { frontends: [{ name: 'www', port: 80 }] };
    expect((await call('POST', '/api/clusters', { name: c, servers: [`${c}1`, `${c}lb`], loadBalancer }, FULL, 'root')).status).toBe(201);
    expect((await call('POST', '/api/alert-rules', { id: `rule-${c}`, name: 'r', metric: 'cpu', threshold: 90, forSeconds: 5, actions: [], scope: [c] }, FULL, 'root')).status).toBe(201);
  }
});
afterAll(async () => {
  await hub.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('every route of the hub is in the matrix', async () => {
  const { apiRouter, PUBLIC } = await import('./api/routes.js');
  const routes = (apiRouter() as unknown as { routes: { method: string; parts: string[] }[] }).routes
    .map((r) => `${r.method} /${r.parts.join('/')}`).filter((r) => !PUBLIC.has(r));
  expect(routes.sort()).toEqual(Object.keys(ENDPOINTS).sort());
});

it('the gateway socket is root-only and a request without the Webmin headers is refused', async () => {
  expect(statSync(socket).mode & 0o777).toBe(0o600);
  expect((await call('GET', '/api/me', undefined, null)).status).toBe(401);
  expect((await call('GET', '/api/me', undefined, { view: 'yes', clusters: '*' })).status).toBe(400);
});

/** Sends `r` as `who`; a refusal must change nothing. */
async function attempt(r: Req, who: WebminAcl) {
  const before = hub.svc.store.state;
  const res = await call(r.method, r.path, r.body, who);
  return { ...res, changed: hub.svc.store.state !== before };
}

describe.each(Object.entries(ENDPOINTS))('%s', (_name, e) => {
  const allowedBy = (flags: readonly AclFlag[]) => e.needs === 'any' || (e.needs === 'admin' ? flags.length === ACL_FLAGS.length : flags.includes(e.needs));

  it.each(ACL_FLAGS.map((f) => [f]))('with only "%s"', async (flag) => {
    const res = await attempt(await e.make('a'), acl([flag]));
    if (allowedBy([flag])) expect(res.status, JSON.stringify(res.body)).toBe(e.ok);
    else expect([res.status, res.changed]).toEqual([403, false]);
  });

  it('with no flag, and with every flag but the one it needs', async () => {
    const none = await attempt(await e.make('a'), acl([]));
    if (e.needs === 'any') expect(none.status).toBe(e.ok);
    else expect([none.status, none.changed]).toEqual([403, false]);
    if (e.needs === 'any') return;
    const missing = e.needs === 'admin' ? ACL_FLAGS : [e.needs];
    for (const m of missing) {
      const res = await attempt(await e.make('a'), acl(ACL_FLAGS.filter((f) => f !== m)));
      expect([res.status, res.changed], m).toEqual([403, false]);
    }
  });

  it('with every flag, for all clusters and for cluster "a" only', async () => {
    expect((await attempt(await e.make('b'), FULL)).status).toBe(e.ok);
    const [inReq, outReq] = [await e.make('a'), await e.make('b')];
    const scoped = acl(ACL_FLAGS, ['a', ...inA].join(' '));
    const inScope = await attempt(inReq, scoped);
    const outside = await attempt(outReq, scoped);
    if (e.outOfScope === 'all') {
      expect([inScope.status, inScope.changed, outside.status, outside.changed]).toEqual([403, false, 403, false]);
    } else if (e.outOfScope === 'filtered') {
      expect([inScope.status, outside.status]).toEqual([e.ok, e.ok]);
      expect(JSON.stringify(outside.body)).not.toMatch(/"b1"|"rule-b"|"name":"b"|cluster-b/);
    } else {
      expect(inScope.status, JSON.stringify(inScope.body)).toBe(e.ok);
      expect([outside.status, outside.changed]).toEqual([e.outOfScope, false]);
    }
  });
});
