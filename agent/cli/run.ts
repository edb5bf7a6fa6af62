/**
 * clusterctl from words to exit code: parse, show help or run the command, and turn every
 * expected failure into one "clusterctl: …" line on stderr. Only a bug prints a stack.
 */
import { VERSION } from '../version.js';
import { parseArgs } from './args.js';
import { HubClient } from './client.js';
import { COMMANDS, TABLE } from './commands/index.js';
import { resolveConfig, type Auth, type Env } from './config.js';
import { CliError, EXIT_ERROR, EXIT_OK, UsageError } from './errors.js';
import { helpFor } from './help.js';
import type { Io } from './io.js';

/** Asks for the Basic password on a terminal; without one there is no way to get it. */
function passwordAsker(io: Io, auth: Auth, hubUrl: string): () => Promise<string> {
  return async () => {
    const user = auth.kind === 'basic' ? auth.user : '';
    if (!io.interactive) {
      throw new UsageError(`no password for user '${user}': set CLUSTERCTL_PASSWORD (stdin is not a terminal, so it cannot be asked)`, null);
    }
    return io.askSecret(`Password for ${user} at ${hubUrl}: `);
  };
}

export async function main(argv: readonly string[], env: Env, io: Io): Promise<number> {
  try {
    const parsed = parseArgs(argv, TABLE);
    if (parsed.kind === 'help') {
      // Help that was asked for goes to stdout; help shown because the command was incomplete is an error.
      (parsed.exitCode === EXIT_OK ? io.out : io.err)(helpFor(TABLE, parsed.topic));
      return parsed.exitCode;
    }
    if (parsed.kind === 'version') {
      io.out(`clusterctl ${VERSION}\n`);
      return EXIT_OK;
    }
    const command = COMMANDS.find((c) => c === parsed.command);
    if (!command) throw new Error(`no handler for '${parsed.command.path.join(' ')}'`);
    const { hubUrl, auth } = resolveConfig(parsed, env);
    const client = new HubClient({ hubUrl, auth, askPassword: passwordAsker(io, auth, hubUrl) });
    await command.run({ io, client }, parsed);
    return EXIT_OK;
  } catch (e) {
    return report(io, e);
  }
}

/** Prints an error the way its kind deserves and returns the exit code. */
function report(io: Io, e: unknown): number {
  if (e instanceof UsageError) {
    io.err(`clusterctl: ${e.message}\n`);
    if (e.helpTopic) io.err(`Run 'clusterctl ${[...e.helpTopic, '--help'].join(' ')}' for usage.\n`);
    return e.exitCode;
  }
  if (e instanceof CliError) {
    io.err(`clusterctl: ${e.message}\n`);
    return e.exitCode;
  }
  io.err(`clusterctl: unexpected error (a bug in clusterctl, please report it):\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return EXIT_ERROR;
}
