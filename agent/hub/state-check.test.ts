import { describe, expect, it } from 'vitest';
import type { State } from '../protocol/types.js';
import { check, validators } from '../protocol/validate.js';
import { emptyState } from './empty-state.js';
import { documentBytes } from './record-json.js';
import { StateChecker } from './state-check.js';

const server = (i: number) => ({ id: `s${i}`, name: `S ${i}`, type: 'web', address: `10.0.0.${i % 250}`, region: 'r', labels: { t: 'x' }, ports: [80] });
function big(): State {
  const s = emptyState();
  const servers = Array.from({ length: 50 }, (_, i) => server(i));
  return {
    ...s, servers: servers as State['servers'],
    connections: [{ id: 's0:s1', from: 's0', to: 's1', type: 'http' }],
    clusters: [{ name: 'c', servers: ['s0', 's1'] }],
    layout: { s0: { x: 1, y: 2 } },
    audit: [{ ts: 'now', user: 'admin', action: 'x', target: 'y' }],
  };
}

/** Variants of a valid state that validators.state refuses, each with one fault. */
const faults: [string, (s: State) => unknown][] = [
  ['a server of an unknown type', (s) => ({ ...s, servers: s.servers.map((x, i) => (i === 7 ? { ...x, type: 'toaster' } : x)) })],
  ['a server with an unknown field', (s) => ({ ...s, servers: [...s.servers, { ...server(99), evil: 1 }] })],
  ['a connection without its target', (s) => ({ ...s, connections: [{ id: 'a', from: 's0', type: 'http' }] })],
  ['a layout position that is not a number', (s) => ({ ...s, layout: { ...s.layout, s1: { x: 'left', y: 0 } } })],
  ['an unknown field in the document', (s) => ({ ...s, extra: true })],
  ['no servers at all', (s) => { const { servers: _servers, ...rest } = s; return rest; }],
  ['a wrong format', (s) => ({ ...s, format: 'something-else' })],
  ['servers that are not a list', (s) => ({ ...s, servers: {} })],
  ['too many alert rules', (s) => ({ ...s, alertRules: Array.from({ length: 1001 }, (_, i) => ({ ...s.alertRules[0]!, id: `r${i}` })) })],
  ['an audit entry without its action', (s) => ({ ...s, audit: [{ ts: 'now', user: 'a', target: 'b' }] })],
];

describe('StateChecker', () => {
  it('passes what validators.state passes', () => {
    const c = new StateChecker();
    for (const s of [emptyState(), big()]) {
      expect(check(validators.state, s).ok).toBe(true);
      expect(c.check(s)).toEqual({ ok: true, value: s });
    }
  });

  it.each(faults)('refuses %s, as validators.state does, even after checking the rest before', (_what, fault) => {
    const c = new StateChecker();
    const good = big();
    expect(c.check(good).ok).toBe(true); // everything in `good` is now known to pass
    const bad = fault(good);
    const full = check(validators.state, bad);
    expect(full.ok).toBe(false);
    const mine = c.check(bad);
    expect(mine.ok).toBe(false);
    if (!mine.ok && !full.ok) expect(mine.error).toBe(full.error);
  });
});

describe('documentBytes', () => {
  it('is JSON.stringify of the document, before and after a change', () => {
    const s = big();
    expect(Buffer.concat(documentBytes(s)).toString()).toBe(JSON.stringify(s));
    const changed = { ...s, servers: s.servers.map((x, i) => (i === 3 ? { ...x, region: 'moved "here"' } : x)), revision: 9 };
    expect(Buffer.concat(documentBytes(changed)).toString()).toBe(JSON.stringify(changed));
    const odd = { a: [1, 'two', null, undefined, [3]], b: undefined, c: { d: [{ e: 1 }] } };
    expect(Buffer.concat(documentBytes(odd)).toString()).toBe(JSON.stringify(odd));
    expect(Buffer.concat(documentBytes({})).toString()).toBe('{}');
    const unicode = { servers: [{ id: 'ü', name: '☃ "quoted"' }] };
    expect(Buffer.concat(documentBytes(unicode)).toString()).toBe(JSON.stringify(unicode));
  });
});

describe('documentBytes across changes', () => {
  it('stays JSON.stringify of each version as records are changed, added, removed and moved', () => {
    let s = { ...big(), servers: Array.from({ length: 1000 }, (_, i) => server(i)) as State['servers'] };
    const versions: State[] = [s];
    s = { ...s, servers: s.servers.map((x, i) => (i === 300 ? { ...x, region: 'changed' } : x)) };
    versions.push(s);
    s = { ...s, servers: [...s.servers, server(1000) as State['servers'][number]] };
    versions.push(s);
    s = { ...s, servers: s.servers.filter((_, i) => i !== 5) };
    versions.push(s);
    s = { ...s, servers: [s.servers[999]!, ...s.servers.slice(0, 999)] };
    versions.push(s);
    s = { ...s, servers: s.servers.slice(0, 256) };
    versions.push(s);
    for (const v of [...versions, ...versions.reverse()]) expect(Buffer.concat(documentBytes(v)).toString()).toBe(JSON.stringify(v));
  });
});
