/**
 * The ACL matrix, through the Webmin gateway socket: every endpoint against every single flag,
 * every flag but the one it needs, no flags, all flags, and a user scoped to cluster "a" acting
 * inside and outside its scope. A refused request answers 403 (404 for a server or rule out of
 * scope) and leaves the state untouched.
 */
import { request } from 'node:http';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadKey } from './backups/envelope.js';
import { backupName } from './backups/state-backup.js';
import { sealStream } from './backups/stream-envelope.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACL_FLAGS } from '../protocol/common.js';
import type { AclFlag } from '../protocol/types.js';
import { configFromEnv } from './config.js';
import { startHub, type RunningHub } from './hub.js';
import { waitFor } from '../test/harness.js';
import { putVirtualServer } from './model/virtual-servers.js';
import { AutoScalingEndpoint } from '../test/aws-autoscaling-endpoint.js';

let hub: RunningHub;
let dir: string;
let socket: string;
const awsCreds = { accessKeyId: 'AKIAUCACLMATRIX00001', secretAccessKey: 'acl-matrix-secret-000000000000000000000' };
const aws = new AutoScalingEndpoint({ region: 'us-east-1', credentials: [awsCreds] });
const binding = { groupName: 'asg', region: 'us-east-1', credentials: awsCreds };
const policy = { min: 1, max: 3, scheduled: [{ name: 'night', cron: '0 22 * * *', timeZone: 'UTC', max: 2 }] };

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

/** As root: a database server outside Galera cluster `cluster` that a user scoped to it still sees (in its spare cluster). */
async function spareDatabase(cluster: 'a' | 'b'): Promise<string> {
  const id = fresh(`d${cluster}`);
  expect((await call('POST', '/api/servers', { id, name: id, type: 'database', ip: '10.0.0.4' }, FULL, 'root')).status).toBe(201);
  expect((await call('PATCH', `/api/clusters/${cluster}-spare`, { addServers: [id] }, FULL, 'root')).status).toBe(200);
  return id;
}

/** As root: a Galera plan of cluster `cluster` (no agent answers, so it cannot be applied). */
async function galeraPlan(cluster: 'a' | 'b'): Promise<string> {
  const made = await call('POST', `/api/clusters/${cluster}/galera/plan`, undefined, FULL, 'root');
  expect(made.status).toBe(201);
  return (made.body as { id: string }).id;
}

/** As root: a fresh plan for cluster `cluster` (each can be applied once). */
async function plan(cluster: 'a' | 'b'): Promise<string> {
  const made = await call('POST', `/api/clusters/${cluster}/plans`, undefined, FULL, 'root');
  expect(made.status).toBe(201);
  return (made.body as { id: string }).id;
}

/**
 * As root: an operation of cluster `cluster` that waits for an answer (one per cluster at a time,
 * so the one still waiting is reused and one still running is let finish first).
 */
async function waitingOperation(cluster: 'a' | 'b'): Promise<string> {
  const ops = hub.svc.operations;
  const busy = ops.current(cluster);
  if (busy?.state === 'waiting') return busy.id;
  if (busy) await ops.finished(busy.id);
  const op = await ops.start({ cluster, kind: 'test.ask', title: 'asks', flag: 'apply', steps: [{ action: 'ask', title: 'ask' }] }, 'root', (_s, ctx) => ctx.confirm('go on?'));
  await waitFor(`operation ${op.id} to ask`, () => ops.get(op.id).state === 'waiting');
  // …and its question written: a refused request must find the state still.
  await waitFor(`operation ${op.id}'s question to be saved`, () => hub.svc.store.state.operations?.find((o) => o.id === op.id)?.state === 'waiting');
  return op.id;
}

/**
 * As root: a virtual server on cluster `cluster`, put straight into the state (a real setup needs
 * load balancers with agents: agent/test/virtual-servers.test.ts does that). With `web`, its host
 * rules are on the cluster; without, only a database the delete is told to keep.
 */
async function virtualServer(cluster: 'a' | 'b', web = true): Promise<string> {
  const id = fresh(`vs${cluster}`);
  const part = web ? { web: { cluster, status: 'ready' as const } } : { database: { cluster, name: 'db', user: 'u', status: 'ready' as const } };
  await hub.svc.store.update((s) => putVirtualServer(s, { id, domain: `${id}.cluster-${cluster}.example.com`, aliases: [], state: 'active', createdBy: 'root', createdAt: '', ...part }));
  return id;
}

/** As root: a database backup of cluster `cluster`, sealed with the hub's backup key as the hub writes one. */
async function sealedBackup(cluster: 'a' | 'b'): Promise<string> {
  const name = backupName('', new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ++n)));
  const at = join(dir, 'backups', 'galera', cluster);
  mkdirSync(at, { recursive: true });
  await pipeline(Readable.from([Buffer.from('not really a mariabackup stream')]), sealStream(await loadKey(join(dir, 'backup.key'), true), 'galera', { cluster, node: `${cluster}db` }), createWriteStream(join(at, name), { mode: 0o600 }));
  return name;
}

interface Req { method: string; path: string; body?: unknown }
/** `user`: the Webmin user sending it (default alice). */
interface Req { method: string; path: string; body?: unknown; user?: string }

/**
 * API tokens are minted and revoked as their own Webmin user: a Webmin user's tokens lose what
 * its later requests show it lost (a write), and alice's refusals must change nothing.
 */
const TOKEN_OWNER = 'tokens-owner';
interface Endpoint {
  /** The flag(s) it needs; "any" for every logged-in user, "admin" for every flag and scope "*". */
  needs: AclFlag | AclFlag[] | 'any' | 'admin';
  /** Builds the request on cluster `c`'s resources (made fresh where the request changes them). */
  make(c: 'a' | 'b'): Promise<Req>;
  /** The answer when allowed. */
  ok: number;
  /** A user scoped to "a": what it gets on cluster b's resource ('filtered': 200 without them; 'all': needs scope "*"). */
  outOfScope: 403 | 404 | 'filtered' | 'all';
}

const get = (path: string) => async (): Promise<Req> => ({ method: 'GET', path });
const get2 = (path: (c: 'a' | 'b') => string) => async (c: 'a' | 'b'): Promise<Req> => ({ method: 'GET', path: path(c) });
const post = (path: (c: 'a' | 'b') => string, body?: (c: 'a' | 'b') => unknown) => async (c: 'a' | 'b'): Promise<Req> => ({ method: 'POST', path: path(c), ...(body ? { body: body(c) } : {}) });
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
  'GET /api/clusters/:name/scaling': { needs: 'scale', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'GET', path: `/api/clusters/${c}/scaling` }) },
  'POST /api/clusters/:name/scaling/policy': { needs: 'scale', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/clusters/${c}/scaling/policy`, body: { ...policy, max: 2 + (n++ % 2) } }) },
  'DELETE /api/clusters/:name/scaling/policy': {
    needs: 'scale', ok: 204, outOfScope: 404,
    make: async (c) => {
      const name = clusterName(c);
      expect((await call('POST', '/api/clusters', { name }, FULL, 'root')).status).toBe(201);
      expect((await call('POST', `/api/clusters/${name}/scaling/policy`, { min: 1, max: 2 }, FULL, 'root')).status).toBe(200);
      return { method: 'DELETE', path: `/api/clusters/${name}/scaling/policy` };
    },
  },
  'POST /api/clusters/:name/scaling/binding': { needs: 'scale', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/clusters/${c}/scaling/binding`, body: binding }) },
  'DELETE /api/clusters/:name/scaling/binding': {
    needs: 'scale', ok: 204, outOfScope: 404,
    make: async (c) => {
      const name = clusterName(c);
      expect((await call('POST', '/api/clusters', { name }, FULL, 'root')).status).toBe(201);
      expect((await call('POST', `/api/clusters/${name}/scaling/binding`, binding, FULL, 'root')).status).toBe(200);
      return { method: 'DELETE', path: `/api/clusters/${name}/scaling/binding` };
    },
  },
  // A join token: `enroll` too.
  'POST /api/clusters/:name/scaling/user-data': { needs: ['scale', 'enroll'], ok: 201, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/clusters/${c}/scaling/user-data`, body: {} }) },
  'POST /api/clusters/:name/scaling/protection': { needs: 'scale', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/clusters/${c}/scaling/protection`, body: { serverId: `${c}1`, protected: n++ % 2 === 0 } }) },
  // Not bound: allowed means the hub looked at the binding (409).
  'POST /api/clusters/:name/scaling/preview': {
    needs: 'scale', ok: 409, outOfScope: 404,
    make: async (c) => {
      const name = clusterName(c);
      expect((await call('POST', '/api/clusters', { name }, FULL, 'root')).status).toBe(201);
      expect((await call('POST', `/api/clusters/${name}/scaling/policy`, { min: 1, max: 2 }, FULL, 'root')).status).toBe(200);
      return { method: 'POST', path: `/api/clusters/${name}/scaling/preview` };
    },
  },
  'POST /api/clusters/:name/scaling/scale-in': {
    needs: 'scale', ok: 409, outOfScope: 404,
    make: async (c) => {
      const name = clusterName(c);
      expect((await call('POST', '/api/clusters', { name }, FULL, 'root')).status).toBe(201);
      return { method: 'POST', path: `/api/clusters/${name}/scaling/scale-in`, body: { dryRun: true } };
    },
  },
  'GET /api/schedules': { needs: 'view', ok: 200, outOfScope: 'filtered', make: get('/api/schedules') },
  'PATCH /api/schedules/:id': { needs: 'admin', ok: 200, outOfScope: 'all', make: async () => ({ method: 'PATCH', path: '/api/schedules/state-backup', body: { keep: 1 + (n++ % 9) } }) },
  'POST /api/schedules/:id/run': { needs: 'scale', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/schedules/capacity:${c}:night/run` }) },
  'GET /api/layout': { needs: 'view', ok: 200, outOfScope: 'filtered', make: get('/api/layout') },
  'PATCH /api/layout': { needs: 'editServers', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'PATCH', path: '/api/layout', body: { positions: { [`${c}1`]: { x: n, y: 1 } } } }) },
  'PUT /api/layout': { needs: 'editServers', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'PUT', path: '/api/layout', body: { positions: { [`${c}1`]: { x: n, y: 1 } } } }) },
  // The load balancers have no agent: allowed means a plan whose node says so (invalid).
  'POST /api/clusters/:name/plans': { needs: 'apply', ok: 201, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/clusters/${c}/plans` }) },
  'GET /api/clusters/:name/lb-status': { needs: 'view', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'GET', path: `/api/clusters/${c}/lb-status` }) },
  'GET /api/plans/:id': { needs: 'view', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'GET', path: `/api/plans/${await plan(c)}` }) },
  // Allowed means the hub looked at the plan: one whose node has no agent is refused (409).
  'POST /api/plans/:id/apply': { needs: 'apply', ok: 409, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/plans/${await plan(c)}/apply` }) },
  'GET /api/clusters/:name/galera': { needs: 'view', ok: 200, outOfScope: 404, make: get2((c) => `/api/clusters/${c}/galera`) },
  // No agent is connected: a plan whose nodes say so; applying it, removing the only node, a rolling
  // restart and the databases are refused (409) once the hub looked; add and recover start operations that fail.
  'POST /api/clusters/:name/galera/plan': { needs: 'apply', ok: 201, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/clusters/${c}/galera/plan` }) },
  'POST /api/clusters/:name/galera/apply': { needs: 'apply', ok: 409, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/clusters/${c}/galera/apply`, body: { planId: await galeraPlan(c) } }) },
  'POST /api/clusters/:name/galera/nodes': { needs: 'apply', ok: 202, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/clusters/${c}/galera/nodes`, body: { serverId: await spareDatabase(c) } }) },
  'DELETE /api/clusters/:name/galera/nodes/:id': { needs: 'apply', ok: 409, outOfScope: 404, make: async (c) => ({ method: 'DELETE', path: `/api/clusters/${c}/galera/nodes/${c}db` }) },
  'POST /api/clusters/:name/galera/rolling-restart': { needs: 'apply', ok: 409, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/clusters/${c}/galera/rolling-restart` }) },
  'POST /api/clusters/:name/galera/recover': { needs: 'apply', ok: 202, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/clusters/${c}/galera/recover` }) },
  'GET /api/clusters/:name/galera/backups': { needs: 'view', ok: 200, outOfScope: 404, make: get2((c) => `/api/clusters/${c}/galera/backups`) },
  // No node is Synced (no agent): allowed means the hub looked for one.
  'POST /api/clusters/:name/galera/backups': { needs: 'apply', ok: 409, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/clusters/${c}/galera/backups` }) },
  // Starts the restore operation (its first step finds the node's agent away).
  'POST /api/clusters/:name/galera/restore': { needs: 'apply', ok: 202, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/clusters/${c}/galera/restore`, body: { backup: await sealedBackup(c), serverId: `${c}db` } }) },
  'POST /api/clusters/:name/galera/databases': { needs: 'apply', ok: 409, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/clusters/${c}/galera/databases`, body: { name: 'shop', user: 'shop', password: 'shop-password' } }) },
  'DELETE /api/clusters/:name/galera/databases/:db': { needs: 'apply', ok: 409, outOfScope: 404, make: async (c) => ({ method: 'DELETE', path: `/api/clusters/${c}/galera/databases/shop` }) },
  'GET /api/clusters/:name/operations': { needs: 'view', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'GET', path: `/api/clusters/${c}/operations` }) },
  'GET /api/operations/:id': { needs: 'view', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'GET', path: `/api/operations/${await waitingOperation(c)}` }) },
  'POST /api/operations/:id/confirm': { needs: 'apply', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/operations/${await waitingOperation(c)}/confirm` }) },
  'POST /api/operations/:id/cancel': { needs: 'apply', ok: 202, outOfScope: 404, make: async (c) => ({ method: 'POST', path: `/api/operations/${await waitingOperation(c)}/cancel` }) },
  // The clusters' Gluster role has no filesystem server: allowed means the hub planned and refused (400) or
  // looked for a connected one (409).
  'GET /api/clusters/:name/gluster': { needs: 'view', ok: 200, outOfScope: 404, make: get2((c) => `/api/clusters/${c}/gluster`) },
  'POST /api/clusters/:name/gluster/plan': { needs: 'apply', ok: 200, outOfScope: 404, make: post((c) => `/api/clusters/${c}/gluster/plan`) },
  'POST /api/clusters/:name/gluster/apply': { needs: 'apply', ok: 400, outOfScope: 404, make: post((c) => `/api/clusters/${c}/gluster/apply`) },
  'POST /api/clusters/:name/gluster/expand': { needs: 'apply', ok: 400, outOfScope: 404, make: post((c) => `/api/clusters/${c}/gluster/expand`, (c) => ({ volume: 'vol0', servers: [`${c}1`, `${c}lb`, `${c}1`] })) },
  'POST /api/clusters/:name/gluster/replace': { needs: 'apply', ok: 400, outOfScope: 404, make: post((c) => `/api/clusters/${c}/gluster/replace`, (c) => ({ from: `${c}1`, to: `${c}lb` })) },
  'POST /api/clusters/:name/gluster/remove-peer': { needs: 'apply', ok: 400, outOfScope: 404, make: post((c) => `/api/clusters/${c}/gluster/remove-peer`, (c) => ({ serverId: `${c}1` })) },
  'POST /api/clusters/:name/gluster/split-brain': { needs: 'apply', ok: 400, outOfScope: 404, make: post((c) => `/api/clusters/${c}/gluster/split-brain`, () => ({ volume: 'vol0', file: '/f', choice: 'bigger-file' })) },
  'POST /api/clusters/:name/gluster/directories': { needs: 'apply', ok: 409, outOfScope: 404, make: post((c) => `/api/clusters/${c}/gluster/directories`, () => ({ path: 'example.com/public_html' })) },
  'POST /api/clusters/:name/gluster/mounts': { needs: 'apply', ok: 400, outOfScope: 404, make: post((c) => `/api/clusters/${c}/gluster/mounts`, (c) => ({ servers: [`${c}1`] })) },
  'GET /api/stats': { needs: 'view', ok: 200, outOfScope: 'filtered', make: get('/api/stats') },
  'GET /api/alert-rules': { needs: 'view', ok: 200, outOfScope: 'filtered', make: get('/api/alert-rules') },
  'POST /api/alert-rules': { needs: 'editClusters', ok: 201, outOfScope: 403, make: async (c) => ({ method: 'POST', path: '/api/alert-rules', body: { name: 'r', metric: 'cpu', threshold: 90, forSeconds: 5, actions: [], scope: [c] } }) },
  'PATCH /api/alert-rules/:id': { needs: 'editClusters', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'PATCH', path: `/api/alert-rules/rule-${c}`, body: { name: fresh('r') } }) },
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
  'POST /api/api-tokens': { needs: 'any', ok: 201, outOfScope: 'filtered', make: async () => ({ method: 'POST', path: '/api/api-tokens', body: { name: 't' }, user: TOKEN_OWNER }) },
  'DELETE /api/api-tokens/:id': {
    needs: 'any', ok: 204, outOfScope: 'filtered',
    // The user's own token: any user may revoke its own.
    make: async () => ({
      method: 'DELETE', user: TOKEN_OWNER,
      path: `/api/api-tokens/${((await call('POST', '/api/api-tokens', { name: 't' }, acl([]), TOKEN_OWNER)).body as { id: string }).id}`,
    }),
  },
  'GET /api/virtual-servers': { needs: 'view', ok: 200, outOfScope: 'filtered', make: async (c) => { await virtualServer(c); return { method: 'GET', path: '/api/virtual-servers' }; } },
  'GET /api/virtual-servers/:id': { needs: 'view', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'GET', path: `/api/virtual-servers/${await virtualServer(c)}` }) },
  // Changes nothing: whether the cluster can take virtual servers (a server template's check).
  'POST /api/virtual-servers/check': { needs: 'view', ok: 200, outOfScope: 404, make: async (c) => ({ method: 'POST', path: '/api/virtual-servers/check', body: { web: c } }) },
  // The load balancers have no agent: allowed means the hub tried the web step (502, nothing set up).
  'POST /api/virtual-servers': { needs: 'apply', ok: 502, outOfScope: 404, make: async (c) => ({ method: 'POST', path: '/api/virtual-servers', body: { domain: `${fresh('new')}.example.com`, web: c } }) },
  'PATCH /api/virtual-servers/:id': { needs: 'apply', ok: 502, outOfScope: 404, make: async (c) => ({ method: 'PATCH', path: `/api/virtual-servers/${await virtualServer(c)}`, body: { state: 'disabled' } }) },
  'DELETE /api/virtual-servers/:id': { needs: 'apply', ok: 204, outOfScope: 404, make: async (c) => ({ method: 'DELETE', path: `/api/virtual-servers/${await virtualServer(c, false)}?keep=database` }) },
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uc-acl-'));
  socket = join(dir, 'gateway.sock');
  await aws.start();
  await aws.createGroup({ name: 'asg', min: 1, max: 4, desired: 1 });
  hub = await startHub({ ...configFromEnv({}, { uiRoot: dir, dataDir: dir }), httpPort: 0, agentPort: 0, adminPassword: 'admin-password-1', gatewaySocket: socket, awsEndpoint: aws.url }, () => {});
  // Nothing may write the state on its own while a refused request is checked for changing nothing.
  for (const id of ['state-backup', 'health-sweep']) expect((await call('PATCH', `/api/schedules/${id}`, { enabled: false }, FULL, 'root')).status).toBe(200);
  for (const c of ['a', 'b'] as const) {
    expect((await call('POST', '/api/servers', { id: `${c}1`, name: `${c}1`, type: 'web', ip: '10.0.0.1' }, FULL, 'root')).status).toBe(201);
    expect((await call('POST', '/api/servers', { id: `${c}lb`, name: `${c}lb`, type: 'loadbalancer', ip: '10.0.0.3' }, FULL, 'root')).status).toBe(201);
    expect((await call('POST', '/api/servers', { id: `${c}db`, name: `${c}db`, type: 'database', ip: '10.0.0.5' }, FULL, 'root')).status).toBe(201);
    const loadBalancer = { frontends: [{ name: 'www', port: 80 }] };
    const gluster = { volumes: [{ name: 'vol0' }] };
    expect((await call('POST', '/api/clusters', { name: c, servers: [`${c}1`, `${c}lb`, `${c}db`], loadBalancer, galera: {}, gluster }, FULL, 'root')).status).toBe(201);
    if (c === 'a') inA.push('a-spare');
    expect((await call('POST', '/api/clusters', { name: `${c}-spare` }, FULL, 'root')).status).toBe(201);
    expect((await call('POST', '/api/alert-rules', { id: `rule-${c}`, name: 'r', metric: 'cpu', threshold: 90, forSeconds: 5, actions: [], scope: [c] }, FULL, 'root')).status).toBe(201);
    expect((await call('POST', `/api/clusters/${c}/scaling/policy`, policy, FULL, 'root')).status).toBe(200);
  }
});
afterAll(async () => {
  await hub.stop();
  await aws.stop();
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
  // An operation answered or cancelled by an earlier request writes its end in the background.
  for (const c of ['a', 'b']) {
    const busy = hub.svc.operations.current(c);
    if (busy && busy.state !== 'waiting') await hub.svc.operations.finished(busy.id);
  }
  const before = hub.svc.store.state;
  const res = await call(r.method, r.path, r.body, who, r.user);
  return { ...res, changed: hub.svc.store.state !== before };
}

describe.each(Object.entries(ENDPOINTS))('%s', (_name, e) => {
  const needs = typeof e.needs === 'string' && (e.needs === 'any' || e.needs === 'admin') ? e.needs : ([] as AclFlag[]).concat(e.needs);
  const allowedBy = (flags: readonly AclFlag[]) => needs === 'any' || (needs === 'admin' ? flags.length === ACL_FLAGS.length : needs.every((f) => flags.includes(f)));

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
    const missing = needs === 'admin' ? ACL_FLAGS : needs as AclFlag[];
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
      expect(JSON.stringify(outside.body)).not.toMatch(/"b1"|"rule-b"|"name":"b"|"cluster":"b"|cluster-b/);
    } else {
      expect(inScope.status, JSON.stringify(inScope.body)).toBe(e.ok);
      expect([outside.status, outside.changed]).toEqual([e.outOfScope, false]);
    }
  });
});
