import { describe, expect, it } from 'vitest';
import { createdTokenReport, expiresIn, tokensTable, utcMinute, type ListedJoinToken } from './token-format.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

function token(id: string, extra: Partial<ListedJoinToken> = {}): ListedJoinToken {
  return { id, createdBy: 'admin', createdAt: at(-5), expiresAt: at(55), usesLeft: 1, ...extra };
}

describe('join token times', () => {
  it('writes the expiry to the minute in UTC', () => {
    expect(utcMinute('2025-06-01T14:05:59.999Z')).toBe('2025-06-01 14:05 UTC');
    expect(utcMinute('not a date')).toBe('not a date');
  });

  it('says how long is left, rounded up to the minute, and when it has passed', () => {
    expect(expiresIn(at(60), NOW - 1000)).toBe('in 1h 1m');
    expect(expiresIn(at(60), NOW)).toBe('in 1h');
    expect(expiresIn(new Date(NOW + 59_001).toISOString(), NOW)).toBe('in 1m');
    expect(expiresIn(at(45), NOW)).toBe('in 45m');
    expect(expiresIn(at(90), NOW)).toBe('in 1h 30m');
    expect(expiresIn(at(3 * 1440 + 4 * 60 + 7), NOW)).toBe('in 3d 4h');
    expect(expiresIn(at(43200), NOW)).toBe('in 30d');
    expect(expiresIn(at(0), NOW)).toBe('expired');
    expect(expiresIn(at(-1), NOW)).toBe('expired');
    expect(expiresIn('garbage', NOW)).toBe('-');
  });
});

describe('tokensTable', () => {
  it('lists tokens oldest first with what each node becomes', () => {
    const text = tokensTable([
      token('bbbbbbbbbbbb', { createdAt: at(-1), createdBy: 'ops', usesLeft: 3, type: 'cache', cluster: 'prod', labels: { zone: 'a', tier: 'edge' } }),
      token('aaaaaaaaaaaa'),
    ], NOW);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+CREATED BY\s+EXPIRES\s+USES LEFT\s+TYPE\s+CLUSTER\s+LABELS$/);
    expect(lines[1]).toMatch(/^aaaaaaaaaaaa\s+admin\s+2025-06-01 12:55 UTC \(in 55m\)\s+1\s+-\s+-\s+-$/);
    expect(lines[2]).toMatch(/^bbbbbbbbbbbb\s+ops\s+2025-06-01 12:55 UTC \(in 55m\)\s+3\s+cache\s+prod\s+zone=a,tier=edge$/);
    expect(lines).toHaveLength(3);
  });

  it('says so when there is none', () => {
    expect(tokensTable([], NOW)).toBe('no live join tokens\n');
  });
});

describe('createdTokenReport', () => {
  it('shows the token and the install command once, and says it is shown once', () => {
    const text = createdTokenReport({
      ...token('cccccccccccc', { createdAt: at(0), expiresAt: at(60), type: 'web' }),
      token: 'uc1.cccccccccccc.secret.fp', installCommand: 'node agent.mjs --hub wss://h:1/agent --token uc1.cccccccccccc.secret.fp',
    }, NOW);
    expect(text).toMatch(/^created join token cccccccccccc\n/);
    expect(text).toMatch(/^expires\s+2025-06-01 13:00 UTC \(in 1h\)$/m);
    expect(text).toMatch(/^type\s+web$/m);
    expect(text).toMatch(/^uses\s+1$/m);
    expect(text).toContain('shown only this once');
    expect(text).toContain('\n  uc1.cccccccccccc.secret.fp\n');
    expect(text).toContain('\n  node agent.mjs --hub wss://h:1/agent --token uc1.cccccccccccc.secret.fp\n');
  });

  it('says so when the hub\'s agent address works from no other machine', () => {
    const base = { ...token('dddddddddddd'), token: 'uc1.dddddddddddd.s.f', installCommand: 'curl … | sh' };
    expect(createdTokenReport(base, NOW)).not.toContain('Warning');
    expect(createdTokenReport({ ...base, warning: "The hub's agent address is 127.0.0.1, which only this machine reaches" }, NOW))
      .toMatch(/\n {2}curl … \| sh\n\nWarning: The hub's agent address is 127\.0\.0\.1, which only this machine reaches\n$/);
  });

  it('keeps control characters from the hub out of the terminal', () => {
    const text = createdTokenReport({ ...token('x'), token: 'a\u001b[2Jb', installCommand: 'c\rd' }, NOW);
    expect(text).toContain('a?[2Jb');
    expect(text).toContain('c?d');
  });
});
