import { describe, expect, it } from 'vitest';
import { previewImport } from './import-preview.js';
import { DEFAULT_PORTS, formatLabels, parseLabels, parsePorts, serverFormErrors } from './server-form.js';

describe('serverFormErrors', () => {
  const ok = { id: 'web-3', name: 'Web 3', address: '192.0.2.3', region: 'eu', labels: 'tier=gold', ports: '80, 443' };
  it('accepts a good form', () => expect(serverFormErrors(ok, () => false)).toEqual({}));
  it('names each mistake', () => {
    expect(serverFormErrors({ id: '', name: ' ', address: '', region: 'x'.repeat(65), labels: '=x', ports: '80, http' }, () => false)).toEqual({
      id: 'Give the server an id.', name: 'Give the server a name.', address: 'Give an IP address or host name.', region: 'At most 64 characters.',
      labels: '"" is not a label name: letters, digits, ".", "_", "/" or "-".', ports: '"http" is not a port (1 to 65535).',
    });
    expect(serverFormErrors({ ...ok, id: '-bad id' }, () => false).id).toMatch(/^Use letters/);
    expect(serverFormErrors(ok, (id) => id === 'web-3').id).toBe('A server with id "web-3" already exists.');
    expect(serverFormErrors({ ...ok, address: 'a b' }, () => false).address).toBe('An address has no spaces.');
  });
});

describe('labels and ports', () => {
  it('reads labels and ports as typed, and writes labels back the same way', () => {
    expect(parseLabels('tier=gold, zone = a\nbackup')).toEqual({ tier: 'gold', zone: 'a', backup: '' });
    expect(formatLabels({ tier: 'gold', backup: '' })).toBe('tier=gold, backup');
    expect(parseLabels('a=1, a=2')).toBe('"a" is given twice.');
    expect(parsePorts('80 443,80')).toEqual([80, 443]);
    expect(parsePorts('0')).toBe('"0" is not a port (1 to 65535).');
    expect(parsePorts('')).toEqual([]);
  });
  it('offers the usual ports of every type', () => {
    expect(DEFAULT_PORTS.web).toEqual([80, 443]);
    expect(DEFAULT_PORTS.database).toContain(3306);
  });
  it('does not check the id when editing (it cannot change)', () => {
    expect(serverFormErrors({ id: '', name: 'n', address: 'h', region: '', labels: '', ports: '' }, null)).toEqual({});
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
