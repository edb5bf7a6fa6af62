import { describe, expect, it } from 'vitest';
import type { AlertEvent } from './event.js';
import { AlertHooks } from './hooks.js';

const event = { alert: { id: 'r:s:1' }, rule: undefined, server: undefined } as unknown as AlertEvent;

describe('AlertHooks', () => {
  it('calls the subscribers of a name with the event, and only those', () => {
    const hooks = new AlertHooks();
    const got: string[] = [];
    hooks.on('scale_up', (e) => { got.push(`a ${e.alert.id}`); });
    const off = hooks.on('scale_up', () => { got.push('b'); });
    hooks.on('failover', () => { got.push('failover'); });
    expect(hooks.emit('scale_up', event)).toBe(2);
    off();
    hooks.emit('scale_up', event);
    expect(got).toEqual(['a r:s:1', 'b', 'a r:s:1']);
  });

  it('logs a subscriber that throws or rejects and still calls the others', async () => {
    const logged: string[] = [];
    const hooks = new AlertHooks((m) => logged.push(m));
    let called = false;
    hooks.on('failover', () => { throw new Error('boom'); });
    hooks.on('failover', async () => { throw new Error('later'); });
    hooks.on('failover', () => { called = true; });
    hooks.emit('failover', event);
    await new Promise((r) => setImmediate(r));
    expect(called).toBe(true);
    expect(logged).toEqual(['alert r:s:1: hook failover failed: boom', 'alert r:s:1: hook failover failed: later']);
  });
});
