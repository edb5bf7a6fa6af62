/**
 * A web server for load-balancing tests: `node web-backend.mjs NAME PORT [DELAY_MS]` answers NAME
 * to every request, after DELAY_MS (default 0) so that a load keeps sessions open.
 */
import http from 'node:http';

const [name = 'web', port = '80', delay = '0'] = process.argv.slice(2);
const ms = Number(delay);
http.createServer((_req, res) => (ms > 0 ? setTimeout(() => res.end(`${name}\n`), ms) : res.end(`${name}\n`))).listen(Number(port), '0.0.0.0');
