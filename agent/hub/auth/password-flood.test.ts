/**
 * Password guessing against a real in-process hub over real HTTP: Basic credentials meet the same
 * brute-force limits as POST /api/login, and a flood of wrong guesses from one address is refused
 * at once instead of queueing scrypt work, so a real user from elsewhere still logs in.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, basic, startTestHub, type TestHub } from '../test-hub.js';

let t: TestHub;
const FLOOD = 200;

/** One request on its own connection, from `from` (a loopback address). */
function send(method: string, path: string, headers: Record<string, string>, body?: string, from = '127.0.0.1'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: t.hub.httpPort, method, path, headers, localAddress: from, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const login = (username: string, password: string, from?: string) =>
  send('POST', '/api/login', { 'content-type': 'application/json' }, JSON.stringify({ username, password }), from);

beforeAll(async () => {
  t = await startTestHub();
  const acl = { view: true, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false, scope: '*' };
  expect((await t.call('POST', '/api/users', { name: 'ops', password: 'password-ops', acl })).status).toBe(201);
});
afterAll(() => t?.stop());

describe('password guessing', () => {
  it('200 concurrent wrong Basic guesses: the excess is refused at once, a real login from elsewhere succeeds', async () => {
    const guesses = Array.from({ length: FLOOD }, (_, i) => send('GET', '/api/servers', { authorization: basic('admin', `wrong-${i}`) }));
    const real = login('ops', 'password-ops', '127.0.0.2');
    const [answers, mine] = await Promise.all([Promise.all(guesses), real]);
    expect(mine.status).toBe(200);
    const count = (s: number) => answers.filter((a) => a.status === s).length;
    // Only a few guesses were checked at all (each check is a 401); the rest were turned away unchecked.
    expect(count(401)).toBeLessThanOrEqual(16);
    expect(count(429) + count(503)).toBeGreaterThanOrEqual(FLOOD - 16);
    expect(count(401) + count(429) + count(503)).toBe(FLOOD);
    expect(answers.find((a) => a.status === 429)?.text).toMatch(/too_many_attempts/);
  });

  it('Basic guesses lock the client and user out like failed logins do, for Basic and /api/login alike', async () => {
    for (let i = 0; i < 12; i++) await send('GET', '/api/me', { authorization: basic('ops', `nope-${i}`) }, undefined, '127.0.0.3');
    expect((await send('GET', '/api/me', { authorization: basic('ops', 'password-ops') }, undefined, '127.0.0.3')).status).toBe(429);
    expect((await login('ops', 'password-ops', '127.0.0.3')).status).toBe(429);
    // Another address, or another user from that address, is not locked out.
    expect((await send('GET', '/api/me', { authorization: basic('ops', 'password-ops') }, undefined, '127.0.0.4')).status).toBe(200);
    expect((await send('GET', '/api/me', { authorization: basic('admin', ADMIN_PASSWORD) }, undefined, '127.0.0.3')).status).toBe(200);
  });

  it('many concurrent requests with the same right credentials cost one check, and all succeed', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => send('GET', '/api/me', { authorization: basic('ops', 'password-ops') }, undefined, '127.0.0.5')));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
  });
});
