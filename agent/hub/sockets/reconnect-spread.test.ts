import { describe, expect, it } from 'vitest';
import { MAX_SPREAD_MS, RECONNECTS_PER_SECOND, reconnectSpreadMs } from './reconnect-spread.js';

describe('reconnectSpreadMs', () => {
  it('is none for no agents, one second for a small fleet, and grows with the fleet in whole seconds', () => {
    expect(reconnectSpreadMs(0)).toBe(0);
    expect(reconnectSpreadMs(1)).toBe(1000);
    expect(reconnectSpreadMs(RECONNECTS_PER_SECOND)).toBe(1000);
    expect(reconnectSpreadMs(RECONNECTS_PER_SECOND + 1)).toBe(2000);
    expect(reconnectSpreadMs(5000)).toBe((5000 / RECONNECTS_PER_SECOND) * 1000);
  });

  it('is capped, so every agent is back within the cap', () => {
    expect(reconnectSpreadMs(1_000_000)).toBe(MAX_SPREAD_MS);
  });
});
