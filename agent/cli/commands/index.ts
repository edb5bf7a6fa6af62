/** Every clusterctl command and group, in the order help lists them. */
import type { CommandTable } from '../args.js';
import type { Command } from '../command.js';
import type { GroupSpec } from '../spec.js';
import { agentCommands } from './agents.js';
import { backupCommands } from './backup.js';
import { clusterCommands } from './clusters.js';
import { connectionCommands } from './connections.js';
import { diagnoseCommands } from './diagnose.js';
import { serverCommands } from './servers.js';
import { simulateCommands } from './simulate.js';
import { statusCommands } from './status.js';
import { tokenCommands } from './tokens.js';
import { transferCommands } from './transfer.js';

export const GROUPS: readonly GroupSpec[] = [
  { name: 'servers', aliases: ['server'], summary: 'list, show, add and remove servers' },
  { name: 'connections', aliases: ['connection'], summary: 'list connections (see also connect, disconnect)' },
  { name: 'cluster', aliases: ['clusters'], summary: 'list, create, delete clusters and change their members' },
  { name: 'tokens', aliases: ['token'], summary: 'create, list and revoke join tokens for new nodes' },
  { name: 'agents', aliases: ['agent'], summary: 'revoke enrolled agents' },
];

export const COMMANDS: readonly Command[] = [
  ...statusCommands,
  ...diagnoseCommands,
  ...serverCommands,
  ...connectionCommands,
  ...clusterCommands,
  ...tokenCommands,
  ...agentCommands,
  ...transferCommands,
  ...backupCommands,
  ...simulateCommands,
];

export const TABLE: CommandTable = { commands: COMMANDS, groups: GROUPS };
