import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_STATE_FILE, idFromHostname, parseAgentArgs } from './args.js';
import { DEFAULT_INSTANCE_ID_FILE, readInstanceId } from './instance-id.js';

const HUB = 'wss://10.0.0.1:10443/agent';

describe('parseAgentArgs', () => {
  it('reads the flags', () => {
    expect(parseAgentArgs(['--hub', HUB, '--id', 'web1', '--type', 'web'], {}, 'host')).toEqual({
      config: { hub: HUB, stateFile: DEFAULT_STATE_FILE, serverId: 'web1', serverType: 'web', instanceIdFile: DEFAULT_INSTANCE_ID_FILE },
    });
  });

  it('falls back to the environment, then to the host name for the id', () => {
    expect(parseAgentArgs([], { UC_HUB: HUB, UC_JOIN_TOKEN: 'T', UC_STATE_FILE: '/s.json', UC_SERVER_TYPE: 'database' }, 'db 1.example.com')).toEqual({
      config: { hub: HUB, token: 'T', stateFile: '/s.json', serverId: 'db-1.example.com', serverType: 'database', instanceIdFile: DEFAULT_INSTANCE_ID_FILE },
    });
    expect(parseAgentArgs(['--id', 'x'], { UC_HUB: HUB, UC_SERVER_ID: 'y' }, 'h')).toMatchObject({ config: { serverId: 'x' } });
    expect(parseAgentArgs([], { UC_HUB: HUB, UC_SERVER_ID: 'y' }, 'h')).toMatchObject({ config: { serverId: 'y' } });
  });

  it('takes the EC2 instance id from --instance-id or UC_INSTANCE_ID, and where cloud-init wrote it from UC_INSTANCE_ID_FILE', () => {
    expect(parseAgentArgs(['--hub', HUB, '--instance-id', 'i-0123456789abcdef0'], {}, 'h')).toMatchObject({ config: { instanceId: 'i-0123456789abcdef0' } });
    expect(parseAgentArgs(['--hub', HUB], { UC_INSTANCE_ID: 'i-01234567' }, 'h')).toMatchObject({ config: { instanceId: 'i-01234567' } });
    expect(parseAgentArgs(['--hub', HUB], { UC_INSTANCE_ID_FILE: '/x/id' }, 'h')).toMatchObject({ config: { instanceIdFile: '/x/id' } });
    expect(parseAgentArgs(['--hub', HUB, '--instance-id', 'web1'], {}, 'h')).toEqual({ error: '--instance-id "web1" is not an EC2 instance id (i- and 8 or 17 hex digits)' });
  });

  it('reads the instance id file; a missing file or another cloud\'s id gives none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uc-iid-'));
    try {
      const file = join(dir, 'instance-id');
      const warned: string[] = [];
      expect(readInstanceId(undefined, file, (m) => warned.push(m))).toBeUndefined();
      writeFileSync(file, 'i-0abcdef1234567890\n');
      expect(readInstanceId(undefined, file)).toBe('i-0abcdef1234567890');
      expect(readInstanceId('i-11111111', file)).toBe('i-11111111');
      writeFileSync(file, 'nocloud-1\n');
      expect(readInstanceId(undefined, file, (m) => warned.push(m))).toBeUndefined();
      expect(warned).toEqual([`${file} holds 'nocloud-1', not an EC2 instance id: none reported`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves the type out when none is given', () => {
    const r = parseAgentArgs(['--hub', HUB, '--token', 'T'], {}, 'h');
    expect(r).toEqual({ config: { hub: HUB, token: 'T', stateFile: DEFAULT_STATE_FILE, serverId: 'h', instanceIdFile: DEFAULT_INSTANCE_ID_FILE } });
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
