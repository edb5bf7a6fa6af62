/**
 * clusterctl end to end: the built dist/clusterctl.mjs, run as a child process (stdin is a pipe,
 * never a terminal) against a real hub from the test harness.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, type Hub, type Proc, clusterctl, requireBuild, startAgent, startHub, waitFor } from '../test/harness.js';

type Result = CliResult;

let hub: Hub;
/** Agents the tests started; stopped before the hub. */
const agents: Proc[] = [];
const dir = mkdtempSync(join(tmpdir(), 'clusterctl-it-'));

/** Runs clusterctl as admin (unless `env` says otherwise), with `input` on stdin. */
const cli = requireBuild('clusterctl.mjs');
const ctl = (args: string[], opts: { env?: Record<string, string | undefined>; input?: string } = {}) => clusterctl(hub, args, opts);

/** An expected failure is one line of explanation: no stack trace. */
function expectNoStack(r: Result): void {
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toContain('unexpected error');
}

async function serverIds(): Promise<string[]> {
  const res = await hub.api('GET', '/api/servers');
  return (res.body as { id: string }[]).map((s) => s.id).sort();
}

async function addServer(id: string, type = 'web'): Promise<void> {
  const r = await ctl(['servers', 'add', id, '--type', type, '--address', '10.0.0.1']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

beforeAll(async () => {
  requireBuild('clusterctl.mjs');
  hub = await startHub();
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await hub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('clusterctl against a real hub', () => {
  it('adds, lists and removes servers', async () => {
    const add = await ctl(['servers', 'add', 'web1', '--name', 'Web Server 1', '--type', 'web', '--address', '192.168.1.10', '--region', 'us-east-1', '--label', 'role=front', '--port', '80']);
    expect(add).toEqual({ code: 0, stdout: "added server 'web1' (Web Server 1, web, 192.168.1.10)\n", stderr: '' });
    const stored = await hub.api('GET', '/api/servers/web1');
    expect(stored.body).toMatchObject({ id: 'web1', name: 'Web Server 1', type: 'web', address: '192.168.1.10', region: 'us-east-1', labels: { role: 'front' }, ports: [80] });

    const table = await ctl(['servers', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+TYPE\s+ADDRESS\s+REGION\s+STATUS\s+CPU%\s+MEM%$/m);
    expect(table.stdout).toMatch(/^web1\s+Web Server 1\s+web\s+192\.168\.1\.10\s+us-east-1\s+\w+\s+-\s+-$/m);

    const json = await ctl(['servers', 'list', '--json']);
    expect((JSON.parse(json.stdout) as { id: string }[]).map((s) => s.id)).toContain('web1');

    const remove = await ctl(['servers', 'remove', 'web1', '--yes']);
    expect(remove).toEqual({ code: 0, stdout: "removed server 'web1'\n", stderr: '' });
    expect((await hub.api('GET', '/api/servers/web1')).status).toBe(404);
  });

  it('refuses to remove without --yes when stdin is not a terminal, and changes nothing', async () => {
    await addServer('keep1');
    const r = await ctl(['servers', 'remove', 'keep1'], { input: 'y\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("refusing to remove server 'keep1' without --yes");
    expect(r.stdout).toBe('');
    expectNoStack(r);
    expect((await hub.api('GET', '/api/servers/keep1')).status).toBe(200);
  });

  it('gives a clear error and exit 1 for a wrong name', async () => {
    for (const args of [['servers', 'remove', 'nope', '--yes'], ['servers', 'show', 'nope'], ['connect', 'keep1', 'nope']]) {
      const r = await ctl(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/^clusterctl: no server [^\n]*'nope'\n$/);
      expectNoStack(r);
    }
    const cluster = await ctl(['cluster', 'delete', 'nope', '--yes']);
    expect(cluster.code).toBe(1);
    expect(cluster.stderr).toBe("clusterctl: no cluster named 'nope'\n");
  });

  it('connects and disconnects servers', async () => {
    await addServer('app1');
    await addServer('db1', 'database');
    const r = await ctl(['connect', 'app1', 'db1', '--type', 'database']);
    expect(r).toEqual({ code: 0, stdout: 'connected app1 -> db1 (database)\n', stderr: '' });
    expect((await hub.api('GET', '/api/connections')).body).toContainEqual(expect.objectContaining({ id: 'app1:db1', from: 'app1', to: 'db1', type: 'database' }));
    // Nothing probes it (app1 has no agent): its status is unknown and it has no latency.
    expect((await ctl(['connections', 'list'])).stdout).toMatch(/^FROM\s+TO\s+TYPE\s+STATUS\s+LATENCY$/m);
    expect((await ctl(['connections', 'list'])).stdout).toMatch(/^app1\s+db1\s+database\s+unknown\s+-$/m);

    const again = await ctl(['connect', 'app1', 'db1']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("clusterctl: 'app1' is already connected to 'db1'\n");

    expect((await ctl(['disconnect', 'app1', 'db1'])).code).toBe(0);
    expect((await hub.api('GET', '/api/connections')).body).not.toContainEqual(expect.objectContaining({ id: 'app1:db1' }));
  });

  it('creates clusters and changes their members', async () => {
    await addServer('c-web');
    await addServer('c-db', 'database');
    const create = await ctl(['cluster', 'create', 'production-cluster', 'c-web', '--description', 'live']);
    expect(create).toEqual({ code: 0, stdout: "created cluster 'production-cluster' with 1 server\n", stderr: '' });
    expect((await ctl(['cluster', 'add', 'production-cluster', 'c-db'])).code).toBe(0);
    expect((await hub.api('GET', '/api/clusters/production-cluster')).body).toMatchObject({ name: 'production-cluster', description: 'live', servers: ['c-web', 'c-db'] });
    expect((await ctl(['cluster', 'list'])).stdout).toMatch(/^production-cluster\s+2\s+c-web,c-db\s+live$/m);
    expect((await ctl(['cluster', 'remove', 'production-cluster', 'c-web'])).code).toBe(0);
    expect((await hub.api('GET', '/api/clusters/production-cluster')).body).toMatchObject({ servers: ['c-db'] });
    expect((await ctl(['cluster', 'delete', 'production-cluster', '--yes'])).code).toBe(0);
    expect((await hub.api('GET', '/api/clusters/production-cluster')).status).toBe(404);
    expect((await hub.api('GET', '/api/servers/c-db')).status).toBe(200);
  });

  it('shows status with the hub version and counts', async () => {
    const r = await ctl(['status']);
    expect(r.code).toBe(0);
    const health = await (await fetch(`${hub.url}/api/health`)).json() as { version: string };
    expect(r.stdout).toContain(`hub          ${hub.url}  ok, version ${health.version}`);
    const total = (await serverIds()).length;
    expect(r.stdout).toMatch(new RegExp(`^servers {6}${total} \\(`, 'm'));
    expect(r.stdout).toMatch(/^agents {7}0 connected$/m);
  });

  it('exports to a file and imports it back, replacing later changes', async () => {
    await addServer('exp1');
    const file = join(dir, 'model.json');
    const exp = await ctl(['export', file]);
    expect(exp.code).toBe(0);
    expect(exp.stdout).toMatch(/^exported \d+ servers?, \d+ connections?, \d+ clusters? to /);
    const before = await serverIds();
    expect((JSON.parse(readFileSync(file, 'utf8')) as { servers: { id: string }[] }).servers.map((s) => s.id).sort()).toEqual(before);

    await addServer('after-export');
    expect((await ctl(['servers', 'remove', 'exp1', '--yes'])).code).toBe(0);
    const imp = await ctl(['import', file, '--yes']);
    expect(imp.code).toBe(0);
    expect(imp.stderr).toBe('');
    expect(await serverIds()).toEqual(before);
  });

  it('refuses an invalid export file before touching the hub', async () => {
    const before = await serverIds();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'unlimited-cluster', version: 1, servers: [{ id: 'x' }], connections: [], clusters: [] }));
    const r = await ctl(['import', bad, '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`clusterctl: ${bad} is not a valid export (nothing was sent to the hub): /servers/0 is missing "name"\n`);
    const notJson = await ctl(['import', '-', '--yes'], { input: '{ nope' });
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(/^clusterctl: stdin is not JSON: /);
    expect(await serverIds()).toEqual(before);
  });

  it('backs up the whole state with mode 0600 and restores it after a change', async () => {
    await addServer('bk1');
    const file = join(dir, 'backup.json');
    const backup = await ctl(['backup', file]);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^backed up \d+ servers?, .* to .*\(mode 0600\)\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { format: string; users: { name: string; passwordHash: string }[] };
    expect(saved.format).toBe('unlimited-cluster-state');
    expect(saved.users.map((u) => u.name)).toContain('admin');
    const before = await serverIds();

    await addServer('after-backup');
    expect((await ctl(['servers', 'remove', 'bk1', '--yes'])).code).toBe(0);
    const refused = await ctl(['restore', file]);
    expect(refused.code).toBe(2);
    expect(await serverIds()).not.toEqual(before);

    const restore = await ctl(['restore', file, '--yes']);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(await serverIds()).toEqual(before);
    // The restored users still log in: the password hash came back intact.
    expect((await ctl(['servers', 'list'])).code).toBe(0);
  });

  it('explains missing and wrong credentials', async () => {
    const none = await ctl(['servers', 'list'], { env: { CLUSTERCTL_USER: undefined, CLUSTERCTL_PASSWORD: undefined } });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^clusterctl: the hub needs a login: pass --token TOKEN/);
    const wrong = await ctl(['servers', 'list'], { env: { CLUSTERCTL_PASSWORD: 'wrong-password' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^clusterctl: the hub did not accept user 'admin'/);
    const noPassword = await ctl(['servers', 'list'], { env: { CLUSTERCTL_PASSWORD: undefined } });
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toMatch(/no password for user 'admin': set CLUSTERCTL_PASSWORD/);
  });

  it('explains a missing permission', async () => {
    const acl = { view: true, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false, scope: '*' };
    expect((await hub.api('POST', '/api/users', { name: 'viewer', password: 'viewer-password', acl })).status).toBe(201);
    const env = { CLUSTERCTL_USER: 'viewer', CLUSTERCTL_PASSWORD: 'viewer-password' };
    expect((await ctl(['servers', 'list'], { env })).code).toBe(0);
    const add = await ctl(['servers', 'add', 'denied1', '--type', 'web', '--address', '10.0.0.9'], { env });
    expect(add.code).toBe(1);
    expect(add.stderr).toBe(`clusterctl: permission denied for user 'viewer': you do not have the "edit servers" permission\n`);
    const backup = await ctl(['backup', join(dir, 'denied.json')], { env });
    expect(backup.code).toBe(1);
    expect(backup.stderr).toMatch(/^clusterctl: permission denied for user 'viewer': /);
    expect((await hub.api('GET', '/api/servers/denied1')).status).toBe(404);
  });

  it('works with an API token', async () => {
    const created = await hub.api('POST', '/api/api-tokens', { name: 'clusterctl test' });
    expect(created.status).toBe(201);
    const token = (created.body as { token: string }).token;
    const r = await ctl(['--token', token, 'servers', 'list', '--json'], { env: { CLUSTERCTL_USER: undefined, CLUSTERCTL_PASSWORD: undefined } });
    expect(r.code).toBe(0);
    expect(Array.isArray(JSON.parse(r.stdout))).toBe(true);
  });

  it('reports usage errors with exit 2 and help with exit 0', async () => {
    const typo = await ctl(['servers', 'lst']);
    expect(typo).toMatchObject({ code: 2, stdout: '' });
    expect(typo.stderr).toContain("did you mean 'servers list'?");
    const help = await ctl(['servers', 'add', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: clusterctl servers add ID --type TYPE --address ADDR \[options\]/);
  });
});

describe('clusterctl join tokens and agents against a real hub', () => {
  /** Reporting: a busy test machine may well be over a warning threshold. */
  const isUp = (status: unknown) => status === 'active' || status === 'warning';

  /** What GET /api/join-tokens lists now. */
  async function liveTokenIds(): Promise<string[]> {
    return ((await hub.api('GET', '/api/join-tokens')).body as { id: string }[]).map((t) => t.id);
  }

  it('creates a token that a real agent enrolls with, lists it without its secret, and revokes an unused one', async () => {
    expect((await ctl(['cluster', 'create', 'edge'])).code).toBe(0);
    const create = await ctl(['tokens', 'create', '--type', 'cache', '--label', 'zone=a', '--cluster', 'edge', '--uses', '2', '--expires', '30']);
    expect(create.stderr).toBe('');
    expect(create.code).toBe(0);
    expect(create.stdout).toContain('shown only this once');
    const id = /^created join token ([a-f0-9]{12})$/m.exec(create.stdout)?.[1];
    const token = /^ {2}(uc1\.\S+)$/m.exec(create.stdout)?.[1];
    const install = /^ {2}(curl .*)$/m.exec(create.stdout)?.[1];
    expect(id && token && install, create.stdout).toBeTruthy();
    expect(install).toContain(`-H 'Authorization: Bearer ${token}' '${hub.agentUrl.replace(/^wss:(.*)\/agent$/, 'https:$1/join')}' | sh`);
    // The test hub's agent port is on loopback: the report says the command works on no other node.
    expect(create.stdout).toMatch(/\nWarning: The hub's agent address is 127\.0\.0\.1, which only this machine reaches/);
    expect(await liveTokenIds()).toContain(id);

    const table = await ctl(['tokens', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+CREATED BY\s+EXPIRES\s+USES LEFT\s+TYPE\s+CLUSTER\s+LABELS$/m);
    expect(table.stdout).toMatch(new RegExp(`^${id}\\s+admin\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC \\(in (30|29)m\\)\\s+2\\s+cache\\s+edge\\s+zone=a$`, 'm'));
    const json = JSON.parse((await ctl(['tokens', 'list', '--json'])).stdout) as Record<string, unknown>[];
    expect(json.find((t) => t['id'] === id)).toMatchObject({ createdBy: 'admin', usesLeft: 2, type: 'cache', cluster: 'edge' });
    // No secret in any listing: neither the token nor its hash.
    const secret = token!.split('.')[2]!;
    expect(table.stdout + JSON.stringify(json)).not.toContain(secret);
    expect(json.every((t) => !('token' in t) && !('hash' in t))).toBe(true);

    agents.push(await startAgent(hub, { id: 'joined1', token: token! }));
    const joined = await waitFor('joined1 to enroll and report', async () => {
      const r = await hub.api('GET', '/api/servers/joined1');
      return r.status === 200 && isUp(r.body.status) ? r.body as { type: string; labels: Record<string, string> } : null;
    }, 30_000);
    expect(joined).toMatchObject({ type: 'cache', labels: { zone: 'a' } });
    expect((await hub.api('GET', '/api/clusters/edge')).body.servers).toEqual(['joined1']);
    expect((await ctl(['tokens', 'list'])).stdout).toMatch(new RegExp(`^${id}\\s+admin\\s+.*\\)\\s+1\\s+cache`, 'm'));

    const unused = JSON.parse((await ctl(['tokens', 'create', '--json'])).stdout) as { id: string; token: string; installCommand: string };
    expect(unused.installCommand).toContain(unused.token);
    const refused = await ctl(['tokens', 'revoke', unused.id]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`refusing to revoke join token '${unused.id}' without --yes`);
    expect(await liveTokenIds()).toContain(unused.id);
    expect(await ctl(['tokens', 'revoke', unused.id, '--yes'])).toEqual({ code: 0, stdout: `revoked join token '${unused.id}'\n`, stderr: '' });
    expect(await liveTokenIds()).not.toContain(unused.id);
    expect((await ctl(['tokens', 'list'])).stdout).not.toContain(unused.id);
    const again = await ctl(['tokens', 'revoke', unused.id, '--yes']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(new RegExp(`^clusterctl: no live join token '${unused.id}' `));
    expectNoStack(again);
  });

  it('revokes an agent: disconnected at once, its server inactive, refused afterwards', async () => {
    agents.push(await startAgent(hub, { id: 'revoked1' }));
    await waitFor('revoked1 to report', async () => isUp((await hub.api('GET', '/api/servers/revoked1')).body?.status), 30_000);
    const refused = await ctl(['agents', 'revoke', 'revoked1']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("refusing to revoke the agent of server 'revoked1' without --yes");

    const r = await ctl(['agents', 'revoke', 'revoked1', '--yes']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^revoked the agent of server 'revoked1': it is disconnected/);
    await waitFor('revoked1 to turn inactive', async () => (await hub.api('GET', '/api/servers/revoked1')).body?.status === 'inactive', 20_000);
    const again = await ctl(['agents', 'revoke', 'revoked1', '--yes']);
    expect(again).toEqual({ code: 1, stdout: '', stderr: "clusterctl: no agent is enrolled as 'revoked1'\n" });
    const unknown = await ctl(['agents', 'revoke', 'nope', '--yes']);
    expect(unknown).toEqual({ code: 1, stdout: '', stderr: "clusterctl: no server with id 'nope'\n" });
  });

  it('tells a user without the "enroll agents" permission so, and changes nothing', async () => {
    const acl = { view: true, editServers: true, editConnections: true, editClusters: true, apply: true, scale: true, enroll: false, exportImport: true, scope: '*' };
    expect((await hub.api('POST', '/api/users', { name: 'no-enroll', password: 'no-enroll-password', acl })).status).toBe(201);
    const env = { CLUSTERCTL_USER: 'no-enroll', CLUSTERCTL_PASSWORD: 'no-enroll-password' };
    const before = await liveTokenIds();
    const denied = `clusterctl: permission denied for user 'no-enroll': you do not have the "enroll agents" permission\n`;
    for (const args of [['tokens', 'create', '--type', 'web'], ['tokens', 'list'], ['agents', 'revoke', 'joined1', '--yes']]) {
      expect(await ctl(args, { env }), args.join(' ')).toEqual({ code: 1, stdout: '', stderr: denied });
    }
    expect(await liveTokenIds()).toEqual(before);
    expect(isUp((await hub.api('GET', '/api/servers/joined1')).body.status)).toBe(true);
  });
});

describe('clusterctl diagnose, logs and connection latency', () => {
  it('lists a probed connection as connected, with its latency', async () => {
    const prober = await startAgent(hub, { id: 'prober' });
    agents.push(prober);
    // Reporting: active, or warning on a machine whose disk or CPU is over a threshold.
    await waitFor('prober to report', async () => ['active', 'warning'].includes((await hub.api('GET', '/api/servers/prober')).body?.status), 30_000)
      .catch((e) => { throw new Error(`${e}\n${prober.output()}`); });
    const port = Number(new URL(hub.url).port);
    expect((await hub.api('POST', '/api/servers', { id: 'probed', name: 'probed', type: 'web', address: '127.0.0.1', ports: [port] })).status).toBe(201);
    expect((await ctl(['connect', 'prober', 'probed'])).code).toBe(0);
    const line = await waitFor('the probe result', async () => /^prober\s+probed\s+standard\s+connected\s+\d+\.\d ms$/m.exec((await ctl(['connections', 'list'])).stdout)?.[0], 60_000);
    expect(line).toMatch(/connected/);
  });

  it('diagnoses a working hub: exit 0, every agent with its last report and clock; --strict fails on warnings', async () => {
    const r = await ctl(['diagnose']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^hub\\s+ok\\s+${hub.url.replace(/[.]/g, '\\.')} answers, version `, 'm'));
    expect(r.stdout).toMatch(/^agent port \(TLS\)\s+ok\s+wss:\/\/127\.0\.0\.1:\d+\/agent presents a certificate of the hub's CA/m);
    expect(r.stdout).toMatch(/^state file\s+ok\s+\S+state\.json, \d+ KB, revision \d+$/m);
    expect(r.stdout).toMatch(/^disk space\s+(ok|WARN)\s+\d+ MB free/m);
    expect(r.stdout).toMatch(/^gateway socket\s+ok\s+not used/m);
    expect(r.stdout).toMatch(/^agent prober\s+ok\s+reporting \((active|warning)\), last report [^,]+, clock [+-]\d+ ms from the hub, version /m);
    // revoked1 was revoked earlier: known, no longer connected.
    expect(r.stdout).toMatch(/^agent revoked1\s+WARN\s+not connected/m);
    expect(r.stdout).toMatch(/\nhealthy, \d+ warnings?\n$/);
    const strict = await ctl(['diagnose', '--strict', '--json']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^clusterctl: \d+ checks? failed or warned: see above\n$/);
    expect(JSON.parse(strict.stdout).checks).toContainEqual(expect.objectContaining({ name: 'agent prober', level: 'ok' }));
  });

  it('fails diagnose when the hub is down, or for a user who is not an administrator', async () => {
    const stopped = await startHub();
    await stopped.stop();
    const down = await ctl(['diagnose'], { env: { CLUSTERCTL_HUB: stopped.url } });
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/^hub\s+FAIL\s+cannot reach the hub/m);
    const acl = { view: true, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false, scope: '*' };
    expect((await hub.api('POST', '/api/users', { name: 'diag-viewer', password: 'diag-viewer-password', acl })).status).toBe(201);
    const viewer = await ctl(['diagnose'], { env: { CLUSTERCTL_USER: 'diag-viewer', CLUSTERCTL_PASSWORD: 'diag-viewer-password' } });
    expect(viewer.code).toBe(1);
    expect(viewer.stdout).toMatch(/^hub diagnostics\s+FAIL\s+permission denied/m);
  });

  it("prints the hub's recent log without secrets, and follows new lines", async () => {
    const made = JSON.parse((await ctl(['tokens', 'create', '--json'])).stdout) as { token: string };
    const failLogin = (username: string) => fetch(`${hub.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'not-the-password-42' }) });
    await failLogin('log-marker');
    const logs = await ctl(['logs', '--lines', '2000']);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z hub \S+ started/m);
    expect(logs.stdout).toMatch(/failed login for 'log-marker'/);
    expect(logs.stdout).not.toContain('not-the-password-42');
    expect(logs.stdout).not.toContain(made.token.split('.')[2]);
    expect(logs.stdout).not.toContain(hub.adminPassword);
    expect((await ctl(['logs', '--lines', '0'])).code).toBe(2);

    const child = spawn(process.execPath, [cli, 'logs', '-f', '--lines', '1'], {
      env: { ...process.env, CLUSTERCTL_HUB: hub.url, CLUSTERCTL_USER: 'admin', CLUSTERCTL_PASSWORD: hub.adminPassword, CLUSTERCTL_TOKEN: undefined }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '', err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    try {
      await waitFor('the first line', () => out.length > 0 || err, 20_000);
      expect(err).toBe('');
      await failLogin('follow-marker');
      await waitFor('the new line while following', () => out.includes("failed login for 'follow-marker'"), 20_000);
      expect(out).not.toContain('not-the-password-42');
    } finally {
      child.kill();
    }
  });
});

describe('clusterctl without a hub', () => {
  it('says the hub cannot be reached once it is stopped', async () => {
    const stopped = await startHub();
    const url = stopped.url;
    await stopped.stop();
    for (const args of [['status'], ['servers', 'list']]) {
      const r = await ctl(args, { env: { CLUSTERCTL_HUB: url } });
      expect(r).toEqual({
        code: 1,
        stdout: '',
        stderr: `clusterctl: cannot reach the hub at ${url}: connection refused (is it running? start it with npm start)\n`,
      });
    }
  });
});
