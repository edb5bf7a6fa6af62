/**
 * Command-line parsing, pure: words in, an Invocation (or a help/version request) out, or a
 * UsageError that says what is wrong. Options may come before or after the command words;
 * `--` ends options; `-` is an ordinary argument (stdin/stdout).
 */
import { UsageError } from './errors.js';
import { GLOBAL_OPTIONS, commandName, type CommandSpec, type GroupSpec, type OptionSpec } from './spec.js';
import { closest, didYouMean } from './suggest.js';

/** A command to run, with its arguments checked against its spec. */
export interface Invocation {
  readonly kind: 'run';
  readonly command: CommandSpec;
  /** Single positionals by placeholder name (`ID` → `web1`). */
  readonly args: ReadonlyMap<string, string>;
  /** The words taken by the variadic positional, if the command has one. */
  readonly rest: readonly string[];
  /** Every value given for each value option, in order. */
  readonly values: ReadonlyMap<string, readonly string[]>;
  /** Flags (options without a value) that were given. */
  readonly flags: ReadonlySet<string>;
}

/** `topic` is [] for the overview, [group] or a command's path. */
export interface HelpRequest { readonly kind: 'help'; readonly topic: readonly string[]; readonly exitCode: number }
export interface VersionRequest { readonly kind: 'version' }
export type Parsed = Invocation | HelpRequest | VersionRequest;

export interface CommandTable {
  readonly commands: readonly CommandSpec[];
  readonly groups: readonly GroupSpec[];
}

interface OptionUse { readonly spec: OptionSpec; readonly typed: string; readonly value?: string }

/**
 * Splits words into option uses and plain words. Whether an option takes a value is the same in
 * every command, so this works before the command is known. Problems are collected, not thrown,
 * so --help still works; unknown options are reported once the command is known.
 */
function tokenize(argv: readonly string[], table: CommandTable): { uses: OptionUse[]; words: string[]; problems: string[]; unknown: string[] } {
  const byLong = new Map<string, OptionSpec>();
  const byShort = new Map<string, OptionSpec>();
  for (const o of [...GLOBAL_OPTIONS, ...table.commands.flatMap((c) => c.options)]) {
    byLong.set(o.name, o);
    if (o.short) byShort.set(o.short, o);
  }
  const uses: OptionUse[] = [];
  const words: string[] = [];
  const problems: string[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (word === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (word === '-' || !word.startsWith('-')) {
      words.push(word);
      continue;
    }
    const long = word.startsWith('--');
    const eq = long ? word.indexOf('=') : -1;
    const typed = eq >= 0 ? word.slice(0, eq) : word;
    const key = long ? typed.slice(2) : typed.slice(1);
    const spec = long ? byLong.get(key) : byShort.get(key);
    if (!spec) {
      unknown.push(typed);
      continue;
    }
    if (!spec.value) {
      if (eq >= 0) problems.push(`option '--${spec.name}' takes no value`);
      uses.push({ spec, typed });
      continue;
    }
    if (eq >= 0) {
      uses.push({ spec, typed, value: word.slice(eq + 1) });
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined) {
      problems.push(`option '${typed}' needs a value (${spec.value})`);
      continue;
    }
    uses.push({ spec, typed, value });
    i++;
  }
  return { uses, words, problems, unknown };
}

/** The group a word names (by name or alias). */
function findGroup(word: string, table: CommandTable): GroupSpec | undefined {
  return table.groups.find((g) => g.name === word || g.aliases?.includes(word));
}

/** Commands named by one word (`status`) or, within `group`, by their second word. */
function findCommand(words: readonly string[], table: CommandTable): { command?: CommandSpec; used: number; group?: GroupSpec; problem?: string } {
  const first = words[0];
  if (first === undefined) return { used: 0 };
  const group = findGroup(first, table);
  if (!group) {
    const command = table.commands.find((c) => c.path.length === 1 && (c.path[0] === first || c.aliases?.includes(first)));
    if (command) return { command, used: 1 };
    const known = [...table.groups.map((g) => g.name), ...table.commands.filter((c) => c.path.length === 1).map((c) => c.path[0] ?? '')];
    return { used: 0, problem: `unknown command '${first}'${didYouMean(first, known)}` };
  }
  const members = table.commands.filter((c) => c.path[0] === group.name && c.path.length === 2);
  const second = words[1];
  if (second === undefined) return { used: 1, group };
  const command = members.find((c) => c.path[1] === second || c.aliases?.includes(second));
  if (command) return { command, used: 2, group };
  const near = closest(second, members.map((c) => c.path[1] ?? ''));
  const suggestion = near === undefined ? '' : `; did you mean '${group.name} ${near}'?`;
  return { used: 1, group, problem: `unknown command '${group.name} ${second}'${suggestion}` };
}

/** Parses `argv` (without node and script) against the command table. */
export function parseArgs(argv: readonly string[], table: CommandTable): Parsed {
  const { uses, words, problems, unknown } = tokenize(argv, table);
  const wantsHelp = uses.some((u) => u.spec.name === 'help');
  // `clusterctl help servers add` is the same as `clusterctl servers add --help`.
  const helpWord = words[0] === 'help';
  const found = findCommand(helpWord ? words.slice(1) : words, table);
  const topic = found.command ? found.command.path : found.group ? [found.group.name] : [];

  if (wantsHelp || helpWord) {
    if (helpWord && found.problem) throw new UsageError(found.problem, topic);
    return { kind: 'help', topic, exitCode: 0 };
  }
  if (uses.some((u) => u.spec.name === 'version')) return { kind: 'version' };
  if (words.length === 0 && problems.length === 0 && unknown.length === 0) return { kind: 'help', topic: [], exitCode: 2 };
  if (found.problem) throw new UsageError(found.problem, topic);
  const [firstUnknown] = unknown;
  if (firstUnknown !== undefined) {
    const known = [...GLOBAL_OPTIONS, ...(found.command?.options ?? [])].map((o) => `--${o.name}`);
    throw new UsageError(`unknown option '${firstUnknown}'${didYouMean(firstUnknown, known)}`, topic);
  }
  const [firstProblem] = problems;
  if (firstProblem !== undefined) throw new UsageError(firstProblem, topic);
  // A bare group word (`clusterctl servers`) lists that group's commands, as a usage error.
  if (!found.command) return { kind: 'help', topic, exitCode: 2 };
  const command = found.command;
  return {
    kind: 'run',
    command,
    ...bindPositionals(command, words.slice(found.used)),
    ...bindOptions(command, uses),
  };
}

/** Matches the words after the command to its positionals; too few or too many is a usage error. */
function bindPositionals(command: CommandSpec, words: readonly string[]): { args: Map<string, string>; rest: string[] } {
  const args = new Map<string, string>();
  let rest: string[] = [];
  let i = 0;
  for (const p of command.positionals) {
    if (p.variadic) {
      rest = words.slice(i);
      i = words.length;
      if (rest.length === 0 && !p.optional) throw new UsageError(`'${commandName(command)}' needs at least one ${p.name}`, command.path);
      break;
    }
    const word = words[i];
    if (word === undefined) {
      if (p.optional) break;
      throw new UsageError(`'${commandName(command)}' needs ${p.name}`, command.path);
    }
    args.set(p.name, word);
    i++;
  }
  const extra = words[i];
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}' for '${commandName(command)}'`, command.path);
  return { args, rest };
}

/** Checks that every option belongs to the command (or is global) and is not repeated unless allowed. */
function bindOptions(command: CommandSpec, uses: readonly OptionUse[]): { values: Map<string, string[]>; flags: Set<string> } {
  const allowed = new Set([...GLOBAL_OPTIONS, ...command.options].map((o) => o.name));
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  for (const use of uses) {
    const name = use.spec.name;
    if (!allowed.has(name)) throw new UsageError(`'${commandName(command)}' has no option '${use.typed}'`, command.path);
    if (use.value === undefined) {
      flags.add(name);
      continue;
    }
    const list = values.get(name) ?? [];
    if (list.length > 0 && !use.spec.repeatable) throw new UsageError(`option '--${name}' given more than once`, command.path);
    list.push(use.value);
    values.set(name, list);
  }
  const missing = command.options.find((o) => o.required && !values.has(o.name));
  if (missing) throw new UsageError(`'${commandName(command)}' needs --${missing.name} ${missing.value ?? ''}`.trimEnd(), command.path);
  return { values, flags };
}

/** The last value given for an option, if any. */
export function optionValue(inv: Invocation, name: string): string | undefined {
  const list = inv.values.get(name);
  return list?.[list.length - 1];
}

/** Every value given for a repeatable option. */
export function optionValues(inv: Invocation, name: string): readonly string[] {
  return inv.values.get(name) ?? [];
}

export function hasFlag(inv: Invocation, name: string): boolean {
  return inv.flags.has(name);
}

/** A required positional; the parser already guaranteed it is there. */
export function arg(inv: Invocation, name: string): string {
  const value = inv.args.get(name);
  if (value === undefined) throw new UsageError(`'${commandName(inv.command)}' needs ${name}`, inv.command.path);
  return value;
}
