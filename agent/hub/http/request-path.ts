/**
 * The path of a request, decoded before anything checks it: split into segments, each
 * percent-decoded once. A path that could mean something else after decoding is refused (400):
 * a malformed escape, a `.` or `..` segment written literally or encoded (`%2e%2e`), a segment
 * holding a `/` or `\` (`%2f`, `%5c`) or a control character. Everything after (the router, the
 * static files, the Webmin action log through `X-Served-Path`) sees only the decoded segments.
 */
import { HttpError } from '../errors.js';

export interface RequestPath {
  /** Decoded, non-empty segments: `/api/servers/web1` → ['api', 'servers', 'web1']. */
  segments: string[];
  /** The same path re-encoded the one canonical way: what was served. */
  pathname: string;
  query: URLSearchParams;
}

const refuse = (message: string) => new HttpError(400, 'bad_path', message);

export function parseRequestPath(url: string | undefined): RequestPath {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  if (!path.startsWith('/')) throw refuse('the request path must start with /');
  const segments: string[] = [];
  for (const part of path.split('/')) {
    if (!part) continue;
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      throw refuse(`malformed percent-encoding in the path: '${part}'`);
    }
    if (segment === '.' || segment === '..') throw refuse('dot segments (. and ..) are not allowed in the path, encoded or not');
    if (/[/\\\u0000-\u001f\u007f]/.test(segment)) throw refuse('a path segment may not hold /, \\ or control characters, encoded or not');
    segments.push(segment);
  }
  return {
    segments,
    pathname: `/${segments.map(encodeURIComponent).join('/')}`,
    query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)),
  };
}
