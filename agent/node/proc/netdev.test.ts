import { describe, expect, it } from 'vitest';
import { summedRate } from './counters.js';
import { parseNetDev } from './netdev.js';

const header = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
`;
const A = `${header}    lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0
  eth0: 260272802    7597    0    0    0     0          0         0   552900    4642    0    0    0     0       0          0
  eth1:1000 1 0 0 0 0 0 0 2000 1 0 0 0 0 0 0
`;
const B = `${header}    lo:    9999      29    0    0    0     0          0         0     9999      29    0    0    0     0       0          0
  eth0: 260282802    7600    0    0    0     0          0         0   572900    4650    0    0    0     0       0          0
  eth1:1500 1 0 0 0 0 0 0 2000 1 0 0 0 0 0 0
`;
const notLo = (n: string) => n !== 'lo';

describe('parseNetDev', () => {
  it('reads receive and transmit bytes per interface, skipping excluded ones', () => {
    const c = parseNetDev(A, notLo);
    expect([...c.rx]).toEqual([['eth0', 260272802], ['eth1', 1000]]);
    expect([...c.tx]).toEqual([['eth0', 552900], ['eth1', 2000]]);
  });

  it('gives byte rates across interfaces from two readings', () => {
    const a = parseNetDev(A, notLo);
    const b = parseNetDev(B, notLo);
    expect(summedRate(a.rx, b.rx, 2)).toBe((10000 + 500) / 2);
    expect(summedRate(a.tx, b.tx, 2)).toBe(20000 / 2);
  });

  it('gives 0, not a negative rate, for an interface whose counters were reset', () => {
    const reset = B.replace('260282802', '12');
    expect(summedRate(parseNetDev(A, notLo).rx, parseNetDev(reset, notLo).rx, 1)).toBe(500);
  });
});
