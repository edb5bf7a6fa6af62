import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Transfers } from './transfers.js';

let server: Server;
let transfers: Transfers;
let base: string;
beforeEach(async () => {
  transfers = new Transfers();
  server = createServer((req, res) => { if (!transfers.handle(req, res)) { res.statusCode = 418; res.end(); } });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  transfers.close();
  await new Promise((r) => { server.close(r); server.closeAllConnections(); });
});

const text = async (body: Readable) => { let s = ''; for await (const c of body) s += String(c); return s; };

describe('one-time transfers on the agent port', () => {
  it('takes an upload once, with its token and method only', async () => {
    const t = transfers.receive('a backup', text);
    const url = `${base}/transfer/${t.ticket.id}`;
    const auth = { authorization: `Bearer ${t.ticket.token}` };
    expect((await fetch(url, { method: 'POST', body: 'x', headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(url, { headers: auth })).status).toBe(405);
    expect((await fetch(`${base}/transfer/${'0'.repeat(32)}`, { method: 'POST', body: 'x', headers: auth })).status).toBe(404);
    expect((await fetch(`${base}/join`)).status).toBe(418);
    const r = await fetch(url, { method: 'POST', body: 'the whole file', headers: auth });
    expect(r.status).toBe(200);
    expect(await t.result).toBe('the whole file');
    expect((await fetch(url, { method: 'POST', body: 'again', headers: auth })).status).toBe(404);
  });

  it('drops a transfer nobody came for, and a download that breaks half-way aborts the response', async () => {
    const late = transfers.receive('a backup', text, 50);
    await expect(late.result).rejects.toThrow(/no agent came for the a backup/);
    expect((await fetch(`${base}/transfer/${late.ticket.id}`, { method: 'POST', body: 'x', headers: { authorization: `Bearer ${late.ticket.token}` } })).status).toBe(404);
    const broken = transfers.send('a restore', () => Readable.from((async function* () { yield 'first part;'; throw new Error('chunk 3 does not authenticate'); })()));
    const res = await fetch(`${base}/transfer/${broken.ticket.id}`, { headers: { authorization: `Bearer ${broken.ticket.token}` } });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    await expect(broken.result).rejects.toThrow(/chunk 3 does not authenticate/);
  });
});
