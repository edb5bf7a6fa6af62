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

/** The statements of one `galera-sql` job; throws on a job that lacks what its op needs. */
export function opSql(op: SqlOp): string {
  const host = quoteString(op.host ?? '%');
  switch (op.op) {
    case 'create-database': {
      if (!op.database || !op.user || !op.password) throw new Error('create-database needs database, user and password');
      return [
        `CREATE DATABASE IF NOT EXISTS ${quoteName(op.database)};`,
        `CREATE USER IF NOT EXISTS ${quoteString(op.user)}@${host} IDENTIFIED BY ${quoteString(op.password)};`,
        `ALTER USER ${quoteString(op.user)}@${host} IDENTIFIED BY ${quoteString(op.password)};`,
        `GRANT ALL PRIVILEGES ON ${quoteName(op.database)}.* TO ${quoteString(op.user)}@${host};`,
      ].join('\n');
    }
    case 'drop-database': {
      if (!op.database) throw new Error('drop-database needs database');
      return [`DROP DATABASE IF EXISTS ${quoteName(op.database)};`, ...(op.user ? [`DROP USER IF EXISTS ${quoteString(op.user)}@${host};`] : [])].join('\n');
    }
    case 'promote':
      // A non-Primary survivor becomes a Primary component of its own (only ever on a user's confirmation).
      return "SET GLOBAL wsrep_provider_options='pc.bootstrap=YES';";
  }
}
