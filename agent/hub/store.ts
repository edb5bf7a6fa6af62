/**
 * The hub's single source of truth: one versioned JSON document, replaced atomically on every
 * change. `update` resolves only after the new document is on disk, so an acknowledged change is
 * never lost; if the write fails, the in-memory state stays as it was. Changes that arrive while
 * a write is under way are applied together and written once (10,000 agents enrolling make a few
 * dozen writes of the document, not 10,000 of a growing one).
 */
import { EventEmitter } from 'node:events';
import { readdir, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { STATE_VERSION } from '../protocol/state.js';
import type { State } from '../protocol/types.js';
import { check, validators } from '../protocol/validate.js';
import { TEMP_MARK, writeFileAtomic } from './atomic-write.js';
import { documentBytes } from './record-json.js';
import { StateChecker } from './state-check.js';
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

/** An update waiting for the next write. */
interface Pending {
  change: (s: State) => State;
  resolve: (s: State) => void;
  reject: (e: unknown) => void;
}

type Outcome = { ok: true; state: State } | { ok: false; error: unknown };

export class Store extends EventEmitter<StoreEvents> {
  private current: State;
  private pending: Pending[] = [];
  private draining = false;
  /** Checks each document before it is written, records it has checked before only once. */
  private checker = new StateChecker();

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
   * one at a time, in order, each on the result of the one before; returning the same object
   * means "nothing changed". Changes made while a write is under way (or in the same tick) are
   * written together, once: each promise resolves only after a write that includes its change,
   * with the state as that change left it. A change that throws or would make an invalid
   * document is refused alone; a failed write refuses every change it held.
   */
  update(change: (s: State) => State): Promise<State> {
    return new Promise((resolve, reject) => {
      this.pending.push({ change, resolve, reject });
      if (this.draining) return;
      this.draining = true;
      queueMicrotask(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length) {
      const busyMs = await this.commit(this.pending.splice(0));
      // During a burst (thousands of agents enrolling), the event loop spends at most about half
      // its time on writes: the next batch waits as long as this one held the loop. A lone change
      // is written at once; with a small document the wait is a fraction of a millisecond.
      if (this.pending.length && busyMs >= 1) await new Promise((r) => setTimeout(r, busyMs));
    }
    this.draining = false;
  }

  /**
   * Applies a batch in order, validates and writes the result once, then settles each change.
   * Returns the milliseconds it held the event loop (checking, serializing, the change listeners).
   */
  private async commit(batch: readonly Pending[]): Promise<number> {
    let t = performance.now();
    const prev = this.current;
    let { state, outcomes } = apply(prev, batch, false, this.checker);
    // The document is checked once per write; only when it fails is each change checked alone,
    // to refuse just the ones at fault.
    if (state !== prev && !this.checker.check(state).ok) ({ state, outcomes } = apply(prev, batch, true, this.checker));
    let busyMs = 0;
    if (state !== prev) {
      try {
        const text = documentBytes(state);
        busyMs += performance.now() - t;
        await writeFileAtomic(this.file, text);
      } catch (e) {
        for (const p of batch) p.reject(e);
        return busyMs;
      }
      t = performance.now();
      this.current = state;
      this.emit('change', state, prev);
      busyMs += performance.now() - t;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.state);
      else p.reject(o.error);
    });
    return busyMs;
  }
}

/** Runs each change on the result of the one before; with `checkEach`, refuses those that make an invalid document. */
function apply(prev: State, batch: readonly Pending[], checkEach: boolean, checker: StateChecker): { state: State; outcomes: Outcome[] } {
  let state = prev;
  const outcomes: Outcome[] = [];
  for (const p of batch) {
    try {
      const next = p.change(state);
      if (next !== state) {
        const stamped = { ...next, revision: state.revision + 1 };
        if (checkEach) {
          const checked = checker.check(stamped);
          if (!checked.ok) throw new Error(`internal error: the change would make an invalid state: ${checked.error}`);
        }
        state = stamped;
      }
      outcomes.push({ ok: true, state });
    } catch (error) {
      outcomes.push({ ok: false, error });
    }
  }
  return { state, outcomes };
}
