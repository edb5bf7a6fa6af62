/**
 * Galera with scaling and schedules, on real MariaDB Galera nodes in network namespaces: the
 * database backup schedule (mariabackup on a Synced backup node, sealed on the hub, rotated,
 * listed) and its restore into a fresh node, row counts compared; and the cluster bound to the
 * local Auto Scaling endpoint, whose "instances" are the three database nodes (their agents report
 * the instance ids): a scale-in that keeps the majority drains the node, stops it so it leaves the
 * group and only then terminates it; one that would break the majority is refused with the
 * figures, in the decision log too. One bed, the tests in order.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation, ScalingView } from '../protocol/types.js';
import { AutoScalingEndpoint } from './aws-autoscaling-endpoint.js';
import { GaleraTestbed } from './galera-testbed.js';
import { clusterctl, waitFor } from './harness.js';

const REGION = 'eu-west-1';
const CREDS = { accessKeyId: 'AKIAUCGALERASCALE001', secretAccessKey: 'galera-scale-secret-00000000000000000000' };
const GROUP = 'db-nodes';
const MARKER = 'uc-row-marker-7f3a';

const bed = new GaleraTestbed({ spare: ['db4'], instanceIds: true });
const nodeOf = (instanceId: string) => instanceId.replace(/^i-0*/, '');
/** What the endpoint saw when the hub terminated an instance. */
const terminated: { instanceId: string; at: number; mariadbdRunning: boolean; clusterSizeOnDb1: number }[] = [];
const aws = new AutoScalingEndpoint({
  region: REGION, credentials: [CREDS],
  terminate: async (_g, inst) => {
    const name = nodeOf(inst.instanceId);
    const at = Date.now();
    const mariadbdRunning = bed.mariadbdPid(name) !== null;
    const size = await bed.sql('db1', "SHOW STATUS LIKE 'wsrep_cluster_size'").catch((e: Error) => e.message);
    terminated.push({ instanceId: inst.instanceId, at, mariadbdRunning, clusterSizeOnDb1: Number(size.split('\t')[1]) });
    bed.stopAgent(name);
  },
});

const count = async (node: string) => Number(await bed.sql(node, 'SELECT COUNT(*) FROM load.rows'));
async function addRows(n: number): Promise<void> {
  await bed.sql('db1', `INSERT INTO load.rows (v) SELECT '${MARKER}' FROM load.seq_1_to_${n}`);
}
const op = async (id: string) => (await bed.hub.api('GET', `/api/operations/${id}`)).body as Operation;
const scaling = async () => (await bed.hub.api('GET', '/api/clusters/db/scaling')).body as ScalingView;
const audit = () => JSON.parse(readFileSync(join(bed.hub.dataDir, 'state.json'), 'utf8')).audit as { user: string; action: string; target: string; detail?: string }[];
const backupDir = () => join(bed.hub.dataDir, 'backups', 'galera', 'db');

beforeAll(async () => {
  await aws.start();
  await bed.up({
    UC_AWS_ENDPOINT: aws.url, AWS_ACCESS_KEY_ID: CREDS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  });
  await bed.planAndApply();
  await bed.allSynced();
  await bed.loadDatabase();
  await bed.sql('db1', 'CREATE TABLE load.rows (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64))');
}, 300_000);

afterAll(async () => {
  await bed.down();
  await aws.stop();
}, 90_000);

describe('Galera database backups', () => {
  let latest = '';
  let rowsInLatest = 0;

  it('backs up on a Synced backup node (not the writer), sealed on the hub with the backup key, keeping the newest N', async () => {
    await addRows(500);
    expect((await bed.hub.api('PATCH', '/api/schedules/database-backup', { enabled: true, keep: 1 })).status).toBe(200);
    const first = await bed.hub.api('POST', '/api/schedules/database-backup/run');
    expect(first.body, bed.logs()).toMatchObject({ result: 'ok', reason: 'manual', by: 'admin' });
    // db1 writes; db3 is the last backup node in writer order.
    expect(first.body.detail).toMatch(/^db: \d{8}T\d{9}Z\.ucbackup from db3 \(\d+ bytes, AES-256-GCM, position [0-9a-f-]{36}:\d+\)$/);
    const [firstFile] = readdirSync(backupDir());
    await addRows(250);
    rowsInLatest = await count('db1');
    const second = await bed.hub.api('POST', '/api/schedules/database-backup/run');
    expect(second.body).toMatchObject({ result: 'ok', detail: expect.stringMatching(new RegExp(`; removed ${firstFile!.replace('.', '\\.')}$`)) });
    // Rows written after the backup are not in it (the restore below counts).
    await addRows(100);

    const files = readdirSync(backupDir());
    expect(files).toHaveLength(1);
    expect(files[0]).not.toBe(firstFile);
    latest = files[0]!;
    const path = join(backupDir(), latest);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const sealed = readFileSync(path);
    const header = JSON.parse(sealed.subarray(0, sealed.indexOf(10)).toString());
    expect(header).toMatchObject({ format: 'unlimited-cluster-backup', version: 2, cipher: 'aes-256-gcm', content: 'galera', meta: { cluster: 'db', node: 'db3' } });
    expect(sealed.includes(Buffer.from(MARKER))).toBe(false);
    expect(statSync(join(bed.hub.dataDir, 'backup.key')).mode & 0o777).toBe(0o600);

    // By hand: clusterctl decrypt (the key file alone), then mbstream -x and mariabackup --prepare, as the README says.
    const plain = join(bed.dir, 'db.mbstream.gz');
    const opened = await clusterctl(bed.hub, ['decrypt', path, plain, '--key', join(bed.hub.dataDir, 'backup.key')]);
    expect([opened.code, opened.stderr]).toEqual([0, '']);
    const unpacked = join(bed.dir, 'by-hand');
    const sh = (script: string) => execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(sh(`mkdir -p ${unpacked} && gunzip -c ${plain} | mbstream -x -C ${unpacked} && mariabackup --prepare --target-dir=${unpacked} 2>&1 | tail -1`)).toMatch(/completed OK!/);
    expect(readFileSync(join(unpacked, 'xtrabackup_galera_info'), 'utf8')).toMatch(/^[0-9a-f-]{36}:\d+/);
    expect(statSync(join(unpacked, 'load', 'rows.ibd')).size).toBeGreaterThan(0);

    const list = await bed.hub.api('GET', '/api/clusters/db/galera/backups');
    expect(list.body).toEqual([{ name: latest, cluster: 'db', node: 'db3', createdAt: header.createdAt, bytes: sealed.length }]);
    const actions = audit().map((a) => a.action);
    for (const a of ['galera.backup.start', 'galera.backup.done', 'schedule.ok']) expect(actions).toContain(a);
  });

  it('restores the backup into a fresh node (prepare, copy-back, bootstrap): the rows it held, no more', async () => {
    await bed.must('POST', '/api/clusters', { name: 'restored', servers: ['db4'], galera: {} }, 201);
    const started = await bed.must('POST', '/api/clusters/restored/galera/restore', { from: 'db', backup: latest, serverId: 'db4' }, 202);
    const done = await bed.done(started);
    expect(done.steps.map((s: { action: string }) => s.action)).toEqual(['restore-check', 'configure', 'restore-data', 'bootstrap', 'plan-rest']);
    const position = done.steps[2].evidence.position as string;
    expect(position).toMatch(/^[0-9a-f-]{36}:\d+$/);
    expect(await count('db4')).toBe(rowsInLatest);
    expect(await count('db1')).toBe(rowsInLatest + 100);
    // The restored node carries on the history of the cluster it came from.
    const uuid = (await bed.sql('db4', "SHOW STATUS LIKE 'wsrep_cluster_state_uuid'")).split('\t')[1];
    expect(`${uuid}:`).toBe(position.replace(/\d+$/, ''));
    await waitFor('the restored cluster Synced', async () => (await bed.hub.api('GET', '/api/clusters/restored/galera')).body.summary === 'Primary 1/1');
    // A restore goes only into a fresh, stopped node.
    const again = await bed.must('POST', '/api/clusters/restored/galera/restore', { from: 'db', backup: latest, serverId: 'db4' }, 202);
    const refused = await bed.finished(again.id);
    expect(refused).toMatchObject({ state: 'failed', error: expect.stringMatching(/db4 running: a restore starts restored's history again from the backup, so every node must be stopped first/) });
    expect(await count('db4')).toBe(rowsInLatest);
  });
});

describe('scaling in a Galera cluster bound to an Auto Scaling group', () => {
  it('binds the cluster to a group whose instances are the database nodes', async () => {
    await aws.createGroup({ name: GROUP, min: 1, max: 3, desired: 3, instances: ['db1', 'db2', 'db3'].map(GaleraTestbed.instanceId) });
    expect((await bed.hub.api('POST', '/api/clusters/db/scaling/binding', { groupName: GROUP, region: REGION })).status).toBe(200);
    const view = await waitFor('the instances matched to their agents', async () => {
      const v = await scaling();
      return v.group?.instances.every((i) => i.serverId) ? v : null;
    });
    expect(view.group!.instances.map((i) => i.serverId).sort()).toEqual(['db1', 'db2', 'db3']);
  });

  it('a scale-in that keeps the majority drains the node, stops it so it leaves the group, then terminates it; writes go on', async () => {
    const load = bed.startLoad(bed.net.node('lb1').address);
    let done: Operation;
    try {
      await waitFor('the load to commit', () => /running/.test(load.output()), 30_000);
      // db3 by hand: the policy's pick (the newest agent) depends on the order the agents enrolled in.
      const started = await bed.hub.api('POST', '/api/clusters/db/scaling/scale-in', { serverId: 'db3' });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      done = await waitFor('the scale-in to end', async () => { const o = await op(started.body.id); return o.state !== 'running' ? o : null; }, 240_000);
    } finally {
      const r = await load.stop();
      expect(r.failed, r.errors.join('\n')).toBe(0);
      expect(await bed.lost('db1', r.committed)).toEqual([]);
    }
    expect(done.state, `${JSON.stringify(done, null, 1)}\n${bed.logs()}`).toBe('done');
    // Taken out of the database backend, stopped cleanly (it left the group), then terminated.
    expect(done.steps.map((s) => `${s.action} ${s.state}`)).toEqual(['check done', 'galera-drain done', 'galera-leave done', 'terminate done', 'forget done', 'galera-peers done']);
    expect(done.steps[0]!.serverId).toBe('db3');
    expect(done.steps[2]!.evidence).toMatchObject({ clusterSizeBefore: 3, clusterSizeOnOthers: { db1: 2, db2: 2 } });
    await waitFor('the endpoint to record the termination', () => terminated.length === 1);
    expect(terminated[0]).toMatchObject({ instanceId: GaleraTestbed.instanceId('db3'), mariadbdRunning: false, clusterSizeOnDb1: 2 });
    expect(terminated[0]!.at).toBeGreaterThanOrEqual(Date.parse(done.steps[2]!.finishedAt!));
    const call = aws.callsOf('TerminateInstanceInAutoScalingGroup', true).at(-1)!;
    expect(call.params).toMatchObject({ InstanceId: GaleraTestbed.instanceId('db3'), ShouldDecrementDesiredCapacity: 'true' });
    expect(aws.groups.get(GROUP)!.desired).toBe(2);
    // It left the group as a clean shutdown does: its grastate.dat holds its real position.
    expect(readFileSync(join(bed.nodeDir('db3'), 'data', 'grastate.dat'), 'utf8')).toMatch(/^seqno:\s+\d+$/m);
    for (const n of ['db1', 'db2']) expect(await bed.sql(n, "SHOW STATUS LIKE 'wsrep_cluster_size'")).toBe('wsrep_cluster_size\t2');
    // Gone from the model, the peer lists and the load balancer.
    expect((await bed.hub.api('GET', '/api/servers/db3')).status).toBe(404);
    const db3Address = bed.net.node('db3').address;
    for (const n of ['db1', 'db2']) expect(readFileSync(join(bed.nodeDir(n), 'galera.cnf'), 'utf8')).not.toContain(db3Address);
    await waitFor('db3 gone from the HAProxy backend', () => !/server db3 /.test(readFileSync(join(bed.nodeDir('lb1'), 'haproxy.cfg'), 'utf8')));
    expect((await bed.view()).summary).toBe('Primary 2/2');
    const d = (await scaling()).decisions.find((x) => x.operationId === done.id);
    expect(d).toMatchObject({ source: 'manual', action: 'scale-in', from: 3, to: 2, outcome: 'done', by: 'admin', reason: 'admin asked for a scale-in of db3' });
  });

  it('refuses a scale-in that would break the majority, with the figures, in the decision log too; nothing changes', async () => {
    const calls = aws.callsOf('TerminateInstanceInAutoScalingGroup').length;
    const r = await bed.hub.api('POST', '/api/clusters/db/scaling/scale-in', {});
    expect(r.status).toBe(409);
    const why = /db(1|2) is a Galera node of db, and without db\1, only 1 of 2 nodes would be Synced \(db[12]\): the cluster would lose its majority: refused/;
    expect(r.body.error.message).toMatch(/^scale-in of db refused: no instance may leave now \(db[12]: skipped: .*; db[12]: skipped: .*\)$/);
    expect(r.body.error.message).toMatch(why);
    const d = (await scaling()).decisions.find((x) => x.source === 'manual' && x.outcome === 'refused');
    expect(d).toMatchObject({ action: 'scale-in', from: 2, to: 1, by: 'admin', error: r.body.error.message });
    expect((d!.figures as { candidates: { serverId: string; verdict: string }[] }).candidates.map((c) => c.serverId).sort()).toEqual(['db1', 'db2']);
    expect(audit().some((a) => a.action === 'scale.scale-in' && /refused/.test(a.target) && why.test(a.detail ?? ''))).toBe(true);
    expect(aws.callsOf('TerminateInstanceInAutoScalingGroup').length).toBe(calls);
    expect(aws.groups.get(GROUP)!.desired).toBe(2);
    expect((await bed.view()).summary).toBe('Primary 2/2');
  });
});
