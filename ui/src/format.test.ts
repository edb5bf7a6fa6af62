import { describe, expect, it } from 'vitest';
import { duration, load, percent, rate } from './format.js';

describe('format', () => {
  it('percent keeps one decimal below 10', () => {
    expect(percent(3.14159)).toBe('3.1 %');
    expect(percent(42.6)).toBe('43 %');
    expect(percent(100)).toBe('100 %');
  });

  it('rate uses 1024 steps and three significant digits', () => {
    expect(rate(0)).toBe('0 B/s');
    expect(rate(999)).toBe('999 B/s');
    expect(rate(1024)).toBe('1.00 KB/s');
    expect(rate(12.5 * 1024 * 1024)).toBe('12.5 MB/s');
    expect(rate(300 * 1024 ** 3)).toBe('300 GB/s');
  });

  it('duration shows the two largest units', () => {
    expect(duration(42.9)).toBe('42s');
    expect(duration(7 * 60 + 3)).toBe('7m 3s');
    expect(duration(5 * 3600 + 12 * 60 + 59)).toBe('5h 12m');
    expect(duration(3 * 86400 + 4 * 3600 + 5)).toBe('3d 4h');
  });

  it('load has two decimals', () => expect(load(0.5)).toBe('0.50'));
});
