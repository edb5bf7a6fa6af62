/**
 * Whether a Content-Type header is exactly a JSON media type, read by RFC 9110's grammar:
 * `application/json` (any case), then parameters `; name=value` (a token or a quoted string), of
 * which only `charset` means anything and must be UTF-8 (the body is read as UTF-8). Anything
 * else, malformed or not, is not JSON: several types, a stray `;`, a repeated parameter.
 */
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"(?:[\\t\\x20\\x21\\x23-\\x5b\\x5d-\\x7e\\x80-\\xff]|\\\\[\\t\\x20-\\x7e\\x80-\\xff])*"';
const MEDIA = new RegExp(`^(${TOKEN})/(${TOKEN})((?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|${QUOTED}))*)[ \\t]*$`);
const PARAM = new RegExp(`;[ \\t]*(${TOKEN})=(${TOKEN}|${QUOTED})`, 'g');

export function isJsonContentType(header: string | undefined): boolean {
  const m = MEDIA.exec(header ?? '');
  if (!m || m[1]!.toLowerCase() !== 'application' || m[2]!.toLowerCase() !== 'json') return false;
  const seen = new Set<string>();
  for (const [, name, value] of m[3]!.matchAll(PARAM)) {
    const key = name!.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    const unquoted = value!.startsWith('"') ? value!.slice(1, -1).replace(/\\(.)/g, '$1') : value!;
    if (key === 'charset' && unquoted.toLowerCase() !== 'utf-8') return false;
  }
  return true;
}
