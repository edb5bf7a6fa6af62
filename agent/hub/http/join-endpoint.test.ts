/** The agent port's /join: the bootstrap, installer and agent, only for a join token that can still enroll a node. */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild } from '../../test/harness.js';
import { startTestHub, type TestHub } from '../test-hub.js';

let hub: TestHub;
beforeAll(async () => { hub = await startTestHub(); });
afterAll(async () => { await hub.stop(); });

function get(path: string, token?: string, method = 'GET'): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    // The test trusts the hub's key by the pin below, as curl does; here the connection itself is not the point.
    const req = request({ host: '127.0.0.1', port: hub.hub.agentPort, path, method, rejectUnauthorized: false, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const newToken = async (body: object = {}) => (await hub.call<{ token: string; id: string; installCommand: string; agentUrl: string }>('POST', '/api/join-tokens', body)).body;

describe('GET /join on the agent port', () => {
  it('gives the holder of a live token the bootstrap, the installer and the agent, and costs no use', async () => {
    const t = await newToken({ uses: 1 });
    expect(t.installCommand).toContain(`--pinnedpubkey '${hub.hub.svc.agentPin}'`);
    const boot = await get('/join', t.token);
    expect(boot.status).toBe(200);
    expect(boot.type).toMatch(/^text\/x-shellscript/);
    expect(boot.body.toString()).toContain(`token='${t.token}'`);
    expect(boot.body.toString()).toContain(`hub='${t.agentUrl}'`);
    const installer = await get('/join/install.sh', t.token);
    expect(installer.body.equals(readFileSync(requireBuild('install.sh')))).toBe(true);
    const agent = await get('/join/agent.mjs', t.token);
    expect(agent.status).toBe(200);
    expect(agent.body.equals(readFileSync(requireBuild('agent.mjs')))).toBe(true);
    expect((await hub.call<{ id: string; usesLeft: number }[]>('GET', '/api/join-tokens')).body.find((x) => x.id === t.id)?.usesLeft).toBe(1);
  });

  it('refuses anyone else with a script that says why', async () => {
    const t = await newToken();
    const [id, secret, fp] = t.token.split('.').slice(1);
    for (const token of [undefined, 'uc1.nothing', `uc1.${id}.${secret!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}.${fp}`]) {
      for (const path of ['/join', '/join/agent.mjs']) {
        const r = await get(path, token);
        expect(r.status, `${path} ${token}`).toBe(401);
        expect(r.body.toString()).toMatch(/^#!\/bin\/sh\necho 'unlimited-cluster: the hub refused the join token/);
      }
    }
    expect((await hub.call('DELETE', `/api/join-tokens/${id}`)).status).toBe(204);
    expect((await get('/join', t.token)).status).toBe(401);
  });

  it('serves nothing else', async () => {
    const t = await newToken();
    expect((await get('/join/../state.json', t.token)).status).toBe(404);
    expect((await get('/join/hub.mjs', t.token)).status).toBe(404);
    expect((await get('/', t.token)).status).toBe(404);
    expect((await get('/join', t.token, 'POST')).status).toBe(405);
  });
});
