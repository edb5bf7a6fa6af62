import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { main } from './run.js';
import { fakeIo } from './test-io.js';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address();
  await new Promise((r) => srv.close(r));
  return typeof addr === 'object' && addr ? addr.port : 0;
}

describe('main', () => {
  it('prints asked-for help on stdout with exit 0', async () => {
    const io = fakeIo();
    expect(await main(['servers', '--help'], {}, io)).toBe(0);
    expect(io.stdout.join('')).toContain('servers list');
    expect(io.stderr).toEqual([]);
  });

  it('prints help for an incomplete command on stderr with exit 2', async () => {
    const io = fakeIo();
    expect(await main([], {}, io)).toBe(2);
    expect(io.stdout).toEqual([]);
    expect(io.stderr.join('')).toContain('Usage: clusterctl');
  });

  it('reports a usage error in one line plus where to find help, exit 2', async () => {
    const io = fakeIo();
    expect(await main(['servers', 'remove'], {}, io)).toBe(2);
    expect(io.stderr.join('')).toBe("clusterctl: 'servers remove' needs ID\nRun 'clusterctl servers remove --help' for usage.\n");
  });

  it('reports an unreachable hub without a stack, exit 1', async () => {
    const io = fakeIo();
    const url = `http://127.0.0.1:${await closedPort()}`;
    expect(await main(['servers', 'list'], { CLUSTERCTL_HUB: url }, io)).toBe(1);
    expect(io.stderr.join('')).toBe(`clusterctl: cannot reach the hub at ${url}: connection refused (is it running? start it with npm start)\n`);
  });

  it('refuses to guess a password without a terminal', async () => {
    const io = fakeIo({ interactive: false });
    const url = `http://127.0.0.1:${await closedPort()}`;
    expect(await main(['servers', 'list', '--user', 'ops'], { CLUSTERCTL_HUB: url }, io)).toBe(2);
    expect(io.stderr.join('')).toBe("clusterctl: no password for user 'ops': set CLUSTERCTL_PASSWORD (stdin is not a terminal, so it cannot be asked)\n");
  });

  it('prints its version', async () => {
    const io = fakeIo();
    expect(await main(['--version'], {}, io)).toBe(0);
    expect(io.stdout.join('')).toMatch(/^clusterctl \S+\n$/);
  });
});
