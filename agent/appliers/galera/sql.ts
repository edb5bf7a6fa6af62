/**
 * The few statements the agent runs for the hub, as text for the mariadb client's stdin (never
 * its command line, where other users could read a password in `ps`). Names are plain
 * identifiers (the schema allows [A-Za-z0-9_] only) and are backquoted anyway; strings are quoted
 * with every backslash and quote escaped. Galera replicates CREATE USER, GRANT and DDL to every
 * node, so each statement runs once, on one node.
 */
import type { GaleraJob, GaleraSecrets } from '../../protocol/types.js';
import { MONITOR_USER, SST_USER } from './render.js';

export const quoteString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
export const quoteName = (s: string) => `\`${s.replace(/`/g, '``')}\``;

/** The SST user (backups for mariabackup SST) and the monitor user (status only), as the bootstrap node creates them. */
export function usersSql(s: GaleraSecrets): string {
  return [
    `CREATE USER IF NOT EXISTS ${quoteString(SST_USER)}@'localhost' IDENTIFIED BY ${quoteString(s.sstPassword)};`,
    `ALTER USER ${quoteString(SST_USER)}@'localhost' IDENTIFIED BY ${quoteString(s.sstPassword)};`,
    `GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.* TO ${quoteString(SST_USER)}@'localhost';`,
    `CREATE USER IF NOT EXISTS ${quoteString(MONITOR_USER)}@'localhost' IDENTIFIED BY ${quoteString(s.monitorPassword)};`,
    `ALTER USER ${quoteString(MONITOR_USER)}@'localhost' IDENTIFIED BY ${quoteString(s.monitorPassword)};`,
    `GRANT USAGE ON *.* TO ${quoteString(MONITOR_USER)}@'localhost';`,
  ].join('\n');
}

type SqlOp = NonNullable<GaleraJob['sql']>;

/** A database name as GRANT and REVOKE take it (and mysql.db keeps it): `_` and `%` are wildcards there, so escaped: the grant covers that database only. */
const literalPattern = (db: string) => db.replace(/[_%]/g, '\\$&');
export const grantName = (db: string) => quoteName(literalPattern(db));

/** What was there before a create or drop: the database, the user, the user's grant on the database. */
export interface SqlFacts { database: boolean; user: boolean; grant: boolean }

/** The query for SqlFacts (one row, three counts), or null when the op does not need them. */
export function factsSql(op: SqlOp): string | null {
  if (!op.database || !op.user || !(op.op === 'create-database' || (op.op === 'drop-database' && op.sharedUser))) return null;
  const [db, user, host] = [quoteString(op.database), quoteString(op.user), quoteString(op.host ?? '%')];
  return `SELECT (SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${db}), ` +
    `(SELECT COUNT(*) FROM mysql.user WHERE User = ${user} AND Host = ${host}), ` +
    `(SELECT COUNT(*) FROM mysql.db WHERE Db = ${quoteString(literalPattern(op.database))} AND User = ${user} AND Host = ${host});`;
}

export function parseFacts(out: string): SqlFacts {
  const m = /^(\d+)\t(\d+)\t(\d+)$/m.exec(out);
  if (!m) throw new Error(`unexpected answer: ${out.slice(0, 200)}`);
  return { database: m[1] !== '0', user: m[2] !== '0', grant: m[3] !== '0' };
}

/** The statements of one `galera-sql` job (given what was there before, for the ops that ask); throws on a job that lacks what its op needs. */
export function opSql(op: SqlOp, facts?: SqlFacts): string {
  const host = quoteString(op.host ?? '%');
  const need = (...keys: (keyof SqlOp)[]) => {
    const missing = keys.filter((k) => !op[k]);
    if (missing.length) throw new Error(`${op.op} needs ${keys.join(', ')}`);
  };
  const user = () => `${quoteString(op.user!)}@${host}`;
  switch (op.op) {
    case 'create-database': {
      need('database', 'user', 'password');
      return [
        `CREATE DATABASE IF NOT EXISTS ${quoteName(op.database!)};`,
        `CREATE USER IF NOT EXISTS ${user()} IDENTIFIED BY ${quoteString(op.password!)};`,
        // A user of its own gets the password it was given; a shared one keeps its owner's.
        ...(op.sharedUser ? [] : [`ALTER USER ${user()} IDENTIFIED BY ${quoteString(op.password!)};`]),
        `GRANT ALL PRIVILEGES ON ${grantName(op.database!)}.* TO ${user()};`,
      ].join('\n');
    }
    case 'drop-database': {
      need('database');
      const userSql = !op.user ? [] : !op.sharedUser ? [`DROP USER IF EXISTS ${user()};`]
        : facts?.grant ? [`REVOKE ALL PRIVILEGES ON ${grantName(op.database!)}.* FROM ${user()};`] : [];
      return [`DROP DATABASE IF EXISTS ${quoteName(op.database!)};`, ...userSql].join('\n');
    }
    case 'drop-user':
      need('user');
      return `DROP USER IF EXISTS ${user()};`;
    case 'lock-user':
      need('user');
      return `ALTER USER ${user()} ACCOUNT LOCK;`;
    case 'unlock-user':
      need('user');
      return `ALTER USER ${user()} ACCOUNT UNLOCK;`;
    case 'rename-user':
      need('user', 'newUser');
      return `RENAME USER ${user()} TO ${quoteString(op.newUser!)}@${host};`;
    case 'set-password':
      need('user', 'password');
      return `ALTER USER ${user()} IDENTIFIED BY ${quoteString(op.password!)};`;
    case 'promote':
      // A non-Primary survivor becomes a Primary component of its own (only ever on a user's confirmation).
      return "SET GLOBAL wsrep_provider_options='pc.bootstrap=YES';";
  }
}
