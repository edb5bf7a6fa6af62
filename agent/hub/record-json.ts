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

/** The JSON bytes of an array of records, from each one's cached bytes; made once per array object. */
function arrayBytes(items: readonly unknown[]): Buffer {
  let b = bytes.get(items);
  if (b === undefined) {
    const parts: Buffer[] = [OPEN];
    items.forEach((v, i) => {
      if (i) parts.push(COMMA);
      parts.push(v !== null && typeof v === 'object' ? recordBytes(v) : Buffer.from(JSON.stringify(v) ?? 'null'));
    });
    parts.push(CLOSE);
    b = Buffer.concat(parts);
    bytes.set(items, b);
  }
  return b;
}

/**
 * The UTF-8 bytes of JSON.stringify(doc), in pieces to write one after the other, for a document
 * whose array fields hold records: each array and array item from its cached bytes, so a write
 * that changed one server of 10,000 encodes that server and copies the servers' bytes once,
 * instead of serializing and encoding 3 MB again.
 */
export function documentBytes(doc: Record<string, unknown>): Buffer[] {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(doc)) {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    parts.push(Buffer.from(`${parts.length ? ',' : '{'}${JSON.stringify(key)}:`));
    parts.push(Array.isArray(value) ? arrayBytes(value) : Buffer.from(JSON.stringify(value)));
  }
  parts.push(Buffer.from(parts.length ? '}' : '{}'));
  return parts;
}
