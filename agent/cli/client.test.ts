import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, apiPath } from './client.js';
import { CliError, HubError } from './errors.js';

/** A tiny real HTTP server that records requests and answers by path. */
let server: Server;
let base = '';
const seen: { method: string; url: string; auth: string | undefined; type: string | undefined; body: string }[] = [];

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, type: req.headers['content-type'], body });
  const send = (status: number, text: string, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type });
    res.end(text);
  };
  const path = (req.url ?? '').split('?')[0];
  if (path === '/api/ok') return send(200, '{"a":1}');
  if (path === '/api/empty') return send(204, '');
  if (path === '/api/missing') return send(404, '{"error":{"code":"not_found","message":"no server with id \'x\'"}}');
  if (path === '/api/html') return send(200, '<html></html>', 'text/html');
  if (path === '/api/slow') return; // never answers
  return send(500, 'boom', 'text/plain');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += d.toString(); });
    req.on('end', () => answer(req, res, body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function failure(p: Promise<unknown>): Promise<CliError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error('expected a CliError');
}

describe('HubClient', () => {
  it('sends JSON with the credentials and parses the answer', async () => {
    const client = new HubClient({ hubUrl: base, auth: { kind: 'token', token: 'tok' } });
    expect(await client.request('POST', '/api/ok', { body: { x: 1 }, query: { from: 'a b', to: 'c' } })).toEqual({ a: 1 });
    expect(seen.at(-1)).toEqual({ method: 'POST', url: '/api/ok?from=a+b&to=c', auth: 'Bearer tok', type: 'application/json', body: '{"x":1}' });
    expect(await client.request('DELETE', '/api/empty')).toBeNull();
  });

  it('sends no credentials where none are needed', async () => {
    const client = new HubClient({ hubUrl: base, auth: { kind: 'token', token: 'tok' } });
    await client.get('/api/ok', { auth: false });
    expect(seen.at(-1)?.auth).toBeUndefined();
  });

  it('asks for a missing password once, on first use', async () => {
    let asked = 0;
    const client = new HubClient({ hubUrl: base, auth: { kind: 'basic', user: 'admin', password: undefined }, askPassword: async () => { asked++; return 'secret'; } });
    expect(asked).toBe(0);
    await client.get('/api/ok');
    await client.get('/api/ok');
    expect(asked).toBe(1);
    expect(seen.at(-1)?.auth).toBe(`Basic ${Buffer.from('admin:secret').toString('base64')}`);
  });

  it("turns an error status into the hub's message with status and code", async () => {
    const e = await failure(new HubClient({ hubUrl: base, auth: { kind: 'none' } }).get('/api/missing'));
    expect(e).toBeInstanceOf(HubError);
    expect(e.message).toBe("no server with id 'x'");
    expect((e as HubError).status).toBe(404);
    expect((e as HubError).code).toBe('not_found');
    expect(e.exitCode).toBe(1);
  });

  it('explains answers that are not from a hub', async () => {
    const client = new HubClient({ hubUrl: base, auth: { kind: 'none' } });
    expect((await failure(client.get('/api/html'))).message).toMatch(/not JSON \(HTTP 200\): is --hub the address/);
    expect((await failure(client.get('/api/other'))).message).toBe('the hub failed (HTTP 500); its log may say more');
  });

  it('says the hub cannot be reached when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const addr = closed.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    await new Promise((r) => closed.close(r));
    const url = `http://127.0.0.1:${port}`;
    const e = await failure(new HubClient({ hubUrl: url, auth: { kind: 'none' } }).get('/api/ok'));
    expect(e.message).toBe(`cannot reach the hub at ${url}: connection refused (is it running? start it with npm start)`);
  });

  it('gives up on a hub that does not answer', async () => {
    const e = await failure(new HubClient({ hubUrl: base, auth: { kind: 'none' }, timeoutMs: 200 }).get('/api/slow'));
    expect(e.message).toMatch(/did not answer in time/);
  });

  it('encodes path segments', () => {
    expect(apiPath('servers', 'a b/c')).toBe('/api/servers/a%20b%2Fc');
  });
});
