import { describe, expect, it } from 'vitest';
import {
  Family, NO_LABELS, escapeHelp, escapeLabelValue, formatValue, isLabelName, isMetricName, labels, mergeLabels, renderExposition,
} from './exposition.js';
import { parseExposition } from './test-parse.js';

describe('values', () => {
  it('formats special and ordinary numbers the way Go parses them', () => {
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('+Inf');
    expect(formatValue(-Infinity)).toBe('-Inf');
    expect(formatValue(-0)).toBe('0');
    expect(formatValue(42)).toBe('42');
    expect(formatValue(-1.5)).toBe('-1.5');
    expect(formatValue(1e21)).toBe('1e+21');
    expect(formatValue(5e-7)).toBe('5e-7');
    expect(formatValue(2 ** 53)).toBe('9007199254740992');
  });
});

describe('escaping', () => {
  it('escapes backslash, double quote and newline in label values, nothing else', () => {
    expect(escapeLabelValue('plain /var/lib')).toBe('plain /var/lib');
    expect(escapeLabelValue('a\\b')).toBe('a\\\\b');
    expect(escapeLabelValue('say "hi"')).toBe('say \\"hi\\"');
    expect(escapeLabelValue('two\nlines')).toBe('two\\nlines');
    expect(escapeLabelValue('\\"\n')).toBe('\\\\\\"\\n');
    expect(escapeLabelValue('tab\there é')).toBe('tab\there é');
  });

  it('escapes backslash and newline in HELP but keeps double quotes', () => {
    expect(escapeHelp('a "b" c\\d\ne')).toBe('a "b" c\\\\d\\ne');
  });
});

describe('names', () => {
  it('accepts metric names by [a-zA-Z_:][a-zA-Z0-9_:]*', () => {
    for (const ok of ['uc_server_up', 'a', '_x', 'job:rate5m', 'A9']) expect(isMetricName(ok)).toBe(true);
    for (const bad of ['', '9a', 'a-b', 'a b', 'é', 'a.b']) expect(isMetricName(bad)).toBe(false);
  });

  it('accepts label names by [a-zA-Z_][a-zA-Z0-9_]*, not reserved __ ones', () => {
    for (const ok of ['server', '_x', 'a9']) expect(isLabelName(ok)).toBe(true);
    for (const bad of ['', '9a', 'a:b', 'a-b', '__name__']) expect(isLabelName(bad)).toBe(false);
  });

  it('refuses to build invalid names', () => {
    expect(() => new Family('bad-name', 'h', 'gauge')).toThrow(/invalid Prometheus metric name/);
    expect(() => labels({ 'bad-label': 'x' })).toThrow(/invalid Prometheus label name/);
  });
});

describe('rendering', () => {
  it('writes HELP, TYPE and the samples of each family together, ending with a newline', () => {
    const a = new Family('m_a', 'first\nline', 'gauge').add(labels({ server: 'x"y', mount: '/a\\b' }), 1).add(labels({ server: 'z', mount: '/' }), NaN);
    const b = new Family('m_b_total', 'second', 'counter').add(NO_LABELS, 2.5);
    expect(renderExposition([a, b])).toBe([
      '# HELP m_a first\\nline',
      '# TYPE m_a gauge',
      'm_a{server="x\\"y",mount="/a\\\\b"} 1',
      'm_a{server="z",mount="/"} NaN',
      '# HELP m_b_total second',
      '# TYPE m_b_total counter',
      'm_b_total 2.5',
      '',
    ].join('\n'));
  });

  it('round-trips hostile label values through a strict parser', () => {
    const values = ['"', '\\', '\n', '\\n', 'a"b\\c\nd', '', '{}=,', 'ünï'];
    const f = new Family('m', 'h', 'gauge');
    values.forEach((v, i) => f.add(labels({ v, i: String(i) }), i));
    const parsed = parseExposition(renderExposition([f])).get('m')!;
    expect(parsed.samples.map((s) => s.labels['v'])).toEqual(values);
  });

  it('merges label sets, including empty ones', () => {
    const a = labels({ a: '1' });
    const b = labels({ b: '2' });
    expect(mergeLabels(a, b)).toBe('a="1",b="2"');
    expect(mergeLabels(NO_LABELS, b)).toBe('b="2"');
    expect(mergeLabels(a, NO_LABELS)).toBe('a="1"');
  });

  it('keeps the header of a family without samples, and renders nothing for no families', () => {
    expect(renderExposition([new Family('m', 'h', 'gauge')])).toBe('# HELP m h\n# TYPE m gauge\n');
    expect(renderExposition([])).toBe('');
  });

  it('refuses a family given twice (it would be split)', () => {
    expect(() => renderExposition([new Family('m', 'h', 'gauge'), new Family('m', 'h', 'gauge')])).toThrow(/given twice/);
  });
});

describe('the strict test parser', () => {
  // The parser guards the other tests, so it must itself catch what Prometheus rejects.
  it.each([
    ['a split family', '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x="1"} 2\n'],
    ['an unknown escape', 'a{x="\\t"} 1\n'],
    ['a raw newline in a label value', 'a{x="1\n"} 1\n'],
    ['a duplicate series', 'a{x="1"} 1\na{x="1"} 2\n'],
    ['a bad value', 'a 1,5\n'],
    ['Inf without a sign', 'a Inf\n'],
    ['TYPE after samples', 'a 1\n# TYPE a gauge\n'],
    ['a missing final newline', 'a 1'],
  ])('rejects %s', (_what, text) => {
    expect(() => parseExposition(text)).toThrow();
  });
});
