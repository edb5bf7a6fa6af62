import { describe, expect, it } from 'vitest';
import type { GaleraDesired } from '../../protocol/types.js';
import { galeraPaths } from '../paths.js';
import { needsRestart, renderGalera, renderMonitor, renderSecrets, withoutInclude } from './render.js';
import { factsSql, opSql, parseFacts, quoteString, usersSql } from './sql.js';

const paths = galeraPaths({ UC_GALERA_DIR: '/t/db1' });
const desired: GaleraDesired = {
  cluster: 'db', clusterName: 'db', nodeName: 'db1', nodeAddress: '10.0.0.11', peers: ['10.0.0.11', '10.0.0.12', '10.0.0.13'],
  sstMethod: 'mariabackup', gcacheSize: '128M', flushLogAtTrxCommit: 1, slaveThreads: 2, options: { max_connections: '500', innodb_buffer_pool_size: '64M' },
};

describe('the Galera fragment', () => {
  it('holds what every node needs, its own paths and the sorted extra options, and includes the secrets file', () => {
    const text = renderGalera(desired, paths);
    expect(text.split('\n').slice(0, 2)).toEqual(['# Managed by Unlimited Cluster (cluster db): edits here are replaced by the next apply.', '[mysqld]']);
    for (const line of ['user=mysql', 'datadir=/t/db1/data', 'socket=/t/db1/run/mysqld.sock', 'binlog_format=ROW', 'innodb_autoinc_lock_mode=2',
      'innodb_flush_log_at_trx_commit=1', 'wsrep_cluster_address=gcomm://10.0.0.11,10.0.0.12,10.0.0.13', 'wsrep_sst_method=mariabackup',
      'wsrep_provider_options="gcache.size=128M"', 'wsrep_status_file=/t/db1/run/wsrep-status.json']) expect(text).toContain(`\n${line}\n`);
    expect(text).toMatch(/innodb_buffer_pool_size=64M\nmax_connections=500\n!include \/t\/db1\/secrets.cnf\n$/);
    expect(renderGalera(desired, paths)).toBe(text);
    expect(withoutInclude(text)).not.toContain('!include');
  });

  it('needs a restart for any change but the peer list', () => {
    const text = renderGalera(desired, paths);
    expect(needsRestart(text, renderGalera({ ...desired, peers: ['10.0.0.11', '10.0.0.12'] }, paths))).toBe(false);
    expect(needsRestart(text, renderGalera({ ...desired, slaveThreads: 4 }, paths))).toBe(true);
    expect(needsRestart('', text)).toBe(true);
  });

  it('keeps the passwords in their own files and quotes every string it sends to MariaDB', () => {
    const secrets = { sstPassword: 'a'.repeat(20), monitorPassword: 'b'.repeat(20) };
    expect(renderSecrets(secrets)).toContain(`wsrep_sst_auth=uc_sst:${'a'.repeat(20)}\n`);
    expect(renderMonitor(secrets, paths)).toContain('user=uc_monitor\npassword=bbbbbbbbbbbbbbbbbbbb\nsocket=/t/db1/run/mysqld.sock\n');
    expect(usersSql(secrets)).toContain("GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.* TO 'uc_sst'@'localhost';");
    expect(quoteString("it's \\ fine")).toBe("'it\\'s \\\\ fine'");
    expect(opSql({ op: 'create-database', database: 'shop', user: 'shop', password: "p'w" })).toContain("IDENTIFIED BY 'p\\'w'");
    expect(opSql({ op: 'drop-database', database: 'shop', user: 'shop', host: '10.0.0.%' })).toBe("DROP DATABASE IF EXISTS `shop`;\nDROP USER IF EXISTS 'shop'@'10.0.0.%';");
    expect(() => opSql({ op: 'create-database', database: 'x' })).toThrow(/needs/);
  });

  it('grants a database by its exact name (no wildcards), and keeps a shared user\'s password and existence', () => {
    expect(opSql({ op: 'create-database', database: 'shop_db', user: 'shop', password: 'pw' }).split('\n')).toEqual([
      'CREATE DATABASE IF NOT EXISTS `shop_db`;', "CREATE USER IF NOT EXISTS 'shop'@'%' IDENTIFIED BY 'pw';", "ALTER USER 'shop'@'%' IDENTIFIED BY 'pw';",
      "GRANT ALL PRIVILEGES ON `shop\\_db`.* TO 'shop'@'%';",
    ]);
    expect(opSql({ op: 'create-database', database: 'blog', user: 'shop', password: 'pw', sharedUser: true })).not.toContain('ALTER USER');
    expect(opSql({ op: 'drop-database', database: 'blog', user: 'shop', sharedUser: true }, { database: true, user: true, grant: true }))
      .toBe("DROP DATABASE IF EXISTS `blog`;\nREVOKE ALL PRIVILEGES ON `blog`.* FROM 'shop'@'%';");
    expect(opSql({ op: 'drop-database', database: 'blog', user: 'shop', sharedUser: true }, { database: true, user: true, grant: false })).toBe('DROP DATABASE IF EXISTS `blog`;');
    expect(factsSql({ op: 'create-database', database: 'a_b', user: 'u', password: 'p' })).toContain("Db = 'a\\\\_b'");
    expect(factsSql({ op: 'drop-database', database: 'a', user: 'u' })).toBeNull();
    expect(parseFacts('1\t0\t1')).toEqual({ database: true, user: false, grant: true });
    expect(() => parseFacts('ERROR')).toThrow(/unexpected answer/);
  });

  it('locks, unlocks, renames a user and sets its password (Virtualmin\'s disable, enable, rename, password change)', () => {
    expect(opSql({ op: 'drop-user', user: 'shop' })).toBe("DROP USER IF EXISTS 'shop'@'%';");
    expect(opSql({ op: 'lock-user', user: 'shop' })).toBe("ALTER USER 'shop'@'%' ACCOUNT LOCK;");
    expect(opSql({ op: 'unlock-user', user: 'shop' })).toBe("ALTER USER 'shop'@'%' ACCOUNT UNLOCK;");
    expect(opSql({ op: 'rename-user', user: 'shop', newUser: 'store' })).toBe("RENAME USER 'shop'@'%' TO 'store'@'%';");
    expect(opSql({ op: 'set-password', user: 'shop', password: "new'pw" })).toBe("ALTER USER 'shop'@'%' IDENTIFIED BY 'new\\'pw';");
    expect(() => opSql({ op: 'rename-user', user: 'shop' })).toThrow('rename-user needs user, newUser');
  });
});
