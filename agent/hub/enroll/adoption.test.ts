/**
 * Enrollment never adopts an existing server, attacked through the real agent socket of an
 * in-process hub: a user scoped to one cluster mints a join token for it and enrolls as an
 * agentless server outside its scope; a token minted for one server re-enrolls only that one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/harness.js';
import { basic, startTestHub, type TestHub } from '../test-hub.js';

let t: TestHub;
const inventory = { hostname: 'intruder', os: 'Linux', kernel: '6', arch: 'x64', cpuModel: 'cpu', cores: 1, memTotal: 1 };
const none = { view: false, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false };
const stateFile = () => readFileSync(join(t.dataDir, 'state.json'), 'utf8');

async function enroll(token: string, serverId: string) {
  const agent = await t.rawAgent({ v: 1, type: 'enroll', token, serverId, agentVersion: 'test', inventory });
  await waitFor('an answer', () => agent.frames.some((f) => f['type'] === 'welcome' || f['type'] === 'error'));
  return agent;
}

beforeAll(async () => {
  t = await startTestHub();
  for (const [id, cluster] of [['team1', 'team'], ['db9', 'other']] as const) {
    expect((await t.call('POST', '/api/servers', { id, name: id, type: 'database', ip: '10.0.0.9' })).status).toBe(201);
    expect((await t.call('POST', '/api/clusters', { name: cluster, servers: [id] })).status).toBe(201);
  }
  for (const [name, acl] of [
    ['teamop', { ...none, view: true, enroll: true, scope: ['team'] }],
    ['teamedit', { ...none, view: true, enroll: true, editServers: true, scope: ['team'] }],
  ] as const) expect((await t.call('POST', '/api/users', { name, password: `password-${name}`, acl })).status).toBe(201);
});
afterAll(() => t?.stop());

describe('a join token', () => {
  it('for a cluster cannot take over an agentless server outside the minter\'s scope', async () => {
    const made = await t.call<{ token: string }>('POST', '/api/join-tokens', { cluster: 'team' }, basic('teamop', 'password-teamop'));
    expect(made.status).toBe(201);
    const before = stateFile();
    const agent = await enroll(made.body.token, 'db9');
    expect(agent.frames.at(-1)).toMatchObject({ type: 'error', code: 'conflict' });
    expect(agent.frames.some((f) => f['type'] === 'enrolled')).toBe(false);
    await waitFor('the socket to close', () => agent.closed() !== undefined);
    // Nothing changed: db9 is not in 'team', holds no credential, and the token kept its use.
    expect(stateFile()).toBe(before);
    expect((await t.call<{ servers: string[] }>('GET', '/api/clusters/team')).body.servers).toEqual(['team1']);
  });

  it('for one server is minted only by a user who may edit it, and re-enrolls exactly that server', async () => {
    expect((await t.call('POST', '/api/join-tokens', { serverId: 'team1' }, basic('teamop', 'password-teamop'))).status).toBe(403);
    expect((await t.call('POST', '/api/join-tokens', { serverId: 'db9' }, basic('teamedit', 'password-teamedit'))).status).toBe(404);
    const made = await t.call<{ token: string; serverId: string; installCommand: string }>('POST', '/api/join-tokens', { serverId: 'team1' }, basic('teamedit', 'password-teamedit'));
    expect(made.status).toBe(201);
    expect(made.body.serverId).toBe('team1');
    expect(made.body.installCommand).toContain("| sh -s -- --id 'team1'");
    const before = stateFile();
    const wrong = await enroll(made.body.token, 'db9');
    expect(wrong.frames.at(-1)).toMatchObject({ type: 'error', message: expect.stringMatching(/re-enrolls 'team1'/) });
    expect(stateFile()).toBe(before);
    const right = await enroll(made.body.token, 'team1');
    expect(right.frames.slice(0, 2).map((f) => f['type'])).toEqual(['enrolled', 'welcome']);
    expect(right.frames[0]).toMatchObject({ serverId: 'team1' });
    right.ws.close();
  });
});
