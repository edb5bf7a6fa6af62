import { describe, expect, it } from 'vitest';
import { PasswordGate } from './password-gate.js';

/** A password check the test finishes by hand, recording how many run at once. */
function checks() {
  let running = 0;
  let most = 0;
  const open: ((ok: boolean) => void)[] = [];
  const verify = () => new Promise<boolean>((resolve) => {
    most = Math.max(most, ++running);
    open.push((ok) => { running--; resolve(ok); });
  });
  return { verify, most: () => most, started: () => open.length, finish: (i: number, ok = false) => open[i]!(ok) };
}

const status = (p: Promise<unknown>) => p.then(() => 'ok', (e: { status?: number }) => e.status);
const tick = () => new Promise((r) => setImmediate(r));

describe('PasswordGate', () => {
  it('runs two checks at once, queues 32, refuses the rest at once with 503', async () => {
    const gate = new PasswordGate();
    const c = checks();
    const results = Array.from({ length: 40 }, (_, i) => status(gate.check(`10.0.0.${i}`, 'u', c.verify)));
    await tick();
    expect(c.started()).toBe(2);
    expect(await Promise.all(results.slice(34))).toEqual(Array(6).fill(503));
    // As checks finish, waiting ones start, never more than two at a time.
    for (let i = 0; i < 34; i++) {
      c.finish(i);
      await tick();
    }
    expect(await Promise.all(results.slice(0, 34))).toEqual(Array(34).fill('ok'));
    expect(c.most()).toBe(2);
  });

  it('gives one address at most four places and refuses its fifth check with 429', async () => {
    const gate = new PasswordGate();
    const c = checks();
    const mine = Array.from({ length: 5 }, () => status(gate.check('10.9.9.9', 'u', c.verify)));
    expect(await mine[4]).toBe(429);
    const other = status(gate.check('10.8.8.8', 'u', c.verify));
    for (let i = 0; i < 5; i++) {
      await tick();
      if (i < c.started()) c.finish(i);
    }
    expect(await Promise.all([...mine.slice(0, 4), other])).toEqual(Array(5).fill('ok'));
  });

  it('counts failures per address and user and locks that pair out', async () => {
    const gate = new PasswordGate();
    for (let i = 0; i < 10; i++) expect(await gate.check('10.1.1.1', 'alice', async () => false)).toBe(false);
    expect(await status(gate.check('10.1.1.1', 'alice', async () => true))).toBe(429);
    expect(await gate.check('10.1.1.1', 'bob', async () => true)).toBe(true);
    expect(await gate.check('10.2.2.2', 'alice', async () => true)).toBe(true);
  });
});
