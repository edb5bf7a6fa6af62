/**
 * A bounded write load for Galera tests: `node galera-load.mjs HOST PORT [--concurrency N]
 * [--max-ms MS] [--rate-ms MS] --out FILE` (password in GALERA_LOAD_PASSWORD; user and database `load`).
 * Each worker keeps one connection and inserts rows with ids it makes itself, one autocommit
 * transaction each. A transaction whose connection drops is retried once on a new connection (a
 * duplicate key then means the first attempt had committed); one that fails again counts as
 * failed. Until SIGTERM or max-ms, then prints one JSON line: ok, failed, retried, the first
 * errors, and every committed id (acknowledged by the server) so a test can check none was lost,
 * to FILE (there may be tens of thousands of ids), then `done` on stdout.
 */
import { writeFileSync } from 'node:fs';
import mariadb from 'mariadb';

const [host, port = '3306', ...rest] = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = rest.indexOf(name);
  return i >= 0 ? Number(rest[i + 1]) : dflt;
};
const concurrency = opt('--concurrency', 3);
const maxMs = opt('--max-ms', 120_000);
const rateMs = opt('--rate-ms', 5);
const out = rest[rest.indexOf('--out') + 1];
if (!rest.includes('--out') || !out) throw new Error('give --out FILE');
const password = process.env.GALERA_LOAD_PASSWORD ?? '';
const result = { ok: 0, failed: 0, retried: 0, errors: [], committed: [] };
let stop = false;
const end = Date.now() + maxMs;
const tag = Date.now().toString(36);

async function connect() {
  const c = await mariadb.createConnection({ host, port: Number(port), user: 'load', password, database: 'load', connectTimeout: 5000, socketTimeout: 20_000 });
  // A server that goes away between two queries closes the socket: the next query says so.
  c.on('error', () => {});
  return c;
}
/** A dropped or unusable connection: worth one retry on a new one. */
const dropped = (e) => e?.fatal || [1047, 1053, 1927, 2006, 2013, 45001, 45009, 45012].includes(e?.errno) || /ECONNRESET|ECONNREFUSED|socket|closed|timeout/i.test(e?.message ?? '');
const note = (w, msg) => { if (result.errors.length < 20) result.errors.push(`${new Date().toISOString()} w${w}: ${msg}`); };

async function ensureTable() {
  for (let i = 0; i < 50; i++) {
    try {
      const c = await connect();
      await c.query('CREATE TABLE IF NOT EXISTS t (id VARCHAR(64) PRIMARY KEY, w INT NOT NULL, s INT NOT NULL)');
      await c.end();
      return;
    } catch (e) {
      note('-', `table: ${e.message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error('cannot create the table');
}

async function worker(w) {
  let conn;
  for (let s = 0; !stop && Date.now() < end; s++) {
    const id = `${tag}-${w}-${s}`;
    let done = false;
    for (let attempt = 0; attempt < 2 && !done; attempt++) {
      try {
        conn ??= await connect();
        await conn.query('INSERT INTO t (id, w, s) VALUES (?, ?, ?)', [id, w, s]);
        done = true;
      } catch (e) {
        if (e?.errno === 1062 && attempt > 0) { done = true; break; } // the first attempt had committed
        note(w, `${id} attempt ${attempt + 1}: ${e.errno ?? ''} ${e.message}`);
        conn?.destroy();
        conn = undefined;
        if (!dropped(e)) break;
        if (attempt === 0) result.retried++;
      }
    }
    if (done) {
      result.ok++;
      result.committed.push(id);
    } else result.failed++;
    // After a failure, a real client waits a little before its next transaction.
    await new Promise((r) => setTimeout(r, done ? rateMs : 100));
  }
  conn?.destroy();
}

process.on('SIGTERM', () => (stop = true));
await ensureTable();
process.stderr.write('load: running\n');
await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
writeFileSync(out, JSON.stringify(result));
process.stdout.write('done\n');
process.exit(0);
