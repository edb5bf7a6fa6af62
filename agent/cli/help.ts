/** Help texts, pure, generated from the command specs so they always match what is parsed. */
import type { CommandTable } from './args.js';
import { GLOBAL_OPTIONS, type CommandSpec, type OptionSpec } from './spec.js';

/** `servers add ID --type TYPE --address ADDR`: the words, arguments and required options. */
function synopsis(c: CommandSpec): string {
  const positionals = c.positionals.map((p) => {
    const word = p.variadic ? `${p.name}...` : p.name;
    return p.optional ? `[${word}]` : word;
  });
  const required = c.options.filter((o) => o.required).map((o) => `--${o.name} ${o.value ?? ''}`.trimEnd());
  return [...c.path, ...positionals, ...required].join(' ');
}

function usageLine(c: CommandSpec): string {
  return `clusterctl ${synopsis(c)}${c.options.some((o) => !o.required) ? ' [options]' : ''}`;
}

function optionLines(options: readonly OptionSpec[]): string {
  const left = options.map((o) => `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`);
  const width = Math.max(0, ...left.map((l) => l.length));
  return options.map((o, i) => `  ${(left[i] ?? '').padEnd(width)}  ${o.help}${o.required ? ' (required)' : ''}${o.repeatable ? ' (repeatable)' : ''}\n`).join('');
}

function commandList(commands: readonly CommandSpec[]): string {
  const names = commands.map(synopsis);
  const width = Math.max(0, ...names.map((n) => n.length));
  return commands.map((c, i) => `  ${(names[i] ?? '').padEnd(width)}  ${c.summary}\n`).join('');
}

const ENVIRONMENT = `Environment:
  CLUSTERCTL_HUB       hub address (default http://127.0.0.1:8080)
  CLUSTERCTL_TOKEN     API token (Bearer), used when neither --token nor --user is given
  CLUSTERCTL_USER      user name for Basic auth, when neither --token nor --user is given
  CLUSTERCTL_PASSWORD  password for --user / CLUSTERCTL_USER (asked on a terminal when unset)
`;

const EXIT_CODES = `Exit codes: 0 ok, 1 hub, API or file error, 2 wrong command line (or a confirmation that cannot be asked).
`;

export function overviewHelp(table: CommandTable): string {
  return `clusterctl: operate an Unlimited Cluster hub from the command line

Usage: clusterctl [global options] COMMAND [arguments] [options]

Commands:
${commandList(table.commands)}
Global options:
${optionLines(GLOBAL_OPTIONS)}
${ENVIRONMENT}
${EXIT_CODES}
Run 'clusterctl COMMAND --help' for a command's options and examples.
`;
}

export function groupHelp(table: CommandTable, group: string): string {
  const g = table.groups.find((x) => x.name === group);
  const members = table.commands.filter((c) => c.path[0] === group && c.path.length === 2);
  return `clusterctl ${group}: ${g?.summary ?? ''}

Commands:
${commandList(members)}
Run 'clusterctl ${group} COMMAND --help' for a command's options and examples.
`;
}

export function commandHelp(c: CommandSpec): string {
  const aliases = c.aliases?.length ? `\nAlso: ${c.aliases.map((a) => ['clusterctl', ...c.path.slice(0, -1), a].join(' ')).join(', ')}\n` : '';
  const details = c.details ? `\n${c.details}\n` : '';
  const options = c.options.length ? `\nOptions:\n${optionLines(c.options)}` : '';
  const examples = c.examples?.length ? `\nExamples:\n${c.examples.map((e) => `  ${e}\n`).join('')}` : '';
  return `Usage: ${usageLine(c)}

${c.summary[0]?.toUpperCase() ?? ''}${c.summary.slice(1)}.
${details}${aliases}${options}${examples}
Global options (--hub, --token, --user, …): see clusterctl --help.
`;
}

/** Help for a topic as the parser resolved it: [], [group] or a command path. */
export function helpFor(table: CommandTable, topic: readonly string[]): string {
  if (topic.length === 0) return overviewHelp(table);
  const command = table.commands.find((c) => c.path.join(' ') === topic.join(' '));
  if (command) return commandHelp(command);
  return groupHelp(table, topic[0] ?? '');
}
