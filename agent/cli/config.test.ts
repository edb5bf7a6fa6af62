import { describe, expect, it } from 'vitest';
import { parseArgs, type Invocation } from './args.js';
import { TABLE } from './commands/index.js';
import { authorizationHeader, normalizeHubUrl, resolveConfig, type Env } from './config.js';
import { UsageError } from './errors.js';

function inv(...argv: string[]): Invocation {
  const parsed = parseArgs([...argv, 'status'], TABLE);
  if (parsed.kind !== 'run') throw new Error('expected a command');
  return parsed;
}

describe('normalizeHubUrl', () => {
  it('accepts URLs and host:port, without a trailing slash', () => {
    expect(normalizeHubUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(normalizeHubUrl('hub.example.com:8080')).toBe('http://hub.example.com:8080');
    expect(normalizeHubUrl('https://h/prefix/')).toBe('https://h/prefix');
  });

  it('refuses what cannot be a hub address', () => {
    expect(() => normalizeHubUrl('ftp://h')).toThrow(UsageError);
    expect(() => normalizeHubUrl('http://')).toThrow(/not a hub address/);
    expect(() => normalizeHubUrl('http://h/?x=1')).toThrow(/query/);
  });
});

describe('resolveConfig', () => {
  const env: Env = { CLUSTERCTL_HUB: 'http://env:1', CLUSTERCTL_TOKEN: 'envtoken', CLUSTERCTL_PASSWORD: 'pw' };

  it('defaults to the local hub without credentials', () => {
    expect(resolveConfig(inv(), {})).toEqual({ hubUrl: 'http://127.0.0.1:8080', auth: { kind: 'none' } });
  });

  it('lets options win over the environment', () => {
    expect(resolveConfig(inv(), env)).toEqual({ hubUrl: 'http://env:1', auth: { kind: 'token', token: 'envtoken' } });
    expect(resolveConfig(inv('--hub', 'http://opt:2', '--user', 'admin'), env))
      .toEqual({ hubUrl: 'http://opt:2', auth: { kind: 'basic', user: 'admin', password: 'pw' } });
  });

  it('uses CLUSTERCTL_USER when no token is set, and leaves an unknown password to be asked', () => {
    expect(resolveConfig(inv(), { CLUSTERCTL_USER: 'ops' }).auth).toEqual({ kind: 'basic', user: 'ops', password: undefined });
  });

  it('refuses both --token and --user, and unusable values', () => {
    expect(() => resolveConfig(inv('--token', 't', '--user', 'u'), {})).toThrow(/either --token or --user/);
    expect(() => resolveConfig(inv('--token', 'a b'), {})).toThrow(/token/);
    expect(() => resolveConfig(inv('--user', 'a:b'), {})).toThrow(/not a user name/);
  });
});

describe('authorizationHeader', () => {
  it('sends Bearer for tokens and Basic for users', () => {
    expect(authorizationHeader({ kind: 'none' })).toBeUndefined();
    expect(authorizationHeader({ kind: 'token', token: 'abc' })).toBe('Bearer abc');
    expect(authorizationHeader({ kind: 'basic', user: 'admin', password: 'pä:ss' }))
      .toBe(`Basic ${Buffer.from('admin:pä:ss').toString('base64')}`);
    expect(authorizationHeader({ kind: 'basic', user: 'admin', password: undefined }, 'asked'))
      .toBe(`Basic ${Buffer.from('admin:asked').toString('base64')}`);
  });
});
