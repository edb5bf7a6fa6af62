/**
 * Deleting a hub user, or narrowing its ACL, takes effect at once everywhere it is logged in, on
 * a real in-process hub: its open browser sockets, its sessions, its API tokens and the tickets
 * it was given but has not used yet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { waitFor } from '../../test/harness.js';
import { basic, startTestHub, type TestHub } from '../test-hub.js';

let t: TestHub;
const VIEW = { view: true, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false, scope: '*' };

interface Socket { frames: Record<string, unknown>[]; closed(): number | undefined; ws: WebSocket }

/** A browser socket opened with `ticket`; resolves once the hub answered (snapshot or error). */
async function openSocket(ticket: string): Promise<Socket> {
  const ws = new WebSocket(t.wsUrl);
  const frames: Record<string, unknown>[] = [];
  let closed: number | undefined;
  ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Record<string, unknown>));
  ws.on('close', (code) => { closed = code; });
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ v: 1, type: 'auth', ticket }));
  await waitFor('the hub\'s answer', () => frames.length > 0 || closed !== undefined);
  return { frames, closed: () => closed, ws };
}

async function loginAs(name: string): Promise<{ cookie: string; token: string; ticket: () => Promise<string> }> {
  const res = await fetch(`${t.base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: name, password: `password-${name}` }) });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const token = (await t.call<{ token: string }>('POST', '/api/api-tokens', { name: 'script' }, basic(name, `password-${name}`))).body.token;
  const ticket = async () => {
    const r = await fetch(`${t.base}/api/ticket`, { method: 'POST', headers: { cookie, origin: t.base } });
    expect(r.status).toBe(200);
    return ((await r.json()) as { ticket: string }).ticket;
  };
  return { cookie, token, ticket };
}

const asCookie = (cookie: string, path: string) => fetch(t.base + path, { headers: { cookie } });
const serverIds = (frame: Record<string, unknown> | undefined) => ((frame?.['servers'] ?? []) as { id: string }[]).map((s) => s.id).sort();

beforeAll(async () => {
  t = await startTestHub();
  for (const id of ['web1', 'db1']) expect((await t.call('POST', '/api/servers', { id, name: id, type: 'web', ip: '10.0.0.1' })).status).toBe(201);
  expect((await t.call('POST', '/api/clusters', { name: 'team', servers: ['web1'] })).status).toBe(201);
  for (const name of ['bob', 'carol']) expect((await t.call('POST', '/api/users', { name, password: `password-${name}`, acl: VIEW })).status).toBe(201);
});
afterAll(() => t?.stop());

describe('deleting a user', () => {
  it('closes its browser sockets and ends its sessions, API tokens and unused tickets at once', async () => {
    const bob = await loginAs('bob');
    const live = await openSocket(await bob.ticket());
    expect(live.frames[0]).toMatchObject({ type: 'snapshot' });
    const unused = await bob.ticket();
    expect((await t.call('DELETE', '/api/users/bob')).status).toBe(204);
    await waitFor('bob\'s socket to close', () => live.closed() !== undefined);
    // What came after the deletion: at most the error frame that says why, never a delta.
    const after = live.frames.slice(1);
    expect(after.every((f) => f['type'] === 'error')).toBe(true);
    expect((await asCookie(bob.cookie, '/api/me')).status).toBe(401);
    expect((await t.call('GET', '/api/me', undefined, `Bearer ${bob.token}`)).status).toBe(401);
    const late = await openSocket(unused);
    expect(late.frames[0]).toMatchObject({ type: 'error', code: 'unauthorized' });
    await waitFor('the late socket to close', () => late.closed() !== undefined);
  });
});

describe('narrowing a user\'s ACL', () => {
  it('takes effect on its live socket, its session, its tokens and its unused tickets', async () => {
    const carol = await loginAs('carol');
    const live = await openSocket(await carol.ticket());
    expect(serverIds(live.frames[0])).toEqual(['db1', 'web1']);
    const unused = await carol.ticket();
    expect((await t.call('PATCH', '/api/users/carol', { acl: { scope: ['team'] } })).status).toBe(200);
    // The socket that saw everything is closed; the browser reconnects and sees only 'team'.
    await waitFor('carol\'s wide socket to close', () => live.closed() !== undefined);
    expect(live.frames.slice(1).every((f) => f['type'] === 'error')).toBe(true);
    const narrowed = await openSocket(unused);
    expect(narrowed.frames[0]).toMatchObject({ type: 'snapshot' });
    expect(serverIds(narrowed.frames[0])).toEqual(['web1']);
    expect((narrowed.frames[0]!['user'] as { acl: unknown }).acl).toMatchObject({ scope: ['team'] });
    narrowed.ws.close();
    expect((await (await asCookie(carol.cookie, '/api/servers')).json() as unknown[]).length).toBe(1);
    expect((await t.call<unknown[]>('GET', '/api/servers', undefined, `Bearer ${carol.token}`)).body).toHaveLength(1);
  });
});
