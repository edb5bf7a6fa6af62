import { describe, expect, it } from 'vitest';
import { summedRate } from './counters.js';
import { parseDiskstats } from './diskstats.js';

const A = `   7       0 loop0 10 0 80 0 0 0 0 0 0 0 0 0 0 0 0 0 0
 254       0 vda 9515 5239 1237938 9017 1505 14001 788872 2717 0 3332 11987 3132 46 39800 251 4 0
 254       1 vda1 9000 5000 1200000 9000 1500 14000 788000 2700 0 3300 11900 0 0 0 0
   8       0 sda 1 0 100 0 1 0 200 0 0 0 0
`;
const B = `   7       0 loop0 10 0 99999 0 0 0 0 0 0 0 0 0 0 0 0 0 0
 254       0 vda 9600 5239 1238938 9017 1600 14001 790872 2717 0 3332 11987 3132 46 39800 251 4 0
 254       1 vda1 9000 5000 1201000 9000 1500 14000 790000 2700 0 3300 11900 0 0 0 0
   8       0 sda 1 0 100 0 1 0 200 0 0 0 0
`;
const wholeDisks = (n: string) => n === 'vda' || n === 'sda';

describe('parseDiskstats', () => {
  it('reads sectors read and written as bytes, for the included devices only', () => {
    const c = parseDiskstats(A, wholeDisks);
    expect([...c.rx]).toEqual([['vda', 1237938 * 512], ['sda', 100 * 512]]);
    expect([...c.tx]).toEqual([['vda', 788872 * 512], ['sda', 200 * 512]]);
  });

  it('gives read and write byte rates from two readings, partitions not counted twice', () => {
    const a = parseDiskstats(A, wholeDisks);
    const b = parseDiskstats(B, wholeDisks);
    expect(summedRate(a.rx, b.rx, 1)).toBe(1000 * 512);
    expect(summedRate(a.tx, b.tx, 4)).toBe((2000 * 512) / 4);
  });
});
