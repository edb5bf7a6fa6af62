/** Confirmation before anything destructive: asked on a terminal, never assumed without one. */
import { CliError, UsageError } from './errors.js';
import type { Io } from './io.js';

/**
 * Resolves when the user agreed (or gave --yes). Without a terminal there is nobody to ask, so it
 * refuses with a usage error rather than guessing; a "no" ends the command with nothing changed.
 */
export async function confirm(io: Io, opts: { question: string; yes: boolean; action: string }): Promise<void> {
  if (opts.yes) return;
  if (!io.interactive) {
    throw new UsageError(`refusing to ${opts.action} without --yes: stdin is not a terminal, so there is no one to ask (nothing was changed)`, null);
  }
  const answer = (await io.ask(`${opts.question} [y/N] `)).trim().toLowerCase();
  if (answer !== 'y' && answer !== 'yes') throw new CliError('cancelled; nothing was changed');
}
