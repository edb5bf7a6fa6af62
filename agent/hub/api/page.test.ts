/** Pages and filters of the big lists: GET /api/servers?limit=&offset= and GET /api/connections?server=. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../test-hub.js';

let hub: TestHub;
const ids = ['s0', 's1', 's2', 's3', 's4'];
beforeAll(async () => {
  hub = await startTestHub();
  for (const id of ids) expect((await hub.call('POST', '/api/servers', { id, name: id, type: 'web', ip: '10.0.0.1' })).status).toBe(201);
  for (const [from, to] of [['s0', 's1'], ['s1', 's2'], ['s3', 's4']]) expect((await hub.call('POST', '/api/connections', { from, to })).status).toBe(201);
});
afterAll(async () => { await hub.stop(); });

async function list(path: string) {
  const res = await fetch(hub.base + path, { headers: { authorization: `Basic ${Buffer.from('admin:admin-password-1').toString('base64')}` } });
  return { status: res.status, total: res.headers.get('x-total-count'), body: await res.json() as { id: string }[] & { error?: { code: string } } };
}

describe('pages of GET /api/servers', () => {
  it('gives the whole list without a page, with its total', async () => {
    const r = await list('/api/servers');
    expect(r.body.map((s) => s.id)).toEqual(ids);
    expect(r.total).toBe('5');
  });

  it('gives `limit` servers from `offset`, in the same order', async () => {
    expect((await list('/api/servers?limit=2')).body.map((s) => s.id)).toEqual(['s0', 's1']);
    const r = await list('/api/servers?limit=2&offset=3');
    expect(r.body.map((s) => s.id)).toEqual(['s3', 's4']);
    expect(r.total).toBe('5');
    expect((await list('/api/servers?offset=4')).body.map((s) => s.id)).toEqual(['s4']);
    expect((await list('/api/servers?offset=9')).body).toEqual([]);
    expect((await list('/api/servers?limit=1&offset=2')).body[0]).toMatchObject({ id: 's2', status: 'unknown', metrics: null });
  });

  it('refuses a page that is not one', async () => {
    for (const q of ['limit=0', 'limit=1001', 'limit=x', 'offset=-1', 'limit=1.5']) {
      const r = await list(`/api/servers?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error?.code).toBe('invalid_query');
    }
  });
});

describe('GET /api/connections?server=', () => {
  it('gives the connections from or to one server', async () => {
    expect((await list('/api/connections?server=s1')).body.map((c) => c.id)).toEqual(['s0:s1', 's1:s2']);
    expect((await list('/api/connections?server=s4')).body.map((c) => c.id)).toEqual(['s3:s4']);
    expect((await list('/api/connections?server=nope')).body).toEqual([]);
    const all = await list('/api/connections?limit=1&offset=1');
    expect(all.body.map((c) => c.id)).toEqual(['s1:s2']);
    expect(all.total).toBe('3');
  });
});
