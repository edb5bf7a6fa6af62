/**
 * `clusterctl backup FILE` and `clusterctl restore FILE`: the hub's whole state, users and tokens
 * included. `restore` also takes the hub's encrypted backups (DATA_DIR/backups/*.ucbackup, made by
 * the state-backup schedule) and opens them with the hub's backup key. `clusterctl decrypt` opens
 * any of the hub's encrypted backups into a plain file (a Galera database backup, to restore it
 * by hand); it needs the key file, not the hub.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { State } from '../../protocol/types.js';
import { isEnvelope, loadKey, open } from '../../hub/backups/envelope.js';
import { openStream, readStreamHeader } from '../../hub/backups/stream-envelope.js';
import { arg, hasFlag, optionValue } from '../args.js';
import { toJson, type Command } from '../command.js';
import { confirm } from '../confirm.js';
import { checkWith } from '../protocol.js';
import { parseJsonFile, readInput, writeOutput } from '../files.js';
import { YES_OPTION } from '../spec.js';
import { CliError } from '../errors.js';
import { checkStateDoc, stateSummary } from './documents.js';

/** Where the hub keeps its backup key: beside its state. */
const defaultKeyFile = () => process.env['UC_BACKUP_KEY'] || join(process.env['DATA_DIR'] || './data', 'backup.key');

/** The state document in `raw`: as it is, or opened with the backup key when the file is an encrypted backup. */
async function plainBackup(file: string, raw: unknown, keyFile: string): Promise<unknown> {
  if (!isEnvelope(raw)) return raw;
  let key: Buffer;
  try {
    key = await loadKey(keyFile);
  } catch (e) {
    throw new CliError(`${file} is an encrypted backup and the key ${keyFile} cannot be read: ${(e as Error).message} (give the hub's key with --key FILE)`);
  }
  try {
    return parseJsonFile(file, open(raw, key).toString('utf8'));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot decrypt ${file}: ${(e as Error).message}; nothing was sent to the hub`);
  }
}

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
  details: 'Needs an admin. Replaces servers, connections, clusters, layout, users and API tokens with those in FILE; logins that exist only now stop working. The file is checked here first. FILE - reads stdin. An encrypted backup of the hub (DATA_DIR/backups/state-*.ucbackup) is decrypted here with the hub\'s backup key (--key, default $UC_BACKUP_KEY or $DATA_DIR/backup.key): a wrong key or an altered file is refused before anything is sent.',
  positionals: [{ name: 'FILE' }],
  options: [YES_OPTION, { name: 'key', value: 'FILE', help: 'the backup key of the hub that made an encrypted backup (default $UC_BACKUP_KEY or $DATA_DIR/backup.key)' }],
  examples: ['clusterctl restore /root/uc-backup.json', 'clusterctl restore /root/uc-backup.json --yes', 'clusterctl restore /var/webmin/modules/unlimited-cluster/backups/state-20260101T030000000Z.ucbackup --key /var/webmin/modules/unlimited-cluster/backup.key'],
  async run({ io, client }, inv) {
    const file = arg(inv, 'FILE');
    const raw = await plainBackup(file, parseJsonFile(file, await readInput(io, file)), optionValue(inv, 'key') ?? defaultKeyFile());
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

const decrypt: Command = {
  path: ['decrypt'],
  summary: 'decrypt one of the hub\'s encrypted backups into a plain file',
  details: 'Opens a state backup (DATA_DIR/backups/state-*.ucbackup: the state as JSON) or a Galera database backup (DATA_DIR/backups/galera/CLUSTER/*.ucbackup: the gzipped mbstream of mariabackup) with the hub\'s backup key (--key, default $UC_BACKUP_KEY or $DATA_DIR/backup.key) and writes what it holds to OUT with mode 0600. Every chunk is authenticated: a wrong key, an altered or a cut-off file is refused and OUT is not written. Needs no hub.',
  positionals: [{ name: 'FILE' }, { name: 'OUT' }],
  options: [{ name: 'key', value: 'FILE', help: 'the backup key of the hub that made the backup (default $UC_BACKUP_KEY or $DATA_DIR/backup.key)' }],
  examples: ['clusterctl decrypt /var/webmin/modules/unlimited-cluster/backups/galera/db/20260101T033000000Z.ucbackup /root/db.mbstream.gz --key /var/webmin/modules/unlimited-cluster/backup.key'],
  async run({ io }, inv) {
    const file = arg(inv, 'FILE');
    const out = arg(inv, 'OUT');
    if (file === '-' || out === '-') throw new CliError('decrypt reads and writes files, not stdin or stdout (a database backup is binary)');
    const keyFile = optionValue(inv, 'key') ?? defaultKeyFile();
    let key: Buffer;
    try {
      key = await loadKey(keyFile);
    } catch (e) {
      throw new CliError(`the key ${keyFile} cannot be read: ${(e as Error).message} (give the hub's key with --key FILE)`);
    }
    const part = `${out}.part-${process.pid}`;
    try {
      // A database backup is a stream of chunks after a header line; a state backup is one JSON document.
      const streamed = await readStreamHeader(file).then(() => true, (e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') throw e; return false; });
      if (streamed) {
        await pipeline(createReadStream(file), openStream(key), createWriteStream(part, { mode: BACKUP_MODE }));
      } else {
        const doc = parseJsonFile(file, await readFile(file, 'utf8'));
        if (!isEnvelope(doc)) throw new Error('it is not an encrypted backup of the hub');
        await writeFile(part, open(doc, key), { mode: BACKUP_MODE });
      }
      await rename(part, out);
    } catch (e) {
      await unlink(part).catch(() => {});
      throw new CliError(`cannot decrypt ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}; ${out} was not written`);
    }
    io.out(`decrypted ${file} into ${out} (mode 0600)\n`);
  },
};

export const backupCommands: readonly Command[] = [backup, restore, decrypt];
