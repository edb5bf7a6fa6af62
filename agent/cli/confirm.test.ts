import { describe, expect, it } from 'vitest';
import { confirm } from './confirm.js';
import { CliError, EXIT_ERROR, EXIT_USAGE } from './errors.js';
import { fakeIo } from './test-io.js';

const opts = { question: 'Remove it?', action: 'remove it' };

async function outcome(p: Promise<void>): Promise<string | number> {
  try {
    await p;
    return 'yes';
  } catch (e) {
    if (e instanceof CliError) return e.exitCode;
    throw e;
  }
}

describe('confirm', () => {
  it('goes ahead with --yes without asking, even without a terminal', async () => {
    const io = fakeIo();
    expect(await outcome(confirm(io, { ...opts, yes: true }))).toBe('yes');
    expect(io.questions).toEqual([]);
  });

  it('refuses without --yes when there is no terminal, as a usage error', async () => {
    const io = fakeIo({ interactive: false, answers: ['y'] });
    await expect(confirm(io, { ...opts, yes: false })).rejects.toThrow(/refusing to remove it without --yes/);
    expect(await outcome(confirm(io, { ...opts, yes: false }))).toBe(EXIT_USAGE);
    expect(io.questions).toEqual([]);
  });

  it('asks on a terminal and accepts only y or yes', async () => {
    for (const [answer, result] of [['y', 'yes'], [' YES ', 'yes'], ['', EXIT_ERROR], ['n', EXIT_ERROR], ['yep', EXIT_ERROR]] as const) {
      const io = fakeIo({ interactive: true, answers: [answer] });
      expect(await outcome(confirm(io, { ...opts, yes: false })), `answer '${answer}'`).toBe(result);
      expect(io.questions).toEqual(['Remove it? [y/N] ']);
    }
  });
});
