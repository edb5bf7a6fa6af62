/** Login sessions of the standalone UI: random ids in an HttpOnly cookie, kept in memory. */
import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'uc_session';
const IDLE_MS = 12 * 60 * 60 * 1000;

export class Sessions {
  private byId = new Map<string, { user: string; expires: number }>();

  create(user: string, now = Date.now()): string {
    this.prune(now);
    const id = randomBytes(32).toString('base64url');
    this.byId.set(id, { user, expires: now + IDLE_MS });
    return id;
  }

  /** The session's user, sliding its expiry; undefined when unknown or expired. */
  user(id: string, now = Date.now()): string | undefined {
    const s = this.byId.get(id);
    if (!s || s.expires < now) {
      this.byId.delete(id);
      return undefined;
    }
    s.expires = now + IDLE_MS;
    return s.user;
  }

  destroy(id: string): void {
    this.byId.delete(id);
  }

  /** Ends every session of a user (deleted user, changed password). */
  destroyUser(user: string): void {
    for (const [id, s] of this.byId) if (s.user === user) this.byId.delete(id);
  }

  private prune(now: number): void {
    for (const [id, s] of this.byId) if (s.expires < now) this.byId.delete(id);
  }
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
