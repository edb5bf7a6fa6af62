/**
 * A bounded HTTP load for zero-drop checks: `node load-client.mjs URL[,URL…] [--concurrency N]
 * [--max-ms MS] [--host NAME]` (`--host`: the Host header of every request, for host rules).
 * Keep-alive requests round-robin over the URLs until SIGTERM or max-ms; the first time a "URL
 * body" pair is seen it prints `first URL BODY`. At the end it
 * prints one JSON line: ok, failed (every error or non-200 counts), the first errors, requests
 * per "URL body" pair and when each pair was first seen (ms since the epoch).
 */
import http from 'node:http';

const [urls = '', ...rest] = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = rest.indexOf(name);
  return i >= 0 ? Number(rest[i + 1]) : dflt;
};
const hostAt = rest.indexOf('--host');
const headers = hostAt >= 0 ? { host: rest[hostAt + 1] } : {};
const targets = urls.split(',').filter(Boolean);
const concurrency = opt('--concurrency', 4);
const maxMs = opt('--max-ms', 120_000);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency * targets.length });
const result = { ok: 0, failed: 0, errors: [], seen: {}, firstSeen: {} };
let stop = false;
process.on('SIGTERM', () => (stop = true));
const end = Date.now() + maxMs;

function once(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, timeout: 5000, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(res.statusCode === 200 ? { body: body.trim() } : { error: `HTTP ${res.statusCode}` }));
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ error: `${e.code ?? ''} ${e.message}` }));
  });
}

async function worker(n) {
  for (let i = n; !stop && Date.now() < end; i++) {
    const url = targets[i % targets.length];
    const r = await once(url);
    if (r.error) {
      result.failed++;
      if (result.errors.length < 10) result.errors.push(`${new Date().toISOString()} ${url}: ${r.error}`);
    } else {
      result.ok++;
      const key = `${url} ${r.body}`;
      result.seen[key] = (result.seen[key] ?? 0) + 1;
      if (!(key in result.firstSeen)) {
        result.firstSeen[key] = Date.now();
        process.stdout.write(`first ${key}\n`);
      }
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}

await Promise.all(Array.from({ length: concurrency }, (_, n) => worker(n)));
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
