import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './login-limiter.js';

const T0 = 1_000_000;

describe('LoginLimiter', () => {
  it('locks a client and user out after 10 failures within 5 minutes, until the window passes', () => {
    const l = new LoginLimiter();
    for (let i = 0; i < 9; i++) l.fail('1.2.3.4|admin', T0 + i);
    expect(l.blocked('1.2.3.4|admin', T0 + 10)).toBe(false);
    l.fail('1.2.3.4|admin', T0 + 10);
    expect(l.blocked('1.2.3.4|admin', T0 + 11)).toBe(true);
    expect(l.blocked('1.2.3.4|other', T0 + 11)).toBe(false);
    // The lockout lasts until the oldest of the ten leaves the window.
    expect(l.blocked('1.2.3.4|admin', T0 + 5 * 60_000 - 1)).toBe(true);
    expect(l.blocked('1.2.3.4|admin', T0 + 5 * 60_000 + 1)).toBe(false);
  });

  it('a success clears the count', () => {
    const l = new LoginLimiter();
    for (let i = 0; i < 9; i++) l.fail('k', T0);
    l.succeed('k');
    l.fail('k', T0);
    expect(l.blocked('k', T0)).toBe(false);
  });

  it('keeps an active lockout while junk keys flood it, in bounded memory, evicting the oldest first', () => {
    const l = new LoginLimiter({ maxKeys: 1000 });
    for (let i = 0; i < 10; i++) l.fail('1.2.3.4|admin', T0);
    l.fail('early|x', T0);
    // Far more junk than the limiter keeps: every key one failure, as a spray of user names does.
    for (let i = 0; i < 200_000; i++) l.fail(`10.0.${i % 250}.${i % 199}|user${i}`, T0 + 1);
    expect(l.blocked('1.2.3.4|admin', T0 + 2)).toBe(true);
    expect(l.size()).toBeLessThanOrEqual(1000 + 1); // the keys counting, and the one lockout
    // The oldest entry went first; the newest are kept.
    expect(l.failures('early|x', T0 + 2)).toBe(0);
    const last = 199_999;
    expect(l.failures(`10.0.${last % 250}.${last % 199}|user${last}`, T0 + 2)).toBe(1);
  });
});
