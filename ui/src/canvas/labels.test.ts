import { describe, expect, it } from 'vitest';
import { blockLabels } from './labels.js';

describe('blockLabels', () => {
  it('uses the name when it is unique', () => {
    expect([...blockLabels([{ id: 'web1', name: 'Web 1' }, { id: 'db1', name: 'DB' }])]).toEqual([['web1', 'Web 1'], ['db1', 'DB']]);
  });

  it('adds the id to names that several servers share', () => {
    const l = blockLabels([{ id: 'alpha', name: 'vm' }, { id: 'beta', name: 'vm' }, { id: 'vm', name: 'vm' }, { id: 'x', name: 'X' }]);
    expect(l.get('alpha')).toBe('vm (alpha)');
    expect(l.get('beta')).toBe('vm (beta)');
    expect(l.get('vm')).toBe('vm');
    expect(l.get('x')).toBe('X');
  });
});
