import { describe, expect, it } from 'vitest';
import { UNREADABLE_POLLS, readRebalance } from './rebalance.js';

const status = (state: string, failures = 0) => ({ rebalance: { state, files: 3, size: 300, failures } });
const refused = new Error("gl1: gluster volume rebalance vol0 status: Brick ops failed on 10.0.0.12. Glusterd Syncop Mgmt brick op 'Rebalance' failed.");

describe('readRebalance', () => {
  it('waits out a status query glusterd refuses while a rebalance process starts, then goes on', () => {
    const first = readRebalance(refused, 0);
    expect(first).toEqual({ progress: expect.stringMatching(/^rebalance status not readable yet: gl1: /), unreadable: 1 });
    expect(readRebalance(status('in progress'), 1)).toEqual({ progress: 'rebalance in progress: 3 files (300 bytes) moved, 0 failures', unreadable: 0 });
    expect(readRebalance(status('completed'), 0)).toMatchObject({ done: { state: 'completed', files: 3 } });
  });

  it('gives up after so many unreadable answers in a row, saying the last one', () => {
    expect(readRebalance(refused, UNREADABLE_POLLS - 2)).toMatchObject({ unreadable: UNREADABLE_POLLS - 1 });
    expect(readRebalance(refused, UNREADABLE_POLLS - 1)).toEqual({ error: expect.stringMatching(/could not be read 30 times in a row: gl1: .*Brick ops failed/) });
  });

  it('fails at once when the rebalance says it failed', () => {
    expect(readRebalance(status('failed', 2), 0)).toEqual({ error: 'rebalance failed (2 failures)' });
  });
});
