/**
 * Login sessions survive a hub restart, on a real in-process hub restarted on the same data
 * directory: kept root-only and only as hashes, with their expiry; a logout or a deleted user
 * still ends them, across the restart too.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../test-hub.js';

const dir = mkdtempSync(join(tmpdir(), 'uc-sessions-'));
let t: TestHub;
const VIEW = { view: true, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false, scope: '*' };

async function login(name: string, password: string): Promise<string> {
  const res = await fetch(`${t.base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: name, password }) });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}
const me = async (cookie: string) => (await fetch(`${t.base}/api/me`, { headers: { cookie } })).status;
const restart = async () => {
  await t.stop();
  t = await startTestHub({ dataDir: dir });
};

beforeAll(async () => {
  t = await startTestHub({ dataDir: dir });
  expect((await t.call('POST', '/api/users', { name: 'bob', password: 'password-bob', acl: VIEW })).status).toBe(201);
});
afterAll(async () => {
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('sessions', () => {
  it('survive a restart, kept root-only and hashed', async () => {
    const admin = await login('admin', 'admin-password-1');
    const bob = await login('bob', 'password-bob');
    await restart();
    expect(await me(admin)).toBe(200);
    expect(await me(bob)).toBe(200);
    const file = join(dir, 'sessions.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    for (const cookie of [admin, bob]) expect(text).not.toContain(cookie.split('=')[1]);
  });

  it('end with a logout and with their user, across a restart too', async () => {
    const admin = await login('admin', 'admin-password-1');
    const bob = await login('bob', 'password-bob');
    const out = await fetch(`${t.base}/api/logout`, { method: 'POST', headers: { cookie: admin, origin: t.base } });
    expect(out.status).toBe(204);
    expect((await t.call('DELETE', '/api/users/bob')).status).toBe(204);
    await restart();
    expect(await me(admin)).toBe(401);
    expect(await me(bob)).toBe(401);
  });
});
