import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE_FILE, idFromHostname, parseAgentArgs } from './args.js';

const HUB = 'wss://10.0.0.1:10443/agent';

describe('parseAgentArgs', () => {
  it('reads the flags', () => {
    expect(parseAgentArgs(['--hub', HUB, '--id', 'web1', '--type', 'web'], {}, 'host')).toEqual({
      config: { hub: HUB, stateFile: DEFAULT_STATE_FILE, serverId: 'web1', serverType: 'web' },
    });
  });

  it('falls back to the environment, then to the host name for the id', () => {
    expect(parseAgentArgs([], { UC_HUB: HUB, UC_JOIN_TOKEN: 'T', UC_STATE_FILE: '/s.json', UC_SERVER_TYPE: 'database' }, 'db 1.example.com')).toEqual({
      config: { hub: HUB, token: 'T', stateFile: '/s.json', serverId: 'db-1.example.com', serverType: 'database' },
    });
    expect(parseAgentArgs(['--id', 'x'], { UC_HUB: HUB, UC_SERVER_ID: 'y' }, 'h')).toMatchObject({ config: { serverId: 'x' } });
    expect(parseAgentArgs([], { UC_HUB: HUB, UC_SERVER_ID: 'y' }, 'h')).toMatchObject({ config: { serverId: 'y' } });
  });

  it('leaves the type out when none is given', () => {
    const r = parseAgentArgs(['--hub', HUB, '--token', 'T'], {}, 'h');
    expect(r).toEqual({ config: { hub: HUB, token: 'T', stateFile: DEFAULT_STATE_FILE, serverId: 'h' } });
  });

  it.each([
    [[], /missing --hub/],
    [['--hub', 'http://x/agent', '--token', 'T'], /must be a wss:\/\/ URL/],
    [['--hub', HUB, '--id', 'bad id'], /not a valid server id/],
    [['--hub', HUB, '--id', '.x'], /not a valid server id/],
    [['--hub', HUB, '--type', 'mainframe'], /--type must be one of: web, database/],
    [['--hub', HUB, '--bogus'], /Unknown option '--bogus'/],
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
