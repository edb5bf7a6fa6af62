/**
 * Encrypted backups: AES-256-GCM under a 32-byte key kept root-only beside the state. A backup is
 * one JSON document: the format, which key sealed it (a short fingerprint, never the key), the IV,
 * the tag and the ciphertext; the header is authenticated with the data, so nothing in the file
 * can change unnoticed. `clusterctl restore` opens it with the same key file.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../atomic-write.js';

export const BACKUP_FORMAT = 'unlimited-cluster-backup';

export interface Envelope {
  format: typeof BACKUP_FORMAT;
  version: 1;
  cipher: 'aes-256-gcm';
  /** What it holds: `state` (the hub's state.json). */
  content: string;
  createdAt: string;
  keyId: string;
  iv: string;
  tag: string;
  data: string;
}

export const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 16);

const header = (e: Pick<Envelope, 'format' | 'version' | 'cipher' | 'content' | 'createdAt' | 'keyId'>) =>
  Buffer.from(JSON.stringify([e.format, e.version, e.cipher, e.content, e.createdAt, e.keyId]));

export function seal(plain: Buffer, key: Buffer, content: string, now = new Date()): string {
  const iv = randomBytes(12);
  const head = { format: BACKUP_FORMAT, version: 1, cipher: 'aes-256-gcm', content, createdAt: now.toISOString(), keyId: keyId(key) } as const;
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(header(head));
  const data = Buffer.concat([c.update(plain), c.final()]);
  const e: Envelope = { ...head, iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
  return `${JSON.stringify(e)}\n`;
}

export const isEnvelope = (doc: unknown): doc is Envelope => typeof doc === 'object' && doc !== null && (doc as { format?: unknown }).format === BACKUP_FORMAT;

/** The plaintext, or an Error saying why not (another key, a damaged or altered file). */
export function open(e: Envelope, key: Buffer): Buffer {
  if (e.version !== 1 || e.cipher !== 'aes-256-gcm') throw new Error(`unsupported backup (version ${String(e.version)}, cipher ${String(e.cipher)})`);
  if (e.keyId !== keyId(key)) throw new Error(`it was sealed with another key (key ${e.keyId}; this key is ${keyId(key)})`);
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(e.iv, 'base64'));
    d.setAAD(header(e));
    d.setAuthTag(Buffer.from(e.tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(e.data, 'base64')), d.final()]);
  } catch {
    throw new Error('it is damaged or was altered (the authentication tag does not match)');
  }
}

/** The key in `file` (base64 of 32 bytes), created root-only when missing and `create` is set. */
export async function loadKey(file: string, create = false): Promise<Buffer> {
  try {
    const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key`);
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !create) throw e;
    const key = randomBytes(32);
    await writeFileAtomic(file, `${key.toString('base64')}\n`, 0o600);
    return key;
  }
}
