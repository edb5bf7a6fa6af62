/** `clusterctl backup FILE` and `clusterctl restore FILE`: the hub's whole state, users and tokens included. */
import type { State } from '../../protocol/types.js';
import { arg, hasFlag } from '../args.js';
import { toJson, type Command } from '../command.js';
import { confirm } from '../confirm.js';
import { checkWith } from '../protocol.js';
import { parseJsonFile, readInput, writeOutput } from '../files.js';
import { YES_OPTION } from '../spec.js';
import { checkStateDoc, stateSummary } from './documents.js';

/** Owner-only: a backup holds password hashes and API token hashes. */
export const BACKUP_MODE = 0o600;

const backup: Command = {
  path: ['backup'],
  summary: 'save the whole hub state (model, users, API tokens) to a file',
  details: 'Needs an admin. The file is written atomically with mode 0600: it holds password and token hashes. FILE - writes to stdout.',
  positionals: [{ name: 'FILE' }],
  options: [],
  examples: ['clusterctl backup /root/uc-backup.json'],
  async run({ io, client }, inv) {
    const file = arg(inv, 'FILE');
    const doc = await client.get('/api/backup') as State;
    const valid = checkWith('state', doc);
    if (!valid.ok) io.err(`clusterctl: warning: the hub's backup does not match the protocol schema (${valid.error}); restore may refuse it\n`);
    await writeOutput(io, file, toJson(doc), BACKUP_MODE);
    if (file !== '-') io.out(`backed up ${valid.ok ? stateSummary(valid.value) : 'the state'} to ${file} (mode 0600)\n`);
  },
};

const restore: Command = {
  path: ['restore'],
  summary: 'replace the whole hub state with a backup',
  details: 'Needs an admin. Replaces servers, connections, clusters, layout, users and API tokens with those in FILE; logins that exist only now stop working. The file is checked here first. FILE - reads stdin.',
  positionals: [{ name: 'FILE' }],
  options: [YES_OPTION],
  examples: ['clusterctl restore /root/uc-backup.json', 'clusterctl restore /root/uc-backup.json --yes'],
  async run({ io, client }, inv) {
    const file = arg(inv, 'FILE');
    const raw = parseJsonFile(file, await readInput(io, file));
    const doc = await checkStateDoc(file, raw);
    await confirm(io, {
      question: `Replace the whole state of ${client.hubUrl} (model, users, API tokens) with the ${stateSummary(doc)} in ${file}?`,
      yes: hasFlag(inv, 'yes'),
      action: 'restore the whole state',
    });
    // The file as it is: the hub migrates an older document itself (and an older hub refuses a newer one).
    await client.request('POST', '/api/restore', { body: raw });
    io.out(`restored ${stateSummary(doc)} from ${file}\n`);
  },
};

export const backupCommands: readonly Command[] = [backup, restore];
