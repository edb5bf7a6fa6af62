/**
 * What clusterctl prints for join tokens, pure: the table of live tokens and the report of a new
 * one (its secret and the install command, said to be shown once). `now` is passed in so the
 * "expires in" text is testable.
 */
import type { JoinToken } from '../protocol/types.js';
import { keyValues } from './format.js';
import { renderTable, sanitizeCell } from './table.js';

/** A token as GET /api/join-tokens lists it: everything but the secret's hash. */
export type ListedJoinToken = Omit<JoinToken, 'hash'>;
/**
 * The POST /api/join-tokens answer: the listed fields plus the secret, this once, the install
 * command, and a warning when other machines cannot reach the hub's agent address.
 */
export type CreatedJoinToken = ListedJoinToken & { token: string; installCommand: string; agentUrl?: string; warning?: string };

/** `2025-06-01 14:05 UTC`: minutes are enough for an expiry, and UTC reads the same on every host. */
export function utcMinute(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Time left as the two largest units, rounded up to the minute: `in 45m`, `in 1h 30m`, `in 3d 4h`; `expired` once past. */
export function expiresIn(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (!Number.isFinite(ms)) return '-';
  if (ms <= 0) return 'expired';
  const minutes = Math.ceil(ms / 60_000);
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  const text = d ? `${d}d${h ? ` ${h}h` : ''}` : h ? `${h}h${m ? ` ${m}m` : ''}` : `${m}m`;
  return `in ${text}`;
}

/** `role=edge,zone=a`, or `-` for none. */
function labelText(labels: Readonly<Record<string, string>> | undefined): string {
  const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  return pairs.join(',') || '-';
}

/** Live tokens, oldest first; no secret is ever in them (the hub keeps only hashes). */
export function tokensTable(tokens: readonly ListedJoinToken[], now: number): string {
  if (tokens.length === 0) return 'no live join tokens\n';
  const rows = [...tokens]
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
    .map((t) => [
      t.id, t.createdBy, `${utcMinute(t.expiresAt)} (${expiresIn(t.expiresAt, now)})`, String(t.usesLeft),
      t.type ?? '-', t.cluster ?? '-', labelText(t.labels),
    ]);
  return renderTable([
    { header: 'ID' }, { header: 'CREATED BY' }, { header: 'EXPIRES' }, { header: 'USES LEFT', align: 'right' },
    { header: 'TYPE' }, { header: 'CLUSTER' }, { header: 'LABELS' },
  ], rows);
}

/** The report of `tokens create`: what the node will become, then the secret and the command, said to be shown once. */
export function createdTokenReport(t: CreatedJoinToken, now: number): string {
  const details = keyValues([
    ['id', t.id],
    ['uses', String(t.usesLeft)],
    ['expires', `${utcMinute(t.expiresAt)} (${expiresIn(t.expiresAt, now)})`],
    ...(t.serverId !== undefined
      ? [['re-enrolls', t.serverId] as const]
      : [['type', t.type ?? 'chosen by the agent (--type, default web)'], ['cluster', t.cluster ?? '-'], ['labels', labelText(t.labels)]] as const),
  ]);
  return `created join token ${t.id}
${details}
The token is shown only this once: the hub keeps only its hash. Treat it like a password.

  ${sanitizeCell(t.token)}

On the new node, as root (Debian or Ubuntu with curl; to pick its server id, end with | sh -s -- --id NAME):

  ${sanitizeCell(t.installCommand)}
${t.warning ? `\nWarning: ${sanitizeCell(t.warning)}\n` : ''}`;
}
