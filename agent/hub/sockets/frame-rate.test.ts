import { describe, expect, it } from 'vitest';
import { FrameRate } from './frame-rate.js';

describe('FrameRate', () => {
  it('allows a burst, drops beyond it, closes a flood, and starts over each second', () => {
    const r = new FrameRate(3, 6);
    expect([1, 2, 3].map(() => r.hit(1000))).toEqual(['ok', 'ok', 'ok']);
    expect(r.hit(1500)).toBe('drop');
    expect(r.hit(1600)).toBe('drop');
    expect(r.hit(1700)).toBe('close');
    expect(r.hit(2000)).toBe('ok');
  });
});
