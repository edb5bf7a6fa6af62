import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './suggest.js';

describe('suggest', () => {
  it('counts edits', () => {
    expect(editDistance('list', 'list')).toBe(0);
    expect(editDistance('lst', 'list')).toBe(1);
    expect(editDistance('sevrers', 'servers')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only what reads as a typo', () => {
    expect(closest('remvoe', ['remove', 'list'])).toBe('remove');
    expect(closest('backpu', ['backup', 'restore'])).toBe('backup');
    expect(closest('frobnicate', ['backup', 'restore'])).toBeUndefined();
    expect(closest('ad', ['add', 'rm'])).toBe('add');
  });
});
