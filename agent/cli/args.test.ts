import { describe, expect, it } from 'vitest';
import { arg, hasFlag, optionValue, optionValues, parseArgs, type Invocation, type Parsed } from './args.js';
import { TABLE } from './commands/index.js';
import { UsageError } from './errors.js';
import { GLOBAL_OPTIONS } from './spec.js';

function run(...argv: string[]): Invocation {
  const parsed = parseArgs(argv, TABLE);
  if (parsed.kind !== 'run') throw new Error(`expected a command, got ${parsed.kind}`);
  return parsed;
}

function usageError(...argv: string[]): UsageError {
  try {
    parseArgs(argv, TABLE);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error(`expected a usage error for: ${argv.join(' ')}`);
}

describe('parseArgs', () => {
  it('finds a grouped command, its positionals and options', () => {
    const inv = run('servers', 'add', 'web1', '--type', 'web', '--address=10.0.0.1', '-l', 'a=1', '--label', 'b=2');
    expect(inv.command.path).toEqual(['servers', 'add']);
    expect(arg(inv, 'ID')).toBe('web1');
    expect(optionValue(inv, 'type')).toBe('web');
    expect(optionValue(inv, 'address')).toBe('10.0.0.1');
    expect(optionValues(inv, 'label')).toEqual(['a=1', 'b=2']);
  });

  it('accepts global options before the command and flags anywhere', () => {
    const inv = run('--hub', 'http://h:1', '-y', 'servers', 'remove', 'web1');
    expect(optionValue(inv, 'hub')).toBe('http://h:1');
    expect(hasFlag(inv, 'yes')).toBe(true);
    expect(arg(inv, 'ID')).toBe('web1');
  });

  it('resolves group and command aliases', () => {
    expect(run('server', 'ls').command.path).toEqual(['servers', 'list']);
    expect(run('clusters', 'rm', 'prod').command.path).toEqual(['cluster', 'delete']);
  });

  it('collects variadic positionals, which may be empty when optional', () => {
    expect(run('cluster', 'create', 'prod', 'web1', 'db1').rest).toEqual(['web1', 'db1']);
    expect(run('cluster', 'create', 'prod').rest).toEqual([]);
    expect(usageError('cluster', 'add', 'prod').message).toMatch(/needs at least one SERVER/);
  });

  it('treats - as a file name and everything after -- as positionals', () => {
    expect(arg(run('export', '-'), 'FILE')).toBe('-');
    expect(arg(run('servers', 'show', '--', '--odd'), 'ID')).toBe('--odd');
  });

  it('reports missing and extra arguments with the command to get help for', () => {
    const missing = usageError('servers', 'remove');
    expect(missing.message).toBe("'servers remove' needs ID");
    expect(missing.helpTopic).toEqual(['servers', 'remove']);
    expect(usageError('connect', 'a', 'b', 'c').message).toBe("unexpected argument 'c' for 'connect'");
  });

  it('requires required options', () => {
    expect(usageError('servers', 'add', 'web1', '--address', '1.2.3.4').message).toBe("'servers add' needs --type TYPE");
  });

  it('suggests the closest command or option for a typo', () => {
    expect(usageError('sevrers', 'list').message).toBe("unknown command 'sevrers'; did you mean 'servers'?");
    expect(usageError('servers', 'lst').message).toBe("unknown command 'servers lst'; did you mean 'servers list'?");
    expect(usageError('connect', 'a', 'b', '--tpye', 'http').message).toBe("unknown option '--tpye'; did you mean '--type'?");
  });

  it('rejects an option that belongs to another command', () => {
    expect(usageError('servers', 'list', '--yes').message).toBe("'servers list' has no option '--yes'");
  });

  it('rejects a repeated single-value option and a value given to a flag', () => {
    expect(usageError('connect', 'a', 'b', '--type', 'http', '--type', 'cache').message).toMatch(/given more than once/);
    expect(usageError('servers', 'list', '--json=yes').message).toMatch(/takes no value/);
    expect(usageError('status', '--hub').message).toBe("option '--hub' needs a value (URL)");
  });

  it('answers --help for the deepest topic named, even with other mistakes', () => {
    const cases: [string[], readonly string[]][] = [
      [['--help'], []],
      [['servers', '--help'], ['servers']],
      [['servers', 'add', '-h', '--bogus'], ['servers', 'add']],
      [['help', 'cluster', 'create'], ['cluster', 'create']],
    ];
    for (const [argv, topic] of cases) {
      expect(parseArgs(argv, TABLE)).toEqual<Parsed>({ kind: 'help', topic, exitCode: 0 });
    }
  });

  it('shows help as a usage error for no words or a bare group', () => {
    expect(parseArgs([], TABLE)).toEqual<Parsed>({ kind: 'help', topic: [], exitCode: 2 });
    expect(parseArgs(['cluster'], TABLE)).toEqual<Parsed>({ kind: 'help', topic: ['cluster'], exitCode: 2 });
  });

  it('answers --version', () => {
    expect(parseArgs(['--version'], TABLE)).toEqual<Parsed>({ kind: 'version' });
  });
});

describe('the command table', () => {
  it('gives each option name one meaning, so options parse before the command is known', () => {
    const seen = new Map<string, boolean>();
    for (const o of [...GLOBAL_OPTIONS, ...TABLE.commands.flatMap((c) => c.options)]) {
      const takesValue = o.value !== undefined;
      expect(seen.get(o.name) ?? takesValue, `--${o.name}`).toBe(takesValue);
      seen.set(o.name, takesValue);
    }
  });

  it('gives each option one short letter and one repeatability, whichever command declares it', () => {
    const shortOf = new Map<string, string | undefined>();
    const nameOf = new Map<string, string>();
    const repeatable = new Map<string, boolean>();
    for (const o of [...GLOBAL_OPTIONS, ...TABLE.commands.flatMap((c) => c.options)]) {
      if (shortOf.has(o.name)) expect(o.short, `--${o.name}`).toBe(shortOf.get(o.name));
      shortOf.set(o.name, o.short);
      if (o.short) {
        expect(nameOf.get(o.short) ?? o.name, `-${o.short}`).toBe(o.name);
        nameOf.set(o.short, o.name);
      }
      expect(repeatable.get(o.name) ?? Boolean(o.repeatable), `--${o.name} repeatable`).toBe(Boolean(o.repeatable));
      repeatable.set(o.name, Boolean(o.repeatable));
    }
  });

  it('names every command uniquely, aliases included', () => {
    const names = TABLE.commands.flatMap((c) => [c.path.join(' '), ...(c.aliases ?? []).map((a) => [...c.path.slice(0, -1), a].join(' '))]);
    expect(new Set(names).size).toBe(names.length);
  });
});
