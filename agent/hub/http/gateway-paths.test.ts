/**
 * The hub decodes a request's path before it checks it, on both its ports (the TCP port and the
 * Webmin gateway socket, one handler): dot segments are refused encoded or not, only well-formed
 * JSON Content-Type values are accepted, and the gateway is told which path was served (for the
 * Webmin action log). The browser socket checks Origin like the REST API.
 */
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestHub, webminAcl, type TestHub } from '../test-hub.js';

let t: TestHub;
const ROOT = webminAcl(['view', 'editServers', 'editConnections', 'editClusters', 'apply', 'scale', 'enroll', 'exportImport']);
const stateFile = () => readFileSync(join(t.dataDir, 'state.json'), 'utf8');

/** A request on the TCP port with `path` sent exactly as given. */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: t.hub.httpPort, method, path, headers: { authorization: `Basic ${Buffer.from('admin:admin-password-1').toString('base64')}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  t = await startTestHub({ gateway: true });
  for (const id of ['web1', 'web2']) expect((await t.call('POST', '/api/servers', { id, name: id, type: 'web', ip: '10.0.0.1' })).status).toBe(201);
});
afterAll(() => t?.stop());

describe('request paths', () => {
  it.each([
    '/api/../api/users', '/api/%2e%2e/api/users', '/api/%2E%2e/api/users', '/api/.%2e/api/users', '/api/servers/%2e%2e',
    '/api/servers/web1/%2e', '/api/servers/web1%2f..%2fweb2', '/api/servers/web1%5c..', '/api/servers/%zz', '/api/servers/a%00b',
  ])('%s is refused with 400 on the gateway and the TCP port', async (path) => {
    const via = await t.gateway<{ error: { code: string } }>('GET', path, 'root', ROOT);
    expect(via.status).toBe(400);
    expect(via.body.error.code).toBe('bad_path');
    expect((await raw('GET', path)).status).toBe(400);
  });

  it('serves a percent-encoded path as decoded and tells the gateway which path it served', async () => {
    const before = await t.gateway('GET', '/api/%73ervers/web%31', 'root', ROOT);
    expect(before.status).toBe(200);
    expect(before.headers['x-served-path']).toBe('/api/servers/web1');
    const removed = await t.gateway('DELETE', '/api/servers/web%32', 'root', ROOT);
    expect(removed.status).toBe(204);
    expect(removed.headers['x-served-path']).toBe('/api/servers/web2');
  });
});

describe('Content-Type', () => {
  const server = (id: string) => JSON.stringify({ id, name: id, type: 'web', ip: '10.0.0.9' });
  let made = 0;
  it.each([
    'application/json', 'Application/JSON', 'application/json; charset=utf-8', 'application/json;charset="UTF-8"',
  ])('%j is accepted', async (type) => {
    const r = await t.gateway('POST', '/api/servers', 'root', ROOT, server(`ok${++made}`), { 'content-type': type });
    expect(r.status).toBe(201);
  });

  it.each([
    'application/json, text/html', 'application/json; charset=latin1', 'application/jsonx', 'application/json;',
    'application/json; charset', 'application/json; =x', 'text/plain; a=application/json', 'application/json garbage',
    'application/json; charset=utf-8; charset=latin1', 'application/json\t; x="unterminated',
  ])('%j is refused with 415 and changes nothing', async (type) => {
    const before = stateFile();
    const r = await t.gateway<{ error: { code: string } }>('POST', '/api/servers', 'root', ROOT, server('never'), { 'content-type': type });
    expect(r.status).toBe(415);
    expect((await raw('POST', '/api/servers', { 'content-type': type }, server('never'))).status).toBe(415);
    expect(stateFile()).toBe(before);
  });
});

describe('the browser socket', () => {
  const upgrade = (headers: Record<string, string>) => new Promise<number>((resolve) => {
    const ws = new WebSocket(t.wsUrl, { headers });
    ws.on('open', () => { ws.close(); resolve(101); });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
  it('refuses a foreign Origin and a cross-site fetch, like the REST API', async () => {
    const host = new URL(t.base).host;
    expect(await upgrade({ origin: 'http://evil.example' })).toBe(403);
    expect(await upgrade({ origin: 'null' })).toBe(403);
    expect(await upgrade({ origin: `http://${host}`, 'sec-fetch-site': 'cross-site' })).toBe(403);
    expect(await upgrade({ origin: `http://${host}` })).toBe(101);
    // No Origin: not a browser (miniserv's proxy sends none); the ticket still decides.
    expect(await upgrade({})).toBe(101);
  });
});
