import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, openStream, parseHeader, sealStream } from './stream-envelope.js';

const key = randomBytes(32);

async function collect(input: Buffer, t: NodeJS.ReadWriteStream, pieces = 7): Promise<Buffer> {
  const out: Buffer[] = [];
  const step = Math.max(1, Math.ceil(input.length / pieces));
  const parts = Array.from({ length: Math.ceil(input.length / step) }, (_, i) => input.subarray(i * step, (i + 1) * step));
  await pipeline(Readable.from(parts), t, async function* (src) { for await (const c of src) out.push(c as Buffer); });
  return Buffer.concat(out);
}
const seal = (plain: Buffer) => collect(plain, sealStream(key, 'galera', { cluster: 'db', node: 'db2' }));

describe('streamed backup envelope', () => {
  it('seals in chunks under the backup key and opens them back, whatever the size', async () => {
    for (const size of [0, 5, CHUNK_BYTES, CHUNK_BYTES * 2 + 17]) {
      const plain = randomBytes(size);
      const sealed = await seal(plain);
      const header = parseHeader(sealed.subarray(0, sealed.indexOf(10)).toString());
      expect(header).toMatchObject({ format: 'unlimited-cluster-backup', version: 2, cipher: 'aes-256-gcm', content: 'galera', meta: { cluster: 'db', node: 'db2' } });
      if (size > 64) expect(sealed.includes(plain.subarray(0, 64))).toBe(false);
      expect((await collect(sealed, openStream(key), 3)).equals(plain)).toBe(true);
    }
  });

  it('refuses another key, an altered, reordered or cut-off file and bytes appended', async () => {
    const plain = randomBytes(CHUNK_BYTES * 2 + 100);
    const sealed = await seal(plain);
    const body = sealed.indexOf(10) + 1;
    await expect(collect(sealed, openStream(randomBytes(32)))).rejects.toThrow(/sealed with another key/);
    const flipped = Buffer.from(sealed);
    flipped[body + 4 + CHUNK_BYTES + 16 + 4 + 10]! ^= 1;
    await expect(collect(flipped, openStream(key))).rejects.toThrow(/damaged or was altered \(chunk 1 does not authenticate\)/);
    const header = Buffer.from(sealed);
    header[body - 5] = header[body - 5] === 0x31 ? 0x32 : 0x31; // a digit of the nonce or date
    await expect(collect(header, openStream(key))).rejects.toThrow(/damaged or was altered|not an encrypted backup/);
    const rec = 4 + CHUNK_BYTES + 16;
    const swapped = Buffer.concat([sealed.subarray(0, body), sealed.subarray(body + rec, body + 2 * rec), sealed.subarray(body, body + rec), sealed.subarray(body + 2 * rec)]);
    await expect(collect(swapped, openStream(key))).rejects.toThrow(/chunk 0 does not authenticate/);
    await expect(collect(sealed.subarray(0, body + 2 * rec), openStream(key))).rejects.toThrow(/cut off \(after 2 chunks/);
    await expect(collect(Buffer.concat([sealed, Buffer.from('more bytes')]), openStream(key))).rejects.toThrow(/bytes after its last chunk/);
    // The last-record mark is authenticated: a file cut after a chunk marked last cannot be made.
    const marked = Buffer.from(sealed.subarray(0, body + rec));
    marked[body]! |= 0x80;
    await expect(collect(marked, openStream(key))).rejects.toThrow(/chunk 0 does not authenticate/);
  });
});
