import { describe, expect, it } from 'vitest';
import { checkBody, renameField } from './local-check.js';

describe('renameField', () => {
  it('replaces the JSON pointer with what the user typed', () => {
    expect(renameField('/type must be one of: web, dns', { type: '--type' })).toBe('--type must be one of: web, dns');
    expect(renameField('/labels/x has characters that are not allowed', { labels: '--label' })).toBe('--label has characters that are not allowed');
  });

  it('leaves messages it cannot map alone', () => {
    expect(renameField('/other is wrong', { type: '--type' })).toBe('/other is wrong');
    expect(renameField('(body) is missing "name"', { name: '--name' })).toBe('(body) is missing "name"');
  });
});

describe('checkBody', () => {
  it('returns a valid body and refuses an invalid one as a usage error naming the option', async () => {
    expect(await checkBody('connectionCreate', { from: 'a', to: 'b' }, {}, ['connect'])).toEqual({ from: 'a', to: 'b' });
    await expect(checkBody('connectionCreate', { from: 'a', to: 'b', type: 'bogus' }, { type: '--type' }, ['connect']))
      .rejects.toThrow('--type must be one of: standard, http, database, cache, monitoring');
  });
});
