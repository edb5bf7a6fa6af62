import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyState } from '../empty-state.js';
import { FULL_ACL, READ_ONLY_ACL, visibleModel } from './acl.js';
import { createApiToken, findApiToken } from './api-tokens.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { Sessions } from './sessions.js';
import { TicketVerifier, mintTicket } from './tickets.js';

describe('passwords', () => {
  it('hashes with scrypt and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct hors', hash)).toBe(false);
    expect(await hashPassword('correct horse')).not.toBe(hash);
  });
});

describe('tickets', () => {
  const secret = Buffer.from('s'.repeat(32));
  it('verify once, within their lifetime, with the right secret', () => {
    const t = mintTicket(secret, 'alice', READ_ONLY_ACL, 1000);
    expect(new TicketVerifier(Buffer.from('x'.repeat(32))).verify(t, 1000)).toBe('invalid ticket signature');
    expect(new TicketVerifier(secret).verify(t, 1031)).toBe('ticket expired');
    const v = new TicketVerifier(secret);
    expect(v.verify(t, 1001)).toMatchObject({ user: 'alice', acl: READ_ONLY_ACL });
    expect(v.verify(t, 1002)).toBe('ticket already used');
  });
  it('refuse a payload changed after signing', () => {
    const [payload, mac] = mintTicket(secret, 'alice', READ_ONLY_ACL, 1000).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, acl: FULL_ACL })).toString('base64url');
    expect(new TicketVerifier(secret).verify(`${forged}.${mac}`, 1000)).toBe('invalid ticket signature');
    expect(new TicketVerifier(secret).verify('garbage', 1000)).toBe('malformed ticket');
  });
});

describe('sessions', () => {
  it('expire when idle and end with their user', () => {
    const s = new Sessions();
    const id = s.create('bob', 0);
    expect(s.user(id, 1000)).toBe('bob');
    expect(s.user(id, 13 * 3600 * 1000)).toBeUndefined();
    const id2 = s.create('bob');
    s.destroyUser('bob');
    expect(s.user(id2)).toBeUndefined();
  });

  it('persist with their expiry, only as hashes, and only for users that still exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uc-sessions-unit-'));
    try {
      const file = join(dir, 'sessions.json');
      const s = new Sessions(file);
      const bob = s.create('bob', 0);
      const gone = s.create('gone', 0);
      await s.flush();
      expect(readFileSync(file, 'utf8')).not.toContain(bob);
      const load = async (now: number) => {
        const again = new Sessions(file);
        await again.load(new Set(['bob']), now);
        return again;
      };
      expect((await load(3600_000)).user(bob, 3600_000)).toBe('bob');
      expect((await load(3600_000)).user(gone, 3600_000)).toBeUndefined();
      expect((await load(13 * 3600_000)).user(bob, 13 * 3600_000)).toBeUndefined();
      writeFileSync(file, '{"format":"something else"}');
      expect((await load(0)).user(bob, 0)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('API tokens', () => {
  it('are found by the token, never stored in clear', () => {
    const { state, token } = createApiToken(emptyState(), { name: 'bob', realm: 'hub', acl: READ_ONLY_ACL }, 'ci');
    expect(JSON.stringify(state)).not.toContain(token);
    expect(findApiToken(state, token)?.user).toBe('bob');
    expect(findApiToken(state, token + 'x')).toBeUndefined();
  });
});

describe('visibleModel', () => {
  it('shows a scoped user only its clusters, their servers and the connections between them', () => {
    const s = (id: string) => ({ id, name: id, type: 'web' as const, address: '1.1.1.1', region: '', labels: {}, ports: [] });
    const state = {
      servers: [s('a'), s('b'), s('c')],
      connections: [{ id: 'a:b', from: 'a', to: 'b', type: 'http' as const }, { id: 'a:c', from: 'a', to: 'c', type: 'http' as const }],
      clusters: [{ name: 'mine', servers: ['a', 'b'] }, { name: 'theirs', servers: ['c'] }],
    };
    const v = visibleModel(state, { ...READ_ONLY_ACL, scope: ['mine'] });
    expect(v.servers.map((x) => x.id)).toEqual(['a', 'b']);
    expect(v.connections.map((x) => x.id)).toEqual(['a:b']);
    expect(v.clusters.map((x) => x.name)).toEqual(['mine']);
    expect(visibleModel(state, FULL_ACL).servers).toBe(state.servers);
  });
});
