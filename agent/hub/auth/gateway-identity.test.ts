/**
 * Webmin users and the hub's own users are different people, on a real in-process hub with its
 * gateway socket: a Webmin user named like a hub user gets nothing of that hub user's, and an
 * API token minted through the gateway carries the Webmin user's ACL, never more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, webminAcl, type TestHub } from '../test-hub.js';

let t: TestHub;
const bearer = (token: string) => `Bearer ${token}`;
const VIEW_ONLY = webminAcl(['view']);
const FULL_HUB = { view: true, editServers: true, editConnections: true, editClusters: true, apply: true, scale: true, enroll: true, exportImport: true, scope: '*' };

beforeAll(async () => {
  t = await startTestHub({ gateway: true });
  expect((await t.call('POST', '/api/servers', { id: 'web1', name: 'web1', type: 'web', ip: '10.0.0.1' })).status).toBe(201);
  expect((await t.call('POST', '/api/clusters', { name: 'team', servers: ['web1'] })).status).toBe(201);
});
afterAll(() => t?.stop());

async function mintThroughGateway(user: string, acl: Record<string, string>): Promise<{ id: string; token: string }> {
  const made = await t.gateway<{ id: string; token: string }>('POST', '/api/api-tokens', user, acl, { name: `${user}-script` });
  expect(made.status).toBe(201);
  return made.body;
}

describe('an API token minted through the Webmin gateway', () => {
  it('carries the Webmin user\'s ACL, not the rights of the hub user of the same name', async () => {
    const { token } = await mintThroughGateway('admin', VIEW_ONLY);
    const me = await t.call<{ name: string; acl: Record<string, unknown> }>('GET', '/api/me', undefined, bearer(token));
    expect(me.status).toBe(200);
    expect(me.body.acl).toMatchObject({ view: true, editServers: false, enroll: false, scope: '*' });
    expect((await t.call('GET', '/api/servers', undefined, bearer(token))).status).toBe(200);
    for (const [method, path] of [['GET', '/api/users'], ['GET', '/api/backup'], ['DELETE', '/api/servers/web1'], ['POST', '/api/join-tokens']] as const) {
      expect((await t.call(method, path, method === 'POST' ? {} : undefined, bearer(token))).status, `${method} ${path}`).toBe(403);
    }
    expect((await t.call('GET', '/api/servers/web1')).status).toBe(200);
  });

  it('is not the hub user\'s: the hub user neither lists nor loses it, and the Webmin user sees only its own', async () => {
    const mine = await mintThroughGateway('ops', webminAcl(['view', 'editServers'], 'team'));
    expect((await t.call('POST', '/api/users', { name: 'ops', password: 'password-ops', acl: { ...FULL_HUB, enroll: false } })).status).toBe(201);
    const hubOps = `Basic ${Buffer.from('ops:password-ops').toString('base64')}`;
    const listed = await t.call<{ id: string }[]>('GET', '/api/api-tokens', undefined, hubOps);
    expect(listed.body.map((x) => x.id)).not.toContain(mine.id);
    expect((await t.call('DELETE', `/api/api-tokens/${mine.id}`, undefined, hubOps)).status).toBe(404);
    // Deleting the hub user 'ops' leaves the Webmin user's token alone.
    expect((await t.call('DELETE', '/api/users/ops')).status).toBe(204);
    const me = await t.call<{ acl: { scope: unknown; editServers: boolean } }>('GET', '/api/me', undefined, bearer(mine.token));
    expect(me.body.acl).toMatchObject({ scope: ['team'], editServers: true });
    // The scope holds over TCP: outside 'team' nothing is visible.
    expect((await t.call<unknown[]>('GET', '/api/servers', undefined, bearer(mine.token))).body).toHaveLength(1);
    const viaGateway = await t.gateway<{ id: string; user: string; realm?: string }[]>('GET', '/api/api-tokens', 'ops', webminAcl(['view', 'editServers'], 'team'));
    expect(viaGateway.body.map((x) => x.id)).toEqual([mine.id]);
    expect(viaGateway.body[0]).toMatchObject({ user: 'ops', realm: 'webmin' });
  });

  it('loses what its Webmin user loses, as soon as that user comes through the gateway with less', async () => {
    const { token } = await mintThroughGateway('carol', webminAcl(['view', 'editServers', 'editClusters']));
    expect((await t.gateway('GET', '/api/me', 'carol', webminAcl(['view', 'editServers'], 'team'))).status).toBe(200);
    const me = await t.call<{ acl: Record<string, unknown> }>('GET', '/api/me', undefined, bearer(token));
    expect(me.body.acl).toMatchObject({ view: true, editServers: true, editClusters: false, scope: ['team'] });
    // Getting the permission back in Webmin does not widen a token minted before.
    expect((await t.gateway('GET', '/api/me', 'carol', webminAcl(['view', 'editServers', 'editClusters']))).status).toBe(200);
    expect((await t.call<{ acl: Record<string, unknown> }>('GET', '/api/me', undefined, bearer(token))).body.acl).toMatchObject({ editClusters: false, scope: ['team'] });
  });
});
