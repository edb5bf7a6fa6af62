/**
 * What each user deleted in the last minute, in memory, so that user can undo it (POST /api/undo).
 * Bounded per user and by time; a hub restart forgets it, as it forgets plans.
 */
import type { UndoKind, Undoable } from '../protocol/types.js';
import { notFound } from './errors.js';
import type { Removed } from './model/restore.js';

export const UNDO_WINDOW_MS = 60_000;
const MAX_PER_USER = 10_000;

interface Kept { removed: Removed; at: number }

export class RecentDeletions {
  private byUser = new Map<string, Kept[]>();

  constructor(private readonly windowMs = UNDO_WINDOW_MS) {}

  record(user: string, removed: Removed, now = Date.now()): void {
    const list = this.fresh(user, now);
    list.push({ removed, at: now });
    if (list.length > MAX_PER_USER) list.splice(0, list.length - MAX_PER_USER);
    this.byUser.set(user, list);
  }

  /** The user's deletions that can still be undone, newest first. */
  list(user: string, now = Date.now()): Undoable[] {
    return this.fresh(user, now).map((k) => ({
      kind: k.removed.kind, id: k.removed.id, deletedAt: new Date(k.at).toISOString(), expiresAt: new Date(k.at + this.windowMs).toISOString(),
    })).reverse();
  }

  /** The captures for these ids, newest deletion first (undo replays backwards); 404 if any is unknown or too old. */
  find(user: string, kind: UndoKind, ids: readonly string[], now = Date.now()): Removed[] {
    const list = this.fresh(user, now);
    const out: Kept[] = [];
    for (const id of ids) {
      let k: Kept | undefined;
      for (let i = list.length - 1; i >= 0 && !k; i--) if (list[i]!.removed.kind === kind && list[i]!.removed.id === id) k = list[i];
      if (!k) throw notFound(`you deleted no ${kind} '${id}' in the last ${this.windowMs / 1000} s: nothing to undo`);
      out.push(k);
    }
    return out.sort((a, b) => b.at - a.at).map((k) => k.removed);
  }

  /** Forgets captures once restored, so a second undo says there is nothing to undo. */
  forget(user: string, removed: readonly Removed[]): void {
    const list = this.byUser.get(user);
    if (list) this.byUser.set(user, list.filter((k) => !removed.includes(k.removed)));
  }

  private fresh(user: string, now: number): Kept[] {
    const list = (this.byUser.get(user) ?? []).filter((k) => now - k.at < this.windowMs);
    if (list.length) this.byUser.set(user, list); else this.byUser.delete(user);
    return list;
  }
}
