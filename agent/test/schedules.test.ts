/**
 * Schedules with the real built hub: the encrypted state backup (AES-256-GCM under a root-only
 * key, rotated) restored by the real clusterctl, which decrypts it; and a run missed while the
 * hub was down, reported and caught up once when the hub starts again.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Hub, clusterctl, freePort, startHub, waitFor } from './harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'uc-sched-it-'));
let hub: Hub;
let ports: Record<string, string>;

const ctl = (args: string[], env: Record<string, string> = {}) => clusterctl(hub, args, { env });

const ids = async () => ((await hub.api('GET', '/api/servers')).body as { id: string }[]).map((s) => s.id).sort();
const job = async (id: string) => ((await hub.api('GET', '/api/schedules')).body as { id: string }[]).find((j) => j.id === id) as Record<string, any>;

beforeAll(async () => {
  ports = { HUB_PORT: String(await freePort()), AGENT_PORT: String(await freePort()) };
  hub = await startHub({ dataDir, env: ports });
});
afterAll(async () => {
  await hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('schedules', () => {
  it('lists every job with its cron expression, time zone and next run; the database backup is off until turned on', async () => {
    const list = (await hub.api('GET', '/api/schedules')).body as Record<string, any>[];
    expect(list.map((j) => j.id).sort()).toEqual(['database-backup', 'health-sweep', 'state-backup']);
    expect(await job('state-backup')).toMatchObject({ kind: 'state-backup', cron: '0 3 * * *', timeZone: 'UTC', enabled: true, keep: 7, running: false });
    expect(Date.parse((await job('state-backup')).nextRunAt)).toBeGreaterThan(Date.now());
    expect(await job('database-backup')).toMatchObject({ kind: 'database-backup', enabled: false, keep: 7, nextRunAt: null });
    const enable = await hub.api('PATCH', '/api/schedules/database-backup', { enabled: true, keep: 3 });
    expect(enable.status).toBe(200);
    expect(enable.body).toMatchObject({ enabled: true, keep: 3 });
    expect(Date.parse(enable.body.nextRunAt)).toBeGreaterThan(Date.now());
    // Without a Galera cluster a run has nothing to do (agent/test/galera-scale.test.ts backs one up).
    expect((await hub.api('POST', '/api/schedules/database-backup/run')).body).toMatchObject({ result: 'ok', detail: 'no Galera cluster to back up' });
    expect((await hub.api('PATCH', '/api/schedules/database-backup', { enabled: false })).status).toBe(200);
    const bad = await hub.api('PATCH', '/api/schedules/state-backup', { cron: '0 3 * *', timeZone: 'Nowhere/Land' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/not a valid cron expression.*'Nowhere\/Land' is not a time zone.*nothing was changed/);
    expect((await job('state-backup')).cron).toBe('0 3 * * *');
  });

  it('backs the state up encrypted, keeps N, and clusterctl restore decrypts it', async () => {
    expect((await hub.api('PATCH', '/api/schedules/state-backup', { keep: 2 })).status).toBe(200);
    expect((await hub.api('POST', '/api/servers', { id: 'web1', name: 'web1', type: 'web', address: '10.0.0.1' })).status).toBe(201);
    const run = await hub.api('POST', '/api/schedules/state-backup/run');
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ result: 'ok', reason: 'manual', by: 'admin', detail: expect.stringMatching(/AES-256-GCM/) });
    const dir = join(dataDir, 'backups');
    const [file] = readdirSync(dir);
    const path = join(dir, file!);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'backup.key')).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toMatch(/web1|passwordHash|scrypt/);
    expect(JSON.parse(text)).toMatchObject({ format: 'unlimited-cluster-backup', cipher: 'aes-256-gcm' });
    // clusterctl decrypt opens it without the hub (the key file alone).
    const plain = join(dataDir, 'plain-state.json');
    const opened = await ctl(['decrypt', path, plain, '--key', join(dataDir, 'backup.key')], { CLUSTERCTL_HUB: 'http://127.0.0.1:1' });
    expect([opened.code, opened.stderr]).toEqual([0, '']);
    expect(statSync(plain).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(plain, 'utf8'))).toMatchObject({ format: 'unlimited-cluster-state', servers: [expect.objectContaining({ id: 'web1' })] });

    // The state moves on; the backup brings it back.
    expect((await hub.api('DELETE', '/api/servers/web1')).status).toBe(204);
    expect((await hub.api('POST', '/api/servers', { id: 'web2', name: 'web2', type: 'web', address: '10.0.0.2' })).status).toBe(201);
    const otherKey = join(dataDir, 'other.key');
    writeFileSync(otherKey, `${Buffer.alloc(32, 7).toString('base64')}\n`, { mode: 0o600 });
    const wrong = await ctl(['restore', path, '--yes', '--key', otherKey]);
    expect([wrong.code, wrong.stderr.trim()]).toEqual([1, expect.stringMatching(/^clusterctl: cannot decrypt .*: it was sealed with another key .*nothing was sent to the hub$/)]);
    const altered = join(dataDir, 'altered.ucbackup');
    const doc = JSON.parse(text);
    writeFileSync(altered, JSON.stringify({ ...doc, data: Buffer.from(Buffer.from(doc.data, 'base64').map((b, i) => (i === 5 ? b ^ 1 : b))).toString('base64') }));
    const damaged = await ctl(['restore', altered, '--yes', '--key', join(dataDir, 'backup.key')]);
    expect([damaged.code, damaged.stderr]).toEqual([1, expect.stringMatching(/damaged or was altered/)]);
    expect(await ids()).toEqual(['web2']);
    // The key by default: $DATA_DIR/backup.key.
    const restored = await ctl(['restore', path, '--yes'], { DATA_DIR: dataDir });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(await ids()).toEqual(['web1']);

    // Rotation keeps the newest two.
    for (let i = 0; i < 2; i++) expect((await hub.api('POST', '/api/schedules/state-backup/run')).body.result).toBe('ok');
    const left = readdirSync(dir).sort();
    expect(left).toHaveLength(2);
    expect(left).not.toContain(file);
    expect((await job('state-backup')).lastRun).toMatchObject({ result: 'ok', durationMs: expect.any(Number) });
  });

  it('reports a run missed while the hub was down and catches it up once at start-up', async () => {
    expect((await hub.api('PATCH', '/api/schedules/health-sweep', { cron: '*/2 * * * * *', catchUp: true })).status).toBe(200);
    await waitFor('a scheduled health sweep', async () => (await job('health-sweep')).lastRun?.reason === 'scheduled');
    const { nextRunAt } = await job('health-sweep');
    await hub.stop();
    // Down past the time it was due.
    await waitFor('the due time to pass', () => Date.now() > Date.parse(nextRunAt) + 2500, 20_000);
    hub = await startHub({ dataDir, env: ports });
    const j = await waitFor('the missed run reported', async () => { const x = await job('health-sweep'); return x.missed ? x : null; });
    expect(j.missed).toMatchObject({ caughtUp: true });
    expect(Date.parse(j.missed.dueAt)).toBeGreaterThanOrEqual(Date.parse(nextRunAt));
    // The catch-up run is recorded once it has finished, after the missed run is.
    type Entry = { action: string; target: string; detail?: string };
    const audit = await waitFor('the catch-up run recorded', () => {
      const entries = (JSON.parse(readFileSync(join(dataDir, 'state.json'), 'utf8')).audit as Entry[]).filter((a) => a.target === 'health-sweep');
      return entries.some((a) => a.detail?.startsWith('catch-up: ')) ? entries : null;
    });
    expect(audit.map((a) => a.action)).toContain('schedule.missed');
    expect(audit.find((a) => a.detail?.startsWith('catch-up: '))?.action).toBe('schedule.ok');
    expect((await job('health-sweep')).lastRun.detail).toMatch(/^1 server \(/);
  });
});
