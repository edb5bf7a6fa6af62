/**
 * Login sessions of the standalone UI: random ids in an HttpOnly cookie. Kept in memory and in
 * DATA_DIR/sessions.json (root-only, replaced atomically), so a hub restart logs nobody out; the
 * file holds only a hash of each id, never the id itself. A session expires after IDLE_MS
 * without use; logging out, deleting the user or changing its password ends it at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { SessionsFile } from '../../protocol/types.js';
import { check, validators } from '../../protocol/validate.js';
import { writeFileAtomic } from '../atomic-write.js';

export const SESSION_COOKIE = 'uc_session';
const IDLE_MS = 12 * 60 * 60 * 1000;
/** A session's sliding expiry is written again only once it moved this far (not on every request). */
const SLIDE_WRITE_MS = 60 * 60 * 1000;

interface Session {
  user: string;
  expires: number;
  /** The expiry the file holds. */
  saved: number;
}

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

export class Sessions {
  /** By sha256 of the session id. */
  private byHash = new Map<string, Session>();
  private writes: Promise<void> = Promise.resolve();
  private dirty = false;

  /** `file`: where sessions persist (none: memory only); `log` hears a write that failed. */
  constructor(private readonly file?: string, private readonly log: (msg: string) => void = () => {}) {}

  /** Loads the saved sessions of users that still exist; a missing or unreadable file means none. */
  async load(users: ReadonlySet<string>, now = Date.now()): Promise<void> {
    if (!this.file) return;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`cannot read ${this.file}: ${(e as Error).message}; everyone logs in again`);
      return;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      doc = undefined;
    }
    const checked = check(validators.sessionsFile, doc);
    if (!checked.ok) return this.log(`${this.file} is not a sessions file (${checked.error}); everyone logs in again`);
    for (const s of checked.value.sessions) {
      if (s.expires >= now && users.has(s.user)) this.byHash.set(s.hash, { user: s.user, expires: s.expires, saved: s.expires });
    }
    if (this.byHash.size !== checked.value.sessions.length) void this.persist();
  }

  create(user: string, now = Date.now()): string {
    this.prune(now);
    const id = randomBytes(32).toString('base64url');
    this.byHash.set(hashOf(id), { user, expires: now + IDLE_MS, saved: 0 });
    void this.persist();
    return id;
  }

  /** The session's user, sliding its expiry; undefined when unknown or expired. */
  user(id: string, now = Date.now()): string | undefined {
    const hash = hashOf(id);
    const s = this.byHash.get(hash);
    if (!s || s.expires < now) {
      if (s) this.forget([hash]);
      return undefined;
    }
    s.expires = now + IDLE_MS;
    if (s.expires - s.saved >= SLIDE_WRITE_MS) void this.persist();
    return s.user;
  }

  /** Ends a session (logout); resolves once that is on disk. */
  destroy(id: string): Promise<void> {
    return this.forget([hashOf(id)]);
  }

  /** Ends every session of a user (deleted user, changed password). */
  destroyUser(user: string): Promise<void> {
    return this.forget([...this.byHash].filter(([, s]) => s.user === user).map(([hash]) => hash));
  }

  /** Resolves once every change so far is on disk. */
  flush(): Promise<void> {
    return this.writes;
  }

  private forget(hashes: string[]): Promise<void> {
    let gone = false;
    for (const h of hashes) gone = this.byHash.delete(h) || gone;
    return gone ? this.persist() : this.writes;
  }

  private prune(now: number): void {
    for (const [hash, s] of this.byHash) if (s.expires < now) this.byHash.delete(hash);
  }

  /** Writes the sessions after the write under way, if any: changes made meanwhile share one write. */
  private persist(): Promise<void> {
    if (!this.file) return this.writes;
    const file = this.file;
    this.dirty = true;
    this.writes = this.writes.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      const sessions: SessionsFile['sessions'] = [];
      for (const [hash, s] of this.byHash) {
        s.saved = s.expires;
        sessions.push({ hash, user: s.user, expires: s.expires });
      }
      const doc: SessionsFile = { format: 'unlimited-cluster-sessions', version: 1, sessions };
      await writeFileAtomic(file, JSON.stringify(doc), 0o600);
    }).catch((e: Error) => this.log(`cannot write ${file}: ${e.message}; sessions since the last write end with a restart`));
    return this.writes;
  }
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
