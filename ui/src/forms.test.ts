import { describe, expect, it } from 'vitest';
import { previewImport } from './import-preview.js';
import { serverFormErrors } from './server-form.js';

describe('serverFormErrors', () => {
  const ok = { id: 'web-3', name: 'Web 3', address: '192.0.2.3', region: 'eu' };
  it('accepts a good form', () => expect(serverFormErrors(ok, () => false)).toEqual({}));
  it('names each mistake', () => {
    expect(serverFormErrors({ id: '', name: ' ', address: '', region: 'x'.repeat(65) }, () => false)).toEqual({
      id: 'Give the server an id.', name: 'Give the server a name.', address: 'Give an IP address or host name.', region: 'At most 64 characters.',
    });
    expect(serverFormErrors({ ...ok, id: '-bad id' }, () => false).id).toMatch(/^Use letters/);
    expect(serverFormErrors(ok, (id) => id === 'web-3').id).toBe('A server with id "web-3" already exists.');
    expect(serverFormErrors({ ...ok, address: 'a b' }, () => false).address).toBe('An address has no spaces.');
  });
});

describe('previewImport', () => {
  const model = { servers: new Map([['a', {}], ['b', {}]]) } as never;
  const doc = (servers: string[]) => JSON.stringify({ format: 'unlimited-cluster', version: 1, servers: servers.map((id) => ({ id })), connections: [], clusters: [] });
  it('says what would change', () => {
    const p = previewImport(doc(['b', 'c']), model);
    expect(typeof p === 'object' && { added: p.added, removed: p.removed, kept: p.kept }).toEqual({ added: ['c'], removed: ['a'], kept: 1 });
  });
  it('refuses what is not an export', () => {
    expect(previewImport('{', model)).toBe('This file is not JSON.');
    expect(previewImport('{"a":1}', model)).toMatch(/not an Unlimited Cluster export/);
    expect(previewImport(JSON.stringify({ format: 'unlimited-cluster', version: 2 }), model)).toMatch(/version 2/);
    expect(previewImport(JSON.stringify({ format: 'unlimited-cluster', version: 1, servers: [] }), model)).toBe('The export has no "connections" list.');
  });
});
