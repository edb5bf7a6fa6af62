/**
 * Writing the audit log: one entry per accepted change, kept in the state document (the newest
 * AUDIT_KEEP), and the refused or failed API calls, kept only in memory (a refusal changes
 * nothing, so it never writes the state; a restart forgets them).
 */
import { MAX_AUDIT_REFS } from '../../protocol/audit.js';
import type { AuditEntry, AuditResult, State } from '../../protocol/types.js';

export const AUDIT_KEEP = 1000;
/** Refused calls kept in memory; a flood of them pushes out only older refusals. */
export const REFUSALS_KEEP = 500;

/** What an entry adds beyond who, what and when: how it ended, the full detail, what it concerned. */
export interface AuditExtra {
  result?: AuditResult;
  detail?: string;
  servers?: readonly string[];
  clusters?: readonly string[];
}

/** A list for an entry: each name once, at most MAX_AUDIT_REFS, left out when empty. */
const refList = (names: readonly string[] | undefined): string[] | undefined => {
  const list = [...new Set(names ?? [])].slice(0, MAX_AUDIT_REFS);
  return list.length ? list : undefined;
};

export function auditEntry(who: string, action: string, target: string, now: Date, extra: AuditExtra = {}): AuditEntry {
  const servers = refList(extra.servers), clusters = refList(extra.clusters);
  return {
    ts: now.toISOString(), user: who, action, target: target.slice(0, 256),
    ...(extra.result && extra.result !== 'ok' ? { result: extra.result } : {}),
    ...(extra.detail === undefined ? {} : { detail: extra.detail.slice(0, 262144) }),
    ...(servers ? { servers } : {}),
    ...(clusters ? { clusters } : {}),
  };
}

/** Appends an audit entry, keeping the newest AUDIT_KEEP; `extra.detail` holds e.g. an applied diff. */
export function withAudit(state: State, who: string, action: string, target: string, now = new Date(), extra?: AuditExtra): State {
  const entry = auditEntry(who, action, target, now, extra);
  const audit = state.audit.length >= AUDIT_KEEP ? [...state.audit.slice(-(AUDIT_KEEP - 1)), entry] : [...state.audit, entry];
  return { ...state, audit };
}

/** The servers `ids` and the clusters they are members of (in `state`), for an entry. */
export function serverRefs(state: Pick<State, 'clusters'>, ids: readonly string[]): AuditExtra {
  const set = new Set(ids);
  return { servers: ids, clusters: state.clusters.filter((c) => c.servers.some((m) => set.has(m))).map((c) => c.name) };
}

export class Refusals {
  private entries: AuditEntry[] = [];

  record(entry: AuditEntry): void {
    this.entries.push(entry);
    if (this.entries.length > REFUSALS_KEEP) this.entries.splice(0, this.entries.length - REFUSALS_KEEP);
  }

  all(): readonly AuditEntry[] {
    return this.entries;
  }
}
