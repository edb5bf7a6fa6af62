/**
 * How a command is described: its words, arguments and options. The parser (args.ts), the
 * help (help.ts) and the dispatcher (run.ts) all read these, so usage and behaviour cannot drift.
 */

export interface OptionSpec {
  /** Long name without the dashes: `type` for `--type`. */
  readonly name: string;
  /** One-letter alias without the dash: `y` for `-y`. */
  readonly short?: string;
  /** Placeholder of the value (`TYPE`); absent for a flag that takes none. */
  readonly value?: string;
  /** May be given several times (`--label a=1 --label b=2`). */
  readonly repeatable?: boolean;
  /** The command cannot run without it (a value option). */
  readonly required?: boolean;
  readonly help: string;
}

export interface PositionalSpec {
  /** Placeholder shown in usage: `ID`, `FILE`. */
  readonly name: string;
  readonly optional?: boolean;
  /** Takes every remaining word (only the last positional). */
  readonly variadic?: boolean;
}

export interface CommandSpec {
  /** The words that name it: `['servers', 'add']`. */
  readonly path: readonly string[];
  /** Other words for the last element of `path` (`ls` for `list`). */
  readonly aliases?: readonly string[];
  readonly summary: string;
  /** Longer help shown by `--help`; several paragraphs allowed. */
  readonly details?: string;
  readonly positionals: readonly PositionalSpec[];
  readonly options: readonly OptionSpec[];
  readonly examples?: readonly string[];
}

/** A group of commands sharing a first word (`servers`), with its other spellings. */
export interface GroupSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly summary: string;
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: 'hub', value: 'URL', help: 'hub address (env CLUSTERCTL_HUB, default http://127.0.0.1:8080)' },
  { name: 'token', value: 'TOKEN', help: 'API token, sent as "Authorization: Bearer" (env CLUSTERCTL_TOKEN)' },
  { name: 'user', short: 'u', value: 'USER', help: 'user name for Basic auth (env CLUSTERCTL_USER); password from CLUSTERCTL_PASSWORD, or asked on a terminal' },
  { name: 'help', short: 'h', help: 'show help (for a command: clusterctl COMMAND --help)' },
  { name: 'version', help: 'print the clusterctl version' },
];

/** Reused by every destructive command. */
export const YES_OPTION: OptionSpec = { name: 'yes', short: 'y', help: 'do not ask for confirmation (needed when stdin is not a terminal)' };
export const JSON_OPTION: OptionSpec = { name: 'json', help: 'print JSON instead of a table' };

/** `servers add` for `['servers', 'add']`. */
export function commandName(spec: Pick<CommandSpec, 'path'>): string {
  return spec.path.join(' ');
}
