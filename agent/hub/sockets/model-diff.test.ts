import { describe, expect, it } from 'vitest';
import { diffViews } from './model-diff.js';

describe('diffViews', () => {
  const a = { id: 'a', name: 'a', type: 'web' as const, address: '1.1.1.1', region: '', labels: {}, ports: [] };
  const b = { ...a, id: 'b', name: 'b' };
  it('is empty for the same view and lists upserts by identity and removals by id', () => {
    const v = { servers: [a, b], connections: [], clusters: [] };
    expect(diffViews(v, v)).toEqual({});
    const a2 = { ...a, region: 'eu' };
    const next = { servers: [a2], connections: [], clusters: [{ name: 'k', servers: ['a'] }] };
    expect(diffViews(v, next)).toEqual({ servers: [a2], clusters: [{ name: 'k', servers: ['a'] }], removed: { servers: ['b'] } });
  });
});
