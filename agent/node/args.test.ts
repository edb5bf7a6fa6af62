import { describe, expect, it } from 'vitest';
import { idFromHostname, keyFromFile, parseAgentArgs } from './args.js';

const HUB = 'ws://10.0.0.1:10443/agent';

describe('parseAgentArgs', () => {
  it('reads the flags', () => {
    expect(parseAgentArgs(['--hub', HUB, '--key-file', '/k', '--id', 'web1', '--type', 'web'], {}, 'host')).toEqual({
      config: { hub: HUB, keyFile: '/k', serverId: 'web1', serverType: 'web' },
    });
  });

  it('falls back to the environment, then to the host name for the id', () => {
    expect(parseAgentArgs([], { UC_HUB: HUB, UC_KEY_FILE: '/k', UC_SERVER_TYPE: 'database' }, 'db 1.example.com')).toEqual({
      config: { hub: HUB, keyFile: '/k', serverId: 'db-1.example.com', serverType: 'database' },
    });
    expect(parseAgentArgs(['--id', 'x'], { UC_HUB: HUB, UC_KEY_FILE: '/k', UC_SERVER_ID: 'y' }, 'h')).toMatchObject({ config: { serverId: 'x' } });
    expect(parseAgentArgs([], { UC_HUB: HUB, UC_KEY_FILE: '/k', UC_SERVER_ID: 'y' }, 'h')).toMatchObject({ config: { serverId: 'y' } });
  });

  it('leaves the type out when none is given', () => {
    const r = parseAgentArgs(['--hub', HUB, '--key-file', '/k'], {}, 'h');
    expect(r).toEqual({ config: { hub: HUB, keyFile: '/k', serverId: 'h' } });
  });

  it.each([
    [[], /missing --hub/],
    [['--hub', 'http://x/agent', '--key-file', '/k'], /ws:\/\/ or wss:\/\//],
    [['--hub', HUB], /missing --key-file/],
    [['--hub', HUB, '--key-file', '/k', '--id', 'bad id'], /not a valid server id/],
    [['--hub', HUB, '--key-file', '/k', '--id', '.x'], /not a valid server id/],
    [['--hub', HUB, '--key-file', '/k', '--type', 'mainframe'], /--type must be one of: web, database/],
    [['--hub', HUB, '--key-file', '/k', '--bogus'], /Unknown option '--bogus'/],
    [['--hub'], /argument missing/],
  ])('refuses %j', (argv, message) => {
    const r = parseAgentArgs(argv, {}, 'h');
    expect('error' in r && r.error).toMatch(message);
  });

  it('answers --help', () => {
    expect(parseAgentArgs(['--help'], {}, 'h')).toEqual({ help: true });
  });
});

describe('idFromHostname', () => {
  it('makes any host name a valid id', () => {
    expect(idFromHostname('web1')).toBe('web1');
    expect(idFromHostname('_gateway:1')).toBe('gateway-1');
    expect(idFromHostname('___')).toBe('node');
    expect(idFromHostname('a'.repeat(80))).toHaveLength(63);
  });
});

describe('keyFromFile', () => {
  it('trims the key', () => {
    expect(keyFromFile('  abc123\n', '/k')).toEqual({ key: 'abc123' });
  });

  it('refuses an empty file or one that is not a single key', () => {
    expect(keyFromFile('\n', '/k')).toEqual({ error: 'key file /k is empty' });
    expect(keyFromFile('a b', '/k')).toMatchObject({ error: expect.stringMatching(/does not hold one key/) });
  });
});
