import { once } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, createServer } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreatePki } from '../pki/pki.js';
import { limitHandshakes } from './handshake-limit.js';

const open: Socket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.destroy();
});

describe('limitHandshakes', () => {
  it('closes connections past the cap before any TLS work, and makes room as handshakes finish', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uc-handshake-'));
    const pki = await loadOrCreatePki(dir);
    rmSync(dir, { recursive: true });
    const server = createServer({ key: pki.keyPem, cert: pki.chainPem });
    const refused: number[] = [];
    const limit = limitHandshakes(server, 2, (n) => refused.push(n));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    try {
      // Two raw TCP connections that never start TLS hold both places.
      for (let i = 0; i < 2; i++) {
        const s = netConnect(port, '127.0.0.1');
        open.push(s);
        await once(s, 'connect');
      }
      await waitFor(() => limit.pending() === 2);
      const third = netConnect(port, '127.0.0.1');
      open.push(third);
      await once(third, 'close');
      expect(refused).toEqual([2]);
      // One of them leaves: a real TLS client now gets through, and its finished handshake frees its place.
      open[0]!.destroy();
      await waitFor(() => limit.pending() === 1);
      const tls = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false });
      open.push(tls);
      await once(tls, 'secureConnect');
      await waitFor(() => limit.pending() === 1);
      expect(refused).toHaveLength(1);
    } finally {
      server.close();
    }
  });
});

async function waitFor(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(ok()).toBe(true);
}
