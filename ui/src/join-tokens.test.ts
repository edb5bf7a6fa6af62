import { describe, expect, it } from 'vitest';
import { joinTokenCreateSchema } from '../../agent/protocol/api.js';
import { labelsSchema } from '../../agent/protocol/model.js';
import { LIMITS, expiresIn, labelText, parseLabelList, tokenRequest, type TokenForm } from './join-tokens.js';

const form = (extra: Partial<TokenForm> = {}): TokenForm => ({ expires: '', uses: '', type: '', labels: '', cluster: '', ...extra });

describe('LIMITS', () => {
  it('are the protocol schema\'s, so the form refuses exactly what the hub would', () => {
    const p = joinTokenCreateSchema.properties;
    expect(LIMITS.expiresInMinutes).toEqual({ minimum: p.expiresInMinutes.minimum, maximum: p.expiresInMinutes.maximum });
    expect(LIMITS.uses).toEqual({ minimum: p.uses.minimum, maximum: p.uses.maximum });
    expect(p.labels).toBe(labelsSchema);
    expect(LIMITS.labels).toEqual({
      maxProperties: labelsSchema.maxProperties, keyMaxLength: labelsSchema.propertyNames.maxLength,
      keyPattern: labelsSchema.propertyNames.pattern, valueMaxLength: labelsSchema.additionalProperties.maxLength,
    });
  });
});

describe('parseLabelList', () => {
  it('reads name=value pairs separated by commas, trimming spaces', () => {
    expect(parseLabelList(' zone = a , tier=edge,,  ')).toEqual({ ok: true, value: { zone: 'a', tier: 'edge' } });
    expect(parseLabelList('url=a=b, empty=')).toEqual({ ok: true, value: { url: 'a=b', empty: '' } });
    expect(parseLabelList('   ')).toEqual({ ok: true, value: {} });
  });

  it('says what is wrong with a bad pair', () => {
    expect(parseLabelList('zone')).toEqual({ ok: false, error: 'Label "zone" is not name=value.' });
    expect(parseLabelList('=a')).toEqual({ ok: false, error: 'Label "=a" is not name=value.' });
    expect(parseLabelList('my zone=a')).toMatchObject({ ok: false, error: expect.stringMatching(/^Label name "my zone" may have only/) });
    expect(parseLabelList('-x=a')).toMatchObject({ ok: false });
    expect(parseLabelList('a=1, a=2')).toEqual({ ok: false, error: 'Label "a" is given twice.' });
    expect(parseLabelList(`a=${'x'.repeat(257)}`)).toEqual({ ok: false, error: 'The value of label "a" is too long.' });
    expect(parseLabelList(Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(','))).toEqual({ ok: false, error: 'At most 32 labels.' });
  });

  it('does not treat prototype names specially', () => {
    expect(parseLabelList('constructor=x, toString=y')).toEqual({ ok: true, value: { constructor: 'x', toString: 'y' } });
  });
});

describe('tokenRequest', () => {
  it('sends only what was filled in, so the hub applies its defaults', () => {
    expect(tokenRequest(form())).toEqual({ ok: true, value: {} });
    expect(tokenRequest(form({ expires: ' 90 ', uses: '3', type: 'cache', labels: 'zone=a', cluster: 'prod' })))
      .toEqual({ ok: true, value: { expiresInMinutes: 90, uses: 3, type: 'cache', labels: { zone: 'a' }, cluster: 'prod' } });
  });

  it('refuses numbers outside what the hub accepts, naming the field', () => {
    expect(tokenRequest(form({ expires: '0' }))).toEqual({ ok: false, error: 'Expires in (minutes) must be a whole number from 1 to 43200.' });
    expect(tokenRequest(form({ expires: '43201' }))).toMatchObject({ ok: false });
    expect(tokenRequest(form({ expires: '1.5' }))).toMatchObject({ ok: false });
    expect(tokenRequest(form({ uses: '-1' }))).toEqual({ ok: false, error: 'Uses must be a whole number from 1 to 100000.' });
    expect(tokenRequest(form({ uses: '1e3' }))).toMatchObject({ ok: false });
  });

  it('refuses a bad label list or an unknown type', () => {
    expect(tokenRequest(form({ labels: 'oops' }))).toEqual({ ok: false, error: 'Label "oops" is not name=value.' });
    expect(tokenRequest(form({ type: 'mainframe' }))).toEqual({ ok: false, error: 'Unknown server type "mainframe".' });
  });
});

describe('expiresIn', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  const at = (ms: number) => new Date(now + ms).toISOString();

  it('rounds up to the minute and shows the two largest units', () => {
    expect(expiresIn(at(1000), now)).toBe('in 1 min');
    expect(expiresIn(at(45 * 60_000), now)).toBe('in 45 min');
    expect(expiresIn(at(60 * 60_000), now)).toBe('in 1 h');
    expect(expiresIn(at(90 * 60_000 - 1), now)).toBe('in 1 h 30 min');
    expect(expiresIn(at((3 * 1440 + 4 * 60 + 5) * 60_000), now)).toBe('in 3 d 4 h');
    expect(expiresIn(at(2 * 1440 * 60_000), now)).toBe('in 2 d');
  });

  it('says expired once the time has come, and nothing for a bad date', () => {
    expect(expiresIn(at(0), now)).toBe('expired');
    expect(expiresIn(at(-5000), now)).toBe('expired');
    expect(expiresIn('soon', now)).toBe('');
  });
});

describe('labelText', () => {
  it('lists labels as name=value', () => {
    expect(labelText({ zone: 'a', tier: 'edge' })).toBe('zone=a, tier=edge');
    expect(labelText(undefined)).toBe('');
  });
});
