/**
 * The errors clusterctl expects and explains. Anything thrown that is not a CliError is a bug:
 * only those get a stack trace.
 */

/** Exit codes: 0 ok, 1 hub/API/file error, 2 usage error (wrong command line). */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

/** A failure with a message written for the user and the exit code it ends with. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_ERROR) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * The command line is wrong; `helpTopic` names the command whose --help explains it, or is null
 * when help would not (the message already says what to add).
 */
export class UsageError extends CliError {
  constructor(message: string, readonly helpTopic: readonly string[] | null = []) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

/** The hub answered with an error status (the message already says what to do). */
export class HubError extends CliError {
  constructor(message: string, readonly status: number, readonly code: string) {
    super(message, EXIT_ERROR);
    this.name = 'HubError';
  }
}
