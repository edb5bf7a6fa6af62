/**
 * JSON.stringify of a record, made once per record object. The hub's state is immutable (a change
 * makes new records and leaves the others as they were) and every metrics sample is a new object,
 * so a record's JSON holds as long as the record: the API's big lists and the state file join
 * cached pieces instead of serializing 10,000 unchanged servers again (bench:api).
 */
const strings = new WeakMap<object, string>();
const bytes = new WeakMap<object, Buffer>();

export function recordJson(record: object): string {
  let text = strings.get(record);
  if (text === undefined) {
    text = JSON.stringify(record);
    strings.set(record, text);
  }
  return text;
}

/** recordJson as UTF-8 bytes, made once per record object. */
function recordBytes(record: object): Buffer {
  let b = bytes.get(record);
  if (b === undefined) {
    b = Buffer.from(recordJson(record));
    bytes.set(record, b);
  }
  return b;
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/** Items per cached piece of an array's bytes. */
const CHUNK = 256;
/** The bytes of CHUNK items, by the first of them, with the items they were made of. */
const chunks = new WeakMap<object, { items: readonly unknown[]; bytes: Buffer }>();
const arrays = new WeakMap<readonly unknown[], Buffer[]>();

const itemBytes = (v: unknown) => (v !== null && typeof v === 'object' ? recordBytes(v) : Buffer.from(JSON.stringify(v) ?? 'null'));

/** The bytes of items[start…start+CHUNK), comma-separated: kept while the same records are there. */
function chunkBytes(items: readonly unknown[], start: number): Buffer {
  const slice = items.slice(start, start + CHUNK);
  const first = slice[0];
  const key = first !== null && typeof first === 'object' ? first : undefined;
  const kept = key && chunks.get(key);
  if (kept && kept.items.length === slice.length && kept.items.every((v, i) => v === slice[i])) return kept.bytes;
  const parts: Buffer[] = [];
  slice.forEach((v, i) => {
    if (i) parts.push(COMMA);
    parts.push(itemBytes(v));
  });
  const bytes = Buffer.concat(parts);
  if (key) chunks.set(key, { items: slice, bytes });
  return bytes;
}

/**
 * The JSON bytes of an array of records, in pieces: a change of one record of 10,000 makes the
 * bytes of the CHUNK records around it again and keeps the others' (made once per array object).
 */
function arrayBytes(items: readonly unknown[]): Buffer[] {
  let pieces = arrays.get(items);
  if (pieces === undefined) {
    pieces = [OPEN];
    for (let start = 0; start < items.length; start += CHUNK) {
      if (start) pieces.push(COMMA);
      pieces.push(chunkBytes(items, start));
    }
    pieces.push(CLOSE);
    arrays.set(items, pieces);
  }
  return pieces;
}

/**
 * The UTF-8 bytes of JSON.stringify(doc), in pieces to write one after the other, for a document
 * whose array fields hold records: each array's pieces from the cache, so a write that changed one
 * server of 10,000 encodes that server and joins its neighbours' bytes, instead of serializing,
 * encoding and copying 3 MB again.
 */
export function documentBytes(doc: Record<string, unknown>): Buffer[] {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(doc)) {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    parts.push(Buffer.from(`${parts.length ? ',' : '{'}${JSON.stringify(key)}:`));
    if (Array.isArray(value)) parts.push(...arrayBytes(value));
    else parts.push(Buffer.from(JSON.stringify(value)));
  }
  parts.push(Buffer.from(parts.length ? '}' : '{}'));
  return parts;
}
