/**
 * Waits for a writable cluster: `node galera-probe.mjs HOST PORT [--max-ms MS]` (password in
 * GALERA_LOAD_PASSWORD; user and database `load`, table `t`) tries one INSERT every 100 ms on a
 * new connection until one commits, then prints the time it did (ms since the epoch); exits 1 at
 * max-ms (default 120 s).
 */
import mariadb from 'mariadb';

const [host, port = '3306', ...rest] = process.argv.slice(2);
const i = rest.indexOf('--max-ms');
const end = Date.now() + (i >= 0 ? Number(rest[i + 1]) : 120_000);
for (let n = 0; Date.now() < end; n++) {
  let c;
  try {
    c = await mariadb.createConnection({ host, port: Number(port), user: 'load', password: process.env.GALERA_LOAD_PASSWORD ?? '', database: 'load', connectTimeout: 1000 });
    c.on('error', () => {});
    await c.query('INSERT INTO t (id, w, s) VALUES (?, -1, ?)', [`probe-${Date.now()}-${n}`, n]);
    process.stdout.write(`${Date.now()}\n`);
    c.destroy();
    process.exit(0);
  } catch {
    c?.destroy();
    await new Promise((r) => setTimeout(r, 100));
  }
}
process.exit(1);
