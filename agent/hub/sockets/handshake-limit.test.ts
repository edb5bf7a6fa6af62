import { once } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, createServer, type Server } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../test/harness.js';
import { loadOrCreatePki } from '../pki/pki.js';
import { limitHandshakes } from './handshake-limit.js';

const open: Socket[] = [];
let server: Server | undefined;
afterEach(() => {
  for (const s of open.splice(0)) s.destroy();
  server?.close();
});

async function tlsServer(limits: { max: number; perSource: number; reserve: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'uc-handshake-'));
  const pki = await loadOrCreatePki(dir);
  rmSync(dir, { recursive: true });
  server = createServer({ key: pki.keyPem, cert: pki.chainPem });
  const refused: string[] = [];
  const limit = limitHandshakes(server, limits, (why) => refused.push(why));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as { port: number }).port, refused, limit };
}

/** A raw TCP connection from `from` that never starts TLS. */
async function idle(port: number, from = '127.0.0.1'): Promise<Socket> {
  const s = netConnect({ port, host: '127.0.0.1', localAddress: from });
  s.on('error', () => {});
  open.push(s);
  await once(s, 'connect');
  return s;
}

describe('limitHandshakes', () => {
  it('closes connections past the cap before any TLS work, and makes room as handshakes finish', async () => {
    const { port, refused, limit } = await tlsServer({ max: 2, perSource: 10, reserve: 0 });
    // Two raw TCP connections that never start TLS hold both places.
    const [first] = [await idle(port), await idle(port)];
    await waitFor('two pending handshakes', () => limit.pending() === 2);
    const third = await idle(port);
    await once(third, 'close');
    expect(refused).toEqual(['2 TLS handshakes under way']);
    // One of them leaves: a real TLS client now gets through, and its finished handshake frees its place.
    first!.destroy();
    await waitFor('a free place', () => limit.pending() === 1);
    const tls = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false });
    open.push(tls);
    await once(tls, 'secureConnect');
    await waitFor('the finished handshake to free its place', () => limit.pending() === 1);
    expect(refused).toHaveLength(1);
  });

  it('lets one address past its share only while places stay free for others, who still get in', async () => {
    const { port, refused, limit } = await tlsServer({ max: 10, perSource: 2, reserve: 6 });
    // Its share (2), then more while 6 of the 10 places stay free: 4 in all.
    for (let i = 0; i < 4; i++) await idle(port, '127.0.0.2');
    await waitFor('four pending handshakes', () => limit.pending() === 4);
    await once(await idle(port, '127.0.0.2'), 'close');
    expect(refused).toEqual(['4 TLS handshakes under way from 127.0.0.2']);
    const tls = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false });
    open.push(tls);
    await once(tls, 'secureConnect');
    expect(refused).toHaveLength(1);
  });
});
