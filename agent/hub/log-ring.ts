/**
 * The hub's recent log lines in memory (GET /api/logs, `clusterctl logs`): exactly what the hub
 * prints (after the log budget of log-limiter.ts, so a flood is counted, not kept), in a bounded
 * ring that drops the oldest. Every line passes `redact` first: nothing that looks like a
 * secret (join or API tokens, Authorization values, passwords, URL paths and queries that may
 * carry webhook keys) is kept.
 */
import type { HubLog, HubLogLine } from '../protocol/types.js';

export const LOG_RING_LINES = 2000;
const MAX_LINE = 4096;

const RULES: [RegExp, string | ((m: string, ...g: string[]) => string)][] = [
  // Join tokens (uc1.<id>.<secret>) and API tokens (uct_…): keep the public id, never the secret.
  [/\buc1\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+/g, 'uc1.$1.[secret]'],
  [/\buct_[A-Za-z0-9_-]+/g, 'uct_[secret]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9+/=._~-]+/gi, '$1 [secret]'],
  [/\b(password|passwd|secret|token|ticket|credential)(["']?\s*[=:]\s*["']?)[^\s"',;]+/gi, '$1$2[secret]'],
  // URLs: no user info, query or fragment, and no long path segment (a webhook's key is one).
  [/\b(https?|wss?):\/\/(?:[^@/\s]*@)?([^/\s?#]+)([^\s"'?#]*)[^\s"']*/gi,
    (_m, scheme: string, host: string, path: string) => `${scheme}://${host}${path.replace(/[^/]{16,}/g, '…')}`],
];

export function redact(line: string): string {
  let out = line;
  for (const [re, to] of RULES) out = out.replace(re, to as string);
  return out.length > MAX_LINE ? `${out.slice(0, MAX_LINE - 1)}…` : out;
}

export class HubLogRing {
  private lines: HubLogLine[] = [];
  private seq = 0;

  constructor(private readonly keep = LOG_RING_LINES) {}

  /** Keeps a redacted copy of `msg`; returns it (what may be printed). */
  push(msg: string, now = new Date()): string {
    const safe = redact(msg);
    this.lines.push({ seq: ++this.seq, ts: now.toISOString(), msg: safe });
    // Trimmed in batches: a flood of lines costs no array shift per line.
    if (this.lines.length >= 2 * this.keep) this.lines.splice(0, this.lines.length - this.keep);
    return safe;
  }

  /** Lines after `since` (oldest first, at most `limit`, the newest of them when more). */
  read(since = 0, limit = 500): HubLog {
    const kept = this.lines.slice(-this.keep);
    const first = kept[0]?.seq ?? this.seq + 1;
    const after = kept.filter((l) => l.seq > since);
    const lines = after.slice(-limit);
    return { lines, next: lines.at(-1)?.seq ?? Math.max(since, this.seq), dropped: Math.max(0, first - since - 1) + (after.length - lines.length) };
  }
}
