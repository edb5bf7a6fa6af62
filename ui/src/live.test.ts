import { describe, expect, it } from 'vitest';
import { backoff, parseFrame } from './live.js';

describe('backoff', () => {
  it('doubles from about 1 s and stops at 30 s', () => {
    const mid = () => 0.5; // no jitter
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => backoff(n, mid))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('jitters within ±25 %', () => {
    expect(backoff(2, () => 0)).toBe(3000);
    expect(backoff(2, () => 1)).toBe(5000);
  });
});

describe('parseFrame', () => {
  it('accepts snapshot, delta and error frames of protocol version 1', () => {
    expect(parseFrame('{"v":1,"type":"delta","status":{"a":"active"}}')).toEqual({ v: 1, type: 'delta', status: { a: 'active' } });
    expect(parseFrame('{"v":1,"type":"error","code":"x","message":"m"}')?.type).toBe('error');
  });

  it('ignores other versions, unknown types and garbage', () => {
    expect(parseFrame('{"v":2,"type":"delta"}')).toBeUndefined();
    expect(parseFrame('{"v":1,"type":"welcome"}')).toBeUndefined();
    expect(parseFrame('null')).toBeUndefined();
    expect(parseFrame('not json')).toBeUndefined();
  });
});
