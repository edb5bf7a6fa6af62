import { afterEach, describe, expect, it, vi } from 'vitest';
import { limitLog } from './log-limiter.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('limitLog', () => {
  it('writes up to the budget each second, then counts the rest in one summary line', () => {
    vi.useFakeTimers();
    vi.setSystemTime(10_000);
    const lines: string[] = [];
    const log = limitLog((l) => lines.push(l), 3);
    for (let i = 0; i < 10; i++) log(`line ${i}`);
    expect(lines).toEqual(['line 0', 'line 1', 'line 2']);
    vi.advanceTimersByTime(1000);
    expect(lines.at(-1)).toBe('(7 more log lines left out: over 3 a second)');
    log('next second');
    expect(lines.at(-1)).toBe('next second');
    vi.advanceTimersByTime(5000);
    expect(lines).toHaveLength(5); // nothing was dropped since: no summary
  });
});
