import { describe, expect, it } from 'vitest';
import { KeyedLock } from './keyed-lock.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('KeyedLock', () => {
  it('runs holders of one key one after the other, and of other keys at once', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    let release!: () => void;
    const first = lock.run(['a', 'b'], () => new Promise<void>((r) => { order.push('first'); release = r; }));
    const second = lock.run(['b'], async () => { order.push('second'); });
    const other = lock.run(['c'], async () => { order.push('other'); });
    await other;
    await tick();
    expect(order).toEqual(['first', 'other']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'other', 'second']);
  });
  it('lets go of its keys when the holder throws', async () => {
    const lock = new KeyedLock();
    await expect(lock.run(['a'], async () => { throw new Error('no'); })).rejects.toThrow('no');
    expect(await lock.run(['a'], async () => 'next')).toBe('next');
  });
  it('never deadlocks holders that ask for overlapping keys in different orders', async () => {
    const lock = new KeyedLock();
    const done = await Promise.all([lock.run(['x', 'y'], async () => 1), lock.run(['y', 'x'], async () => 2)]);
    expect(done).toEqual([1, 2]);
  });
});
