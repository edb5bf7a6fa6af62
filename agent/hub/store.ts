/**
 * The hub's single source of truth: one versioned JSON document, replaced atomically on every
 * change. `update` resolves only after the new document is on disk, so an acknowledged change is
 * never lost; if the write fails, the in-memory state stays as it was.
 */
import { EventEmitter } from 'node:events';
import { readdir, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { STATE_VERSION } from '../protocol/state.js';
import type { State } from '../protocol/types.js';
import { check, validators } from '../protocol/validate.js';
import { TEMP_MARK, writeFileAtomic } from './atomic-write.js';
import { emptyState } from './empty-state.js';
import { migrateStateDoc } from './state-migration.js';

/** Thrown when the state file cannot be used; the hub refuses to start and never overwrites it. */
export class StateFileError extends Error {}

/**
 * Checks a parsed state document, migrated in memory when an older hub wrote it; returns it or
 * a sentence saying why it cannot be used.
 */
export function checkStateDoc(doc: unknown): { ok: true; value: State } | { ok: false; error: string } {
  const d = doc as { format?: unknown; version?: unknown } | null;
  if (typeof d !== 'object' || d === null || d.format !== 'unlimited-cluster-state') {
    return { ok: false, error: 'it is not an Unlimited Cluster state document' };
  }
  if (typeof d.version === 'number' && d.version > STATE_VERSION) {
    return { ok: false, error: `it was written by a newer version of Unlimited Cluster (format ${d.version}; this hub reads up to ${STATE_VERSION})` };
  }
  return check(validators.state, migrateStateDoc(doc, STATE_VERSION));
}

export async function loadState(file: string): Promise<State> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw new StateFileError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw refuse(file, `it is not valid JSON (${(e as Error).message})`);
  }
  const checked = checkStateDoc(doc);
  if (!checked.ok) throw refuse(file, checked.error);
  return checked.value;
}

function refuse(file: string, why: string): StateFileError {
  return new StateFileError(
    `refusing to use ${file}: ${why}. The file was left untouched; restore a backup ` +
    `(clusterctl restore FILE) or move it aside to start empty.`,
  );
}

/** Removes temp files left by a crash between write and rename: they were never acknowledged. */
async function removeStaleTemps(file: string): Promise<void> {
  const prefix = basename(file) + TEMP_MARK;
  for (const name of await readdir(dirname(file))) {
    if (name.startsWith(prefix)) await unlink(join(dirname(file), name)).catch(() => {});
  }
}

export interface StoreEvents {
  change: [next: State, prev: State];
}

export class Store extends EventEmitter<StoreEvents> {
  private current: State;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly file: string, state: State) {
    super();
    this.current = state;
  }

  static async open(file: string): Promise<Store> {
    const state = await loadState(file);
    await removeStaleTemps(file);
    return new Store(file, state);
  }

  get state(): State {
    return this.current;
  }

  /**
   * Applies `change` (a pure function of the current state) and persists the result. Changes run
   * one at a time, in order. Returning the same object means "nothing changed": no write.
   */
  update(change: (s: State) => State): Promise<State> {
    const run = async (): Promise<State> => {
      const prev = this.current;
      const next = change(prev);
      if (next === prev) return prev;
      const stamped = { ...next, revision: prev.revision + 1 };
      const checked = check(validators.state, stamped);
      if (!checked.ok) throw new Error(`internal error: the change would make an invalid state: ${checked.error}`);
      await writeFileAtomic(this.file, JSON.stringify(stamped));
      this.current = stamped;
      this.emit('change', stamped, prev);
      return stamped;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => {});
    return result;
  }
}
