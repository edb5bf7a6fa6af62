/** The server form's own checks and conversions: each mistake named next to its field before anything is sent. */
import type { ServerType } from '../../agent/protocol/types.js';

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
export type Field = 'id' | 'name' | 'address' | 'region' | 'labels' | 'ports';

/** The ports a server of each type usually serves: offered in the form, one click each. */
export const DEFAULT_PORTS: Record<ServerType, number[]> = {
  web: [80, 443], database: [3306, 5432], dns: [53], cache: [6379, 11211], loadbalancer: [80, 443],
  filesystem: [24007, 2049], monitoring: [9100, 9090], backup: [22, 873], security: [22, 443],
};

/** `tier=gold, zone=a` (commas or new lines) to a labels object, or the first mistake. */
export function parseLabels(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const part of text.split(/[,\n]/).map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim(), value = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!key || key.length > 63 || !LABEL_KEY.test(key)) return `"${key}" is not a label name: letters, digits, ".", "_", "/" or "-".`;
    if (value.length > 256) return `The value of "${key}" is longer than 256 characters.`;
    if (key in out) return `"${key}" is given twice.`;
    out[key] = value;
  }
  return Object.keys(out).length > 32 ? 'At most 32 labels.' : out;
}

export const formatLabels = (labels: Readonly<Record<string, string>>) => Object.entries(labels).map(([k, v]) => (v ? `${k}=${v}` : k)).join(', ');

/** `80, 443` to port numbers, or the first mistake. */
export function parsePorts(text: string): number[] | string {
  const out: number[] = [];
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const n = Number(part);
    if (!/^\d+$/.test(part) || n < 1 || n > 65535) return `"${part}" is not a port (1 to 65535).`;
    if (!out.includes(n)) out.push(n);
  }
  return out.length > 64 ? 'At most 64 ports.' : out;
}

/** Field errors for a form, before anything is sent; `id` is checked only when adding. */
export function serverFormErrors(f: Record<Field, string>, taken: ((id: string) => boolean) | null): Partial<Record<Field, string>> {
  const e: Partial<Record<Field, string>> = {};
  if (taken) {
    if (!f.id) e.id = 'Give the server an id.';
    else if (f.id.length > 63 || !ID.test(f.id)) e.id = 'Use letters, digits, ".", "_" or "-", starting with a letter or digit (at most 63).';
    else if (taken(f.id)) e.id = `A server with id "${f.id}" already exists.`;
  }
  if (!f.name.trim()) e.name = 'Give the server a name.';
  if (!f.address.trim()) e.address = 'Give an IP address or host name.';
  else if (/\s/.test(f.address.trim())) e.address = 'An address has no spaces.';
  if (f.region.length > 64) e.region = 'At most 64 characters.';
  const labels = parseLabels(f.labels);
  if (typeof labels === 'string') e.labels = labels;
  const ports = parsePorts(f.ports);
  if (typeof ports === 'string') e.ports = ports;
  return e;
}
