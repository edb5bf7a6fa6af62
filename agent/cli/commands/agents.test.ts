import { describe, expect, it } from 'vitest';
import { EXIT_ERROR, EXIT_USAGE } from '../errors.js';
import { fakeHub, runCommand as run } from '../fake-hub.js';
import { fakeIo } from '../test-io.js';

describe('agents revoke', () => {
  const server = { id: 'web1', name: 'Web 1', type: 'web', address: '10.0.0.1', region: '', labels: {}, ports: [], status: 'active' };
  const agent = { version: '1', inventory: { hostname: 'h', os: 'Debian', cores: 2 } };

  it('revokes with --yes, after looking the server up', async () => {
    const hub = fakeHub({ 'GET /api/servers/web1': [200, { ...server, agent }], 'DELETE /api/agents/web1': [204, undefined] });
    const io = fakeIo();
    expect(await run(['agents', 'revoke', 'web1', '--yes'], hub, io)).toBe(0);
    expect(hub.requests).toEqual(['GET /api/servers/web1', 'DELETE /api/agents/web1']);
    expect(io.stdout.join('')).toMatch(/^revoked the agent of server 'web1'/);
  });

  it('refuses without --yes off a terminal, and asks on one', async () => {
    const hub = fakeHub({ 'GET /api/servers/web1': [200, { ...server, agent }] });
    expect(await run(['agent', 'revoke', 'web1'], hub)).toBe(EXIT_USAGE);
    const io = fakeIo({ interactive: true, answers: [''] });
    expect(await run(['agents', 'revoke', 'web1'], hub, io)).toBe(EXIT_ERROR);
    expect(io.questions[0]).toMatch(/^Revoke the agent of server 'web1' \(Web 1, 10\.0\.0\.1, active\)\?/);
    expect(hub.requests.filter((r) => r.startsWith('DELETE'))).toEqual([]);
  });

  it('says a server without an agent has none, before asking', async () => {
    const hub = fakeHub({ 'GET /api/servers/web1': [200, server] });
    const io = fakeIo({ interactive: true, answers: ['y'] });
    expect(await run(['agents', 'revoke', 'web1'], hub, io)).toBe(EXIT_ERROR);
    expect(io.questions).toEqual([]);
    expect(hub.requests).toEqual(['GET /api/servers/web1']);
  });
});
