/**
 * The "Add a node" form, pure: what was typed → the POST /api/join-tokens body, or a sentence
 * saying what to fix; and how a token's expiry reads. The form refuses what the hub would.
 */
import { SERVER_TYPES } from '../../agent/protocol/common.js';
import type { JoinTokenCreate, ServerType } from '../../agent/protocol/types.js';

/** The form's fields as typed (every one a string, as inputs give them). */
export interface TokenForm {
  expires: string;
  uses: string;
  /** '' lets the agent choose (its --type, default web). */
  type: string;
  /** `zone=a, tier=edge` */
  labels: string;
  /** '' for none. */
  cluster: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * The protocol schema's limits (joinTokenCreateSchema, labelsSchema), copied because importing
 * the schemas would put them all in the bundle; join-tokens.test.ts checks they still agree.
 */
export const LIMITS = {
  expiresInMinutes: { minimum: 1, maximum: 43200 },
  uses: { minimum: 1, maximum: 100000 },
  labels: { maxProperties: 32, keyMaxLength: 63, keyPattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$', valueMaxLength: 256 },
} as const;
const LABEL_KEY = new RegExp(LIMITS.labels.keyPattern);

/** `zone=a, tier=edge` → `{ zone: 'a', tier: 'edge' }`; blank → `{}`. Spaces around names and values are dropped. */
export function parseLabelList(text: string): Parsed<Record<string, string>> {
  const labels: Record<string, string> = {};
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length > LIMITS.labels.maxProperties) return { ok: false, error: `At most ${LIMITS.labels.maxProperties} labels.` };
  for (const part of parts) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? '' : part.slice(0, eq).trim();
    if (!key) return { ok: false, error: `Label "${part}" is not name=value.` };
    if (key.length > LIMITS.labels.keyMaxLength || !LABEL_KEY.test(key)) {
      return { ok: false, error: `Label name "${key}" may have only letters, digits, ".", "_", "/" and "-", and must start with a letter or digit.` };
    }
    if (Object.hasOwn(labels, key)) return { ok: false, error: `Label "${key}" is given twice.` };
    const value = part.slice(eq + 1).trim();
    if (value.length > LIMITS.labels.valueMaxLength) return { ok: false, error: `The value of label "${key}" is too long.` };
    labels[key] = value;
  }
  return { ok: true, value: labels };
}

/** A whole number within the schema's bounds; blank means the hub's default (undefined). */
function wholeNumber(text: string, what: string, bounds: { minimum: number; maximum: number }): Parsed<number | undefined> {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  const n = /^\d+$/.test(t) ? Number(t) : NaN;
  if (!(n >= bounds.minimum && n <= bounds.maximum)) {
    return { ok: false, error: `${what} must be a whole number from ${bounds.minimum} to ${bounds.maximum}.` };
  }
  return { ok: true, value: n };
}

const isServerType = (t: string): t is ServerType => (SERVER_TYPES as readonly string[]).includes(t);

/** The request body for the form, with only the fields that were filled in. */
export function tokenRequest(form: TokenForm): Parsed<JoinTokenCreate> {
  const expires = wholeNumber(form.expires, 'Expires in (minutes)', LIMITS.expiresInMinutes);
  if (!expires.ok) return expires;
  const uses = wholeNumber(form.uses, 'Uses', LIMITS.uses);
  if (!uses.ok) return uses;
  const labels = parseLabelList(form.labels);
  if (!labels.ok) return labels;
  if (form.type !== '' && !isServerType(form.type)) return { ok: false, error: `Unknown server type "${form.type}".` };
  const body: JoinTokenCreate = {
    ...(expires.value === undefined ? {} : { expiresInMinutes: expires.value }),
    ...(uses.value === undefined ? {} : { uses: uses.value }),
    ...(isServerType(form.type) ? { type: form.type } : {}),
    ...(Object.keys(labels.value).length ? { labels: labels.value } : {}),
    ...(form.cluster ? { cluster: form.cluster } : {}),
  };
  return { ok: true, value: body };
}

/** Time left, rounded up to the minute, as its two largest units: `in 45 min`, `in 1 h 30 min`, `in 3 d 4 h`; `expired` once past. */
export function expiresIn(expiresAt: string, now: number): string {
  const ms = Date.parse(expiresAt) - now;
  if (Number.isNaN(ms)) return '';
  if (ms <= 0) return 'expired';
  const minutes = Math.ceil(ms / 60_000);
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  if (d) return `in ${d} d${h ? ` ${h} h` : ''}`;
  if (h) return `in ${h} h${m ? ` ${m} min` : ''}`;
  return `in ${m} min`;
}

/** `zone=a, tier=edge`, or '' for none. */
export const labelText = (labels: Readonly<Record<string, string>> | undefined) =>
  Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
