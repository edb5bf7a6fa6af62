import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttle } from './throttle.js';

describe('throttle', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('calls at once when idle, then at most once per interval with the latest value', () => {
    const seen: number[] = [];
    const t = throttle((n: number) => seen.push(n), 250);
    t(1);
    expect(seen).toEqual([1]);
    t(2); t(3); t(4);
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(249);
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([1, 4]);
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([1, 4]);
    t(5);
    expect(seen).toEqual([1, 4, 5]);
  });

  it('turns 20 calls a second into calls at least 250 ms apart', () => {
    const at: number[] = [];
    const t = throttle(() => at.push(Date.now()), 250);
    for (let i = 0; i < 40; i++) { t(); vi.advanceTimersByTime(50); }
    expect(at.length).toBe(9); // at 0, 250, …, 2000 ms: never more often, never dropped
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(250);
  });

  it('cancel drops the pending call', () => {
    const seen: number[] = [];
    const t = throttle((n: number) => seen.push(n), 250);
    t(1); t(2);
    t.cancel();
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([1]);
  });
});
