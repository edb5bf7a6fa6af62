/** PUT/GET /api/layout against a real in-process hub: merge, forget, ACL, scope, all or nothing. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningHub, startHub } from '../hub.js';
import { DEFAULT_THRESHOLDS } from '../live/status.js';

let hub: RunningHub;
let dir: string;
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const ADMIN = basic('admin', 'admin-password-1');

async function call(method: string, path: string, body?: unknown, auth = ADMIN) {
  const res = await fetch(`http://127.0.0.1:${hub.httpPort}${path}`, {
    method, headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
const stored = () => JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).layout;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uc-layout-'));
  hub = await startHub({ dataDir: dir, httpHost: '127.0.0.1', httpPort: 0, agentHost: '127.0.0.1', agentPort: 0, adminPassword: 'admin-password-1', uiRoot: dir, thresholds: DEFAULT_THRESHOLDS, agentTlsNames: [] }, () => {});
  for (const id of ['a', 'b', 'c']) expect((await call('POST', '/api/servers', { id, name: id, type: 'web', ip: '10.0.0.1' })).status).toBe(201);
  expect((await call('POST', '/api/clusters', { name: 'mine', servers: ['a'] })).status).toBe(201);
  const none = { view: false, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false };
  expect((await call('POST', '/api/users', { name: 'reader', password: 'password-reader', acl: { ...none, view: true, scope: '*' } })).status).toBe(201);
  expect((await call('POST', '/api/users', { name: 'scoped', password: 'password-scoped', acl: { ...none, view: true, editServers: true, scope: ['mine'] } })).status).toBe(201);
});
afterAll(async () => {
  await hub.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('/api/layout', () => {
  it('merges dragged positions, persists them, and forgets one given null', async () => {
    expect(await call('PATCH', '/api/layout', { positions: { a: { x: 1.5, y: -2 }, b: { x: 3, y: 4 } } })).toEqual({ status: 200, body: { a: { x: 1.5, y: -2 }, b: { x: 3, y: 4 } } });
    expect(await call('PATCH', '/api/layout', { positions: { b: null, c: { x: 0, y: 0 } } })).toEqual({ status: 200, body: { a: { x: 1.5, y: -2 }, c: { x: 0, y: 0 } } });
    expect(stored()).toEqual({ a: { x: 1.5, y: -2 }, c: { x: 0, y: 0 } });
    expect((await call('GET', '/api/layout')).body).toEqual(stored());
  });

  it('still takes PUT, as before PATCH, on the hub\'s own port', async () => {
    const before = stored();
    expect(await call('PUT', '/api/layout', { positions: { b: { x: 2, y: 2 } } })).toEqual({ status: 200, body: { ...before, b: { x: 2, y: 2 } } });
    expect((await call('PATCH', '/api/layout', { positions: { b: null } })).body).toEqual(before);
  });

  it('refuses bad bodies and unknown servers, changing nothing', async () => {
    const before = stored();
    const bad = await call('PATCH', '/api/layout', { positions: { a: { x: 'left', y: 0 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/positions\/a/);
    expect((await call('PATCH', '/api/layout', { positions: {} })).status).toBe(400);
    const ghost = await call('PATCH', '/api/layout', { positions: { a: { x: 9, y: 9 }, ghost: { x: 1, y: 1 } } });
    expect(ghost).toMatchObject({ status: 404, body: { error: { message: "no server with id 'ghost'" } } });
    expect(stored()).toEqual(before);
  });

  it('needs "edit servers", and a scoped user sees and moves only its own servers', async () => {
    expect((await call('PATCH', '/api/layout', { positions: { a: { x: 0, y: 1 } } }, basic('reader', 'password-reader'))).status).toBe(403);
    expect((await call('GET', '/api/layout', undefined, basic('reader', 'password-reader'))).status).toBe(200);
    const scoped = basic('scoped', 'password-scoped');
    expect((await call('GET', '/api/layout', undefined, scoped)).body).toEqual({ a: { x: 1.5, y: -2 } });
    expect((await call('PATCH', '/api/layout', { positions: { c: { x: 5, y: 5 } } }, scoped)).status).toBe(404);
    expect(await call('PATCH', '/api/layout', { positions: { a: { x: 7, y: 7 } } }, scoped)).toEqual({ status: 200, body: { a: { x: 7, y: 7 } } });
    expect(stored()).toEqual({ a: { x: 7, y: 7 }, c: { x: 0, y: 0 } });
  });
});
