/**
 * Big bodies are refused before they cost memory, on the real built hub: a 100 MB import, sent
 * in chunks without a length, is answered 413 while it is still being sent, and the hub's peak
 * memory does not grow anywhere near the body's size. A declared length over the limit is
 * refused before anything is read.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Hub, startHub } from './harness.js';

let hub: Hub;
const MB = 1024 * 1024;
const BODY = 100 * MB;

const peakRssMB = () => Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${hub.proc.pid}/status`, 'utf8'))![1]) / 1024;

/**
 * POSTs /api/import with up to `total` bytes of a JSON-looking body, a chunk at a time as the
 * socket takes them, until the hub answers; returns its status and how much had been sent.
 */
function streamImport(total: number, headers: Record<string, string> = {}): Promise<{ status: number; sent: number; text: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL('/api/import', hub.url);
    let sent = 0;
    let answered = false;
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path: url.pathname, headers: { authorization: hub.adminAuth, 'content-type': 'application/json', ...headers } }, (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => resolve({ status: res.statusCode ?? 0, sent, text }));
    });
    // The hub may close the connection once it has answered; that is not a failure of the test.
    req.on('error', (e) => { if (!answered) reject(e); });
    const chunk = Buffer.alloc(MB, ' ');
    const pump = () => {
      while (!answered && sent < total) {
        const piece = sent === 0 ? Buffer.concat([Buffer.from('{"servers":['), chunk.subarray(12)]) : chunk;
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

beforeAll(async () => {
  hub = await startHub();
});
afterAll(() => hub?.stop());

describe('a 100 MB body', () => {
  it('is refused with 413 while it is still being sent, without costing the hub its size in memory', async () => {
    expect((await hub.api('GET', '/api/servers')).status).toBe(200);
    const before = peakRssMB();
    const r = await streamImport(BODY);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text).error.code).toBe('payload_too_large');
    expect(r.sent).toBeLessThan(BODY);
    expect(peakRssMB() - before).toBeLessThan(BODY / MB / 2);
    // The hub is fine and nothing changed.
    expect((await hub.api('GET', '/api/servers')).body).toEqual([]);
  });

  it('is refused before it is read when its declared length is over the limit', async () => {
    // Only the headers go out: the hub answers without waiting for a byte of the body. (Sending
    // the body meanwhile would race the hub's close: a client whose write meets the closed
    // connection may lose the answer to a reset.)
    const r = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const url = new URL('/api/import', hub.url);
      const req = request({
        host: url.hostname, port: url.port, method: 'POST', path: url.pathname,
        headers: { authorization: hub.adminAuth, 'content-type': 'application/json', 'content-length': String(BODY) },
      }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => { resolve({ status: res.statusCode ?? 0, text }); req.destroy(); });
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text).error.code).toBe('payload_too_large');
  });
});
