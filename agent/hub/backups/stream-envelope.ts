/**
 * Encrypted backups too big to hold in memory (a Galera database): the key, key id and cipher of
 * envelope.ts, sealed as a stream of chunks. The file starts with one JSON line, the header
 * (format, version 2, cipher, what it holds, when, which key, the nonce prefix, and a few facts
 * such as the cluster and the node), then records: a 4-byte length whose top bit marks the last
 * record, the chunk sealed with AES-256-GCM, its 16-byte tag. A chunk's IV is the nonce prefix
 * and its index; its additional data binds the header, the index and the last-record mark:
 * nothing can be altered, reordered, cut off or appended unnoticed, and a reader learns of damage
 * at the chunk where it is.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { BACKUP_FORMAT, keyId } from './envelope.js';

export const CHUNK_BYTES = 1 << 20;
const LAST = 0x8000_0000;
const TAG = 16;
const MAX_HEADER = 16 * 1024;

export interface StreamHeader {
  format: typeof BACKUP_FORMAT;
  version: 2;
  cipher: 'aes-256-gcm';
  /** What it holds, e.g. `galera` (a mariabackup stream, gzipped). */
  content: string;
  createdAt: string;
  keyId: string;
  /** 8 random bytes, base64: the first part of every chunk's IV. */
  nonce: string;
  /** Facts about the backup (cluster, node), shown when it is listed. */
  meta: Record<string, string>;
}

function chunkIv(nonce: Buffer, index: number): Buffer {
  const iv = Buffer.alloc(12);
  nonce.copy(iv, 0, 0, 8);
  iv.writeUInt32BE(index, 8);
  return iv;
}

function chunkAad(headerHash: Buffer, index: number, last: boolean): Buffer {
  const tail = Buffer.alloc(5);
  tail.writeUInt32BE(index, 0);
  tail[4] = last ? 1 : 0;
  return Buffer.concat([headerHash, tail]);
}

/** Seals what is written into it; the output is the whole file. */
export function sealStream(key: Buffer, content: string, meta: Record<string, string> = {}, now = new Date()): Transform {
  const nonce = randomBytes(8);
  const header: StreamHeader = { format: BACKUP_FORMAT, version: 2, cipher: 'aes-256-gcm', content, createdAt: now.toISOString(), keyId: keyId(key), nonce: nonce.toString('base64'), meta };
  const line = Buffer.from(`${JSON.stringify(header)}\n`);
  const headerHash = createHash('sha256').update(line).digest();
  let pending: Buffer[] = [];
  let size = 0;
  let index = 0;
  const record = (plain: Buffer, last: boolean): Buffer => {
    const c = createCipheriv('aes-256-gcm', key, chunkIv(nonce, index));
    c.setAAD(chunkAad(headerHash, index, last));
    const data = Buffer.concat([c.update(plain), c.final()]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE((data.length | (last ? LAST : 0)) >>> 0);
    index++;
    return Buffer.concat([len, data, c.getAuthTag()]);
  };
  const t = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      pending.push(chunk);
      size += chunk.length;
      while (size >= CHUNK_BYTES) {
        const all = Buffer.concat(pending);
        this.push(record(all.subarray(0, CHUNK_BYTES), false));
        pending = [all.subarray(CHUNK_BYTES)];
        size = pending[0]!.length;
      }
      done();
    },
    flush(done: TransformCallback) {
      this.push(record(Buffer.concat(pending), true));
      done();
    },
  });
  t.push(line);
  return t;
}

/** The header of a sealed stream (the first line), checked for its format; it is authenticated only as the chunks are opened. */
export function parseHeader(line: string): StreamHeader {
  let h: Partial<StreamHeader>;
  try {
    h = JSON.parse(line) as Partial<StreamHeader>;
  } catch {
    throw new Error('it is not an encrypted backup (its first line is not a header)');
  }
  if (h.format !== BACKUP_FORMAT || h.version !== 2 || h.cipher !== 'aes-256-gcm' || typeof h.nonce !== 'string' || typeof h.keyId !== 'string') {
    throw new Error(`it is not a streamed encrypted backup (format ${String(h.format)}, version ${String(h.version)})`);
  }
  return { meta: {}, ...h } as StreamHeader;
}

/** The header of a sealed file (reads at most its first 16 KiB). */
export async function readStreamHeader(file: string): Promise<StreamHeader> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(MAX_HEADER);
    const { bytesRead } = await fh.read(buf, 0, MAX_HEADER, 0);
    const end = buf.subarray(0, bytesRead).indexOf(10);
    if (end < 0) throw new Error('it is not an encrypted backup (no header line)');
    return parseHeader(buf.subarray(0, end).toString('utf8'));
  } finally {
    await fh.close();
  }
}

/**
 * Opens a sealed stream (the whole file is written into it) and gives the plaintext, chunk by
 * chunk as each one is verified. Fails with the reason: another key, a damaged or altered chunk,
 * a file cut off or with bytes after its end. Emits `header` once the header is read.
 */
export function openStream(key: Buffer): Transform {
  let buf: Buffer = Buffer.alloc(0);
  let header: { hash: Buffer; nonce: Buffer } | undefined;
  let index = 0;
  let ended = false;
  const damaged = () => new Error(`it is damaged or was altered (chunk ${index} does not authenticate)`);
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      try {
        if (!header) {
          const end = buf.indexOf(10);
          if (end < 0) {
            if (buf.length > MAX_HEADER) throw new Error('it is not an encrypted backup (no header line)');
            return done();
          }
          const line = buf.subarray(0, end + 1);
          const h = parseHeader(line.subarray(0, end).toString('utf8'));
          if (h.keyId !== keyId(key)) throw new Error(`it was sealed with another key (key ${h.keyId}; this key is ${keyId(key)})`);
          header = { hash: createHash('sha256').update(line).digest(), nonce: Buffer.from(h.nonce, 'base64') };
          this.emit('header', h);
          buf = buf.subarray(end + 1);
        }
        while (buf.length >= 4) {
          if (ended) throw new Error('it has bytes after its last chunk (it was altered)');
          const word = buf.readUInt32BE(0);
          const last = (word & LAST) !== 0;
          const len = word & ~LAST;
          if (len > CHUNK_BYTES) throw damaged();
          if (buf.length < 4 + len + TAG) break;
          const d = createDecipheriv('aes-256-gcm', key, chunkIv(header.nonce, index));
          d.setAAD(chunkAad(header.hash, index, last));
          d.setAuthTag(buf.subarray(4 + len, 4 + len + TAG));
          let plain: Buffer;
          try {
            plain = Buffer.concat([d.update(buf.subarray(4, 4 + len)), d.final()]);
          } catch {
            throw damaged();
          }
          buf = buf.subarray(4 + len + TAG);
          index++;
          ended = last;
          if (plain.length) this.push(plain);
        }
        done();
      } catch (e) {
        done(e as Error);
      }
    },
    flush(done: TransformCallback) {
      if (!header) return done(new Error('it is not an encrypted backup (no header line)'));
      if (!ended || buf.length) return done(new Error(ended ? 'it has bytes after its last chunk (it was altered)' : `it was cut off (after ${index} chunks, before its last one)`));
      done();
    },
  });
}
