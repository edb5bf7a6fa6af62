import { describe, expect, it } from 'vitest';
import { TABLE } from './commands/index.js';
import { commandHelp, helpFor, overviewHelp } from './help.js';

describe('help', () => {
  it('lists every command in the overview', () => {
    const text = overviewHelp(TABLE);
    for (const c of TABLE.commands) expect(text).toContain(`  ${c.path.join(' ')}`);
    expect(text).toContain('CLUSTERCTL_PASSWORD');
    expect(text).toContain('Exit codes: 0 ok, 1');
  });

  it('shows usage with required options, every option and the examples of a command', () => {
    const add = TABLE.commands.find((c) => c.path.join(' ') === 'servers add');
    if (!add) throw new Error('servers add is missing');
    const text = commandHelp(add);
    expect(text).toMatch(/^Usage: clusterctl servers add ID --type TYPE --address ADDR \[options\]$/m);
    for (const o of add.options) expect(text).toContain(`--${o.name}`);
    expect(text).toContain('Examples:\n  clusterctl servers add web1');
  });

  it('shows a group with only its commands', () => {
    const text = helpFor(TABLE, ['cluster']);
    expect(text).toContain('cluster create NAME [SERVER...]');
    expect(text).not.toContain('servers list');
  });
});
