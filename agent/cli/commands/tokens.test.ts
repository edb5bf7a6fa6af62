import { describe, expect, it } from 'vitest';
import { parseArgs, type Invocation } from '../args.js';
import { EXIT_ERROR, EXIT_USAGE, UsageError } from '../errors.js';
import { fakeHub, runCommand as run } from '../fake-hub.js';
import { fakeIo } from '../test-io.js';
import { TABLE } from './index.js';
import { joinTokenCreateBody, parseWholeNumber } from './tokens.js';

function inv(...argv: string[]): Invocation {
  const parsed = parseArgs(argv, TABLE);
  if (parsed.kind !== 'run') throw new Error('expected a command');
  return parsed;
}

const LIVE = { id: 'abcdefabcdef', createdBy: 'admin', createdAt: '2025-01-01T00:00:00Z', expiresAt: '2999-01-01T00:00:00Z', usesLeft: 2 };

describe('tokens create', () => {
  it('builds the POST body from the options, leaving out what was not given', async () => {
    expect(await joinTokenCreateBody(inv('tokens', 'create'))).toEqual({});
    expect(await joinTokenCreateBody(inv('tokens', 'create', '--expires', '1440', '--uses', '3', '-t', 'cache', '-l', 'zone=a', '--label', 'tier=edge', '--cluster', 'prod')))
      .toEqual({ expiresInMinutes: 1440, uses: 3, type: 'cache', labels: { zone: 'a', tier: 'edge' }, cluster: 'prod' });
    expect(await joinTokenCreateBody(inv('tokens', 'create', '--server', 'db1'))).toEqual({ serverId: 'db1' });
  });

  it('refuses bad values before anything is sent, naming the option', async () => {
    await expect(joinTokenCreateBody(inv('tokens', 'create', '--type', 'mainframe'))).rejects.toThrow(/^--type must be one of: web, database/);
    await expect(joinTokenCreateBody(inv('tokens', 'create', '--expires', '0'))).rejects.toThrow('--expires must be >= 1');
    await expect(joinTokenCreateBody(inv('tokens', 'create', '--expires', '50000'))).rejects.toThrow('--expires must be <= 43200');
    await expect(joinTokenCreateBody(inv('tokens', 'create', '--uses', 'many'))).rejects.toThrow("--uses 'many' is not a whole number");
    await expect(joinTokenCreateBody(inv('tokens', 'create', '--cluster', 'no such'))).rejects.toThrow(/^--cluster has characters that are not allowed/);
    await expect(joinTokenCreateBody(inv('tokens', 'create', '--label', 'nokey'))).rejects.toThrow(UsageError);
  });

  it('parses whole numbers strictly', () => {
    expect(parseWholeNumber('60', 'expires', [])).toBe(60);
    for (const bad of ['-1', '1.5', '1e3', ' 2', '', '0x10']) expect(() => parseWholeNumber(bad, 'uses', []), bad).toThrow(/is not a whole number/);
  });

  it('prints the token once with the install command, or the hub answer as JSON', async () => {
    const answer = { ...LIVE, usesLeft: 1, type: 'cache', token: 'uc1.abcdefabcdef.s.f', installCommand: 'node agent.mjs --token uc1.abcdefabcdef.s.f' };
    const hub = fakeHub({ 'POST /api/join-tokens': [201, answer] });
    const io = fakeIo();
    expect(await run(['tokens', 'create', '--type', 'cache'], hub, io)).toBe(0);
    expect(io.stdout.join('')).toContain('shown only this once');
    expect(io.stdout.join('')).toContain('  node agent.mjs --token uc1.abcdefabcdef.s.f\n');
    const json = fakeIo();
    expect(await run(['tokens', 'create', '--json'], hub, json)).toBe(0);
    expect(JSON.parse(json.stdout.join(''))).toEqual(answer);
  });

  it('sends nothing when the body is wrong', async () => {
    const hub = fakeHub({});
    expect(await run(['tokens', 'create', '--uses', '0'], hub)).toBe(EXIT_USAGE);
    expect(hub.requests).toEqual([]);
  });
});

describe('tokens revoke', () => {
  it('looks the token up, refuses without --yes off a terminal, and revokes with it', async () => {
    const hub = fakeHub({ 'GET /api/join-tokens': [200, [LIVE]], 'DELETE /api/join-tokens/abcdefabcdef': [204, undefined] });
    expect(await run(['tokens', 'revoke', 'abcdefabcdef'], hub)).toBe(EXIT_USAGE);
    expect(hub.requests).toEqual(['GET /api/join-tokens']);
    const io = fakeIo();
    expect(await run(['tokens', 'revoke', 'abcdefabcdef', '--yes'], hub, io)).toBe(0);
    expect(hub.requests.at(-1)).toBe('DELETE /api/join-tokens/abcdefabcdef');
    expect(io.stdout).toEqual(["revoked join token 'abcdefabcdef'\n"]);
  });

  it('asks on a terminal, and a no changes nothing', async () => {
    const hub = fakeHub({ 'GET /api/join-tokens': [200, [LIVE]] });
    const io = fakeIo({ interactive: true, answers: ['n'] });
    expect(await run(['tokens', 'revoke', 'abcdefabcdef'], hub, io)).toBe(EXIT_ERROR);
    expect(io.questions[0]).toMatch(/^Revoke join token 'abcdefabcdef' \(by admin, 2 uses left, expires 2999-01-01 00:00 UTC, in \d+d( \d+h)?\)\? \[y\/N\] $/);
    expect(hub.requests).toEqual(['GET /api/join-tokens']);
  });

  it('says a token is not live before asking anything', async () => {
    const hub = fakeHub({ 'GET /api/join-tokens': [200, [LIVE]] });
    const io = fakeIo({ interactive: true, answers: ['y'] });
    expect(await run(['tokens', 'rm', 'ffffffffffff'], hub, io)).toBe(EXIT_ERROR);
    expect(io.questions).toEqual([]);
    expect(hub.requests).toEqual(['GET /api/join-tokens']);
  });
});
