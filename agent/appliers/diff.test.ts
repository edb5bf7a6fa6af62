import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './diff.js';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', 'f')).toBe('');
  });
  it('shows a changed line with context and hunk header', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n') + '\n';
    const after = before.replace('5\n', 'five\n');
    expect(unifiedDiff(before, after, 'f')).toBe('--- f\n+++ f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n');
  });
  it('diffs a new file against nothing', () => {
    expect(unifiedDiff('', 'x\ny\n', 'f')).toBe('--- f\n+++ f\n@@ -0,0 +1,2 @@\n+x\n+y\n');
  });
  it('makes two hunks for changes far apart', () => {
    const before = Array.from({ length: 30 }, (_, i) => String(i)).join('\n') + '\n';
    const after = before.replace('\n2\n', '\ntwo\n').replace('\n27\n', '\nlate\n');
    expect(unifiedDiff(before, after, 'f').match(/^@@/gm)).toHaveLength(2);
  });
});
