/**
 * Checking the two documents clusterctl moves around, before they touch the hub: an export
 * (the model, for import) and a backup (the whole state, for restore). Each error says which
 * file and what is wrong, and points at the other command when the file is the other kind.
 */
import { STATE_VERSION } from '../../protocol/state.js';
import type { ExportDoc, State } from '../../protocol/types.js';
import { migrateStateDoc } from '../../hub/state-migration.js';
import { CliError } from '../errors.js';
import { checkWith } from '../protocol.js';

export const EXPORT_FORMAT = 'unlimited-cluster';
export const STATE_FORMAT = 'unlimited-cluster-state';

function formatOf(doc: unknown): unknown {
  return typeof doc === 'object' && doc !== null ? (doc as { format?: unknown }).format : undefined;
}

function where(file: string): string {
  return file === '-' ? 'stdin' : file;
}

/** The schema's `(body)` means the whole document here. */
function problem(error: string): string {
  return error.replace(/^\(body\) /, 'the document ');
}

export async function checkExportDoc(file: string, doc: unknown): Promise<ExportDoc> {
  if (formatOf(doc) === STATE_FORMAT) throw new CliError(`${where(file)} is a backup of the whole state, not an export: use clusterctl restore`);
  const result = checkWith('exportDoc', doc);
  if (!result.ok) throw new CliError(`${where(file)} is not a valid export (nothing was sent to the hub): ${problem(result.error)}`);
  return result.value;
}

/** A backup from an older hub is checked as the hub will read it: migrated to this version. */
export async function checkStateDoc(file: string, doc: unknown): Promise<State> {
  if (formatOf(doc) === EXPORT_FORMAT) throw new CliError(`${where(file)} is an export of the model, not a backup: use clusterctl import`);
  const result = checkWith('state', migrateStateDoc(doc, STATE_VERSION));
  if (!result.ok) throw new CliError(`${where(file)} is not a valid backup (nothing was sent to the hub): ${problem(result.error)}`);
  return result.value;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `3 servers, 2 connections, 1 cluster`. */
export function modelSummary(doc: Pick<ExportDoc, 'servers' | 'connections' | 'clusters'>): string {
  return `${plural(doc.servers.length, 'server')}, ${plural(doc.connections.length, 'connection')}, ${plural(doc.clusters.length, 'cluster')}`;
}

/** The model summary plus users and tokens. */
export function stateSummary(doc: State): string {
  return `${modelSummary(doc)}, ${plural(doc.users.length, 'user')}, ${plural(doc.apiTokens.length, 'API token')}`;
}
