import { describe, expect, it } from 'vitest';
import { TaskQueue } from './task-queue.js';

describe('TaskQueue', () => {
  it('runs at most N at once, queues a bounded backlog and refuses the rest', async () => {
    const q = new TaskQueue(2, 1);
    let running = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const task = () => new Promise<void>((resolve) => {
      running++;
      most = Math.max(most, running);
      releases.push(() => { running--; resolve(); });
    });
    expect([q.push(task), q.push(task), q.push(task), q.push(task)]).toEqual([true, true, true, false]);
    await new Promise((r) => setImmediate(r));
    expect(running).toBe(2);
    while (releases.length) {
      releases.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    await q.idle();
    expect(most).toBe(2);
    expect(running).toBe(0);
  });

  it('keeps going after a task fails', async () => {
    const errors: unknown[] = [];
    const q = new TaskQueue(1, 5, (e) => errors.push(e));
    let ran = false;
    q.push(() => Promise.reject(new Error('x')));
    q.push(async () => { ran = true; });
    await q.idle();
    expect(ran).toBe(true);
    expect(errors).toHaveLength(1);
  });
});
