import { describe, expect, it } from 'vitest';
import { parseTcpInUse } from './sockstat.js';

const V4 = `sockets: used 312
TCP: inuse 17 orphan 0 tw 4 alloc 20 mem 3
UDP: inuse 2 mem 1
`;
const V6 = `TCP6: inuse 5
UDP6: inuse 1
`;

describe('parseTcpInUse', () => {
  it('adds IPv4 and IPv6 TCP sockets in use, not UDP or time-wait', () => {
    expect(parseTcpInUse(V4, V6)).toBe(22);
  });

  it('works without IPv6', () => {
    expect(parseTcpInUse(V4)).toBe(17);
    expect(parseTcpInUse(V4, '')).toBe(17);
  });
});
