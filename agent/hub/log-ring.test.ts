import { describe, expect, it } from 'vitest';
import { HubLogRing, redact } from './log-ring.js';

describe('redact', () => {
  it('removes token secrets, credentials, passwords and URL keys, and keeps the rest', () => {
    const secret = 'A'.repeat(43);
    expect(redact(`enrolled with uc1.0123456789ab.${secret}.${'f'.repeat(64)}`)).toBe(`enrolled with uc1.0123456789ab.[secret].${'f'.repeat(64)}`);
    expect(redact('token uct_abcdefghijklmnop used')).toBe('token uct_[secret] used');
    expect(redact('Authorization: Bearer abc.def-ghi')).toBe('Authorization: Bearer [secret]');
    expect(redact('header basic YWRtaW46cHc=')).toBe('header basic [secret]');
    expect(redact('password=hunter2 and secret: s3cr3t')).toBe('password=[secret] and secret: [secret]');
    expect(redact('webhook https://user:pw@hooks.example.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX?x=1 failed'))
      .toBe('webhook https://hooks.example.com/services/T000/B000/… failed');
    expect(redact('agents on wss://127.0.0.1:10443/agent')).toBe('agents on wss://127.0.0.1:10443/agent');
    expect(redact("agent 'web1' connected from 10.0.0.5")).toBe("agent 'web1' connected from 10.0.0.5");
    expect(redact('x'.repeat(5000))).toHaveLength(4096);
  });
});

describe('HubLogRing', () => {
  it('keeps the newest lines, numbered, and reads after a sequence number', () => {
    const ring = new HubLogRing(3);
    for (let i = 1; i <= 5; i++) ring.push(`line ${i}`);
    expect(ring.read(0)).toMatchObject({ lines: [{ seq: 3, msg: 'line 3' }, { seq: 4 }, { seq: 5 }], next: 5, dropped: 2 });
    expect(ring.read(4)).toMatchObject({ lines: [{ seq: 5 }], next: 5, dropped: 0 });
    expect(ring.read(5)).toEqual({ lines: [], next: 5, dropped: 0 });
    expect(ring.read(0, 1)).toMatchObject({ lines: [{ seq: 5 }], next: 5, dropped: 4 });
  });

  it('stores only the redacted line, and returns it for printing', () => {
    const ring = new HubLogRing();
    expect(ring.push('login password=pw1')).toBe('login password=[secret]');
    expect(JSON.stringify(ring.read())).not.toContain('pw1');
  });
});
