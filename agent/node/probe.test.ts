/** TCP connect probes against real listeners on 127.0.0.1; timeouts and concurrency with an injected connect. */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../test/harness.js';
import { type Connect, probeAll, probeOne, tcpConnect } from './probe.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A real listener on loopback; `accepted` collects the sockets it got. */
async function listener(): Promise<{ port: number; accepted: Socket[] }> {
  const accepted: Socket[] = [];
  const srv = createServer((s) => { accepted.push(s); s.on('error', () => {}); });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { port: (srv.address() as AddressInfo).port, accepted };
}

const target = (port: number, connectionId = 'a:b') => ({ connectionId, address: '127.0.0.1', port });

describe('probeOne with real TCP', () => {
  it('measures an open port and closes the connection at once', async () => {
    const { port, accepted } = await listener();
    const r = await probeOne(target(port));
    expect(r.connectionId).toBe('a:b');
    expect(r.ms).toBeTypeOf('number');
    expect(r.ms).toBeGreaterThanOrEqual(0);
    expect(r.error).toBeUndefined();
    // The listener saw the connection, and the prober closed it without sending anything.
    await expect.poll(() => accepted.length).toBe(1);
    const closed = await new Promise<string>((resolve) => {
      const s = accepted[0]!;
      if (s.readableEnded || s.destroyed) return resolve('closed');
      s.once('close', () => resolve('closed'));
      s.resume();
    });
    expect(closed).toBe('closed');
    expect(accepted[0]!.bytesRead).toBe(0);
  });

  it('reports a closed port as null with the reason', async () => {
    const port = await freePort(); // nothing listens there
    expect(await probeOne(target(port))).toEqual({ connectionId: 'a:b', ms: null, error: 'ECONNREFUSED' });
  });
});

describe('probeOne timeouts', () => {
  it('gives up after timeoutMs, aborting the pending connect', async () => {
    let signal: AbortSignal | undefined;
    const hang: Connect = (_a, _p, s) => { signal = s; return new Promise(() => {}); };
    const started = performance.now();
    const r = await probeOne(target(1), hang, 50);
    expect(r).toEqual({ connectionId: 'a:b', ms: null, error: 'timeout' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(signal?.aborted).toBe(true);
  });

  it('makes the real connect give up when aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(tcpConnect('127.0.0.1', (await listener()).port, abort.signal)).rejects.toThrow('aborted');
  });
});

describe('probeAll', () => {
  it('keeps at most `concurrency` probes in flight and returns results in target order', async () => {
    let inFlight = 0;
    let most = 0;
    const slow: Connect = async (_a, port) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5 + (port % 3) * 5));
      inFlight--;
      if (port % 2) throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
      return port / 10;
    };
    const targets = Array.from({ length: 20 }, (_, i) => target(100 + i, `s${i}:t`));
    const results = await probeAll(targets, { connect: slow, concurrency: 4 });
    expect(most).toBe(4);
    expect(results.map((r) => r.connectionId)).toEqual(targets.map((t) => t.connectionId));
    expect(results[0]).toEqual({ connectionId: 's0:t', ms: 10 });
    expect(results[1]).toEqual({ connectionId: 's1:t', ms: null, error: 'ECONNREFUSED' });
  });

  it('mixes real open and closed ports in one round', async () => {
    const open = await listener();
    const closed = await freePort();
    const results = await probeAll([target(open.port, 'a:open'), target(closed, 'a:closed')]);
    expect(results[0]?.ms).toBeTypeOf('number');
    expect(results[1]).toMatchObject({ ms: null, error: 'ECONNREFUSED' });
  });

  it('does nothing for no targets', async () => {
    expect(await probeAll([], { connect: () => { throw new Error('not called'); } })).toEqual([]);
  });
});
