/** A web server for load-balancing tests: `node web-backend.mjs NAME PORT` answers NAME to every request. */
import http from 'node:http';

const [name = 'web', port = '80'] = process.argv.slice(2);
http.createServer((_req, res) => res.end(`${name}\n`)).listen(Number(port), '0.0.0.0');
