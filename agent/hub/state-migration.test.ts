import { describe, expect, it } from 'vitest';
import { migrateStateDoc } from './state-migration.js';

describe('migrateStateDoc', () => {
  it('adds the default alert rules and an empty log to a version-1 document, without changing the input', () => {
    const v1 = { format: 'unlimited-cluster-state', version: 1, revision: 2 };
    const out = migrateStateDoc(v1, 2) as Record<string, unknown>;
    expect(out).toMatchObject({ version: 2, revision: 2, alerts: [] });
    expect(out['alertRules']).toHaveLength(11);
    expect(v1).toEqual({ format: 'unlimited-cluster-state', version: 1, revision: 2 });
  });

  it('takes a version-2 document to version 3 unchanged otherwise (only optional fields were added)', () => {
    expect(migrateStateDoc({ format: 'unlimited-cluster-state', version: 2, revision: 5 }, 3)).toEqual({ format: 'unlimited-cluster-state', version: 3, revision: 5 });
  });

  it('leaves current, newer, unversioned and non-object documents alone', () => {
    for (const doc of [{ version: 3 }, { version: 4 }, { version: 'x' }, {}, null, [1], 'text']) expect(migrateStateDoc(doc, 3)).toBe(doc);
  });
});
