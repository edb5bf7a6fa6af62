import { describe, expect, it } from 'vitest';
import { optimizerOffFlags } from './optimizer-flags.js';

describe('optimizerOffFlags', () => {
  it('uses the flag names each V8 knows', () => {
    expect(optimizerOffFlags('10.2.154.26-node.37')).toBe('--no-opt'); // Node 18, Debian 12
    expect(optimizerOffFlags('11.3.244.8-node.38')).toBe('--no-turbofan --no-maglev'); // Node 20
    expect(optimizerOffFlags('12.4.254.21-node.33')).toBe('--no-turbofan --no-maglev');
  });
});
