/**
 * A web server for load-balancing tests: `node web-backend.mjs NAME PORT [DELAY_MS] [ROOT]`
 * answers NAME to every request, after DELAY_MS (default 0) so that a load keeps sessions open.
 *
 * With ROOT it serves virtual hosts as a web node of a virtual server's web cluster does:
 * `ROOT/HOST/PATH` (`index.html` for a directory) for the request's Host header, following links
 * (a site's other names are links beside its directory), 404 when there is no such site or file.
 * A request without a name in its Host header (HAProxy's health check, a request to the
 * server's address) still gets NAME.
 */
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import { join, normalize } from 'node:path';

const [name = 'web', port = '80', delay = '0', root] = process.argv.slice(2);
const ms = Number(delay);

async function site(req, res) {
  const host = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
  // No name (HAProxy's health check, a request to the address): the server itself answers.
  if (!host || /^[\d.]+$/.test(host)) return res.end(`${name}\n`);
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(host) || path.includes('..')) return answer(res, 400, `bad request on ${name}\n`);
  let file = join(root, host, path);
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const body = await readFile(file);
    res.writeHead(200, { 'x-served-by': name });
    res.end(body);
  } catch {
    answer(res, 404, `no ${path} for ${host} on ${name}\n`);
  }
}

function answer(res, status, text) {
  res.writeHead(status, { 'x-served-by': name });
  res.end(text);
}

const handle = root ? site : (_req, res) => res.end(`${name}\n`);
http.createServer((req, res) => (ms > 0 ? setTimeout(() => handle(req, res), ms) : handle(req, res))).listen(Number(port), '0.0.0.0');
