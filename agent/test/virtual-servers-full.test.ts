/**
 * Virtual servers with every part on a real cluster, end to end: one hub and one test network
 * shared by three test beds: the load-balancing bed (two load balancers with agents and HAProxy,
 * a client node; cluster `shop`), the Galera bed (three MariaDB Galera nodes; cluster `db`) and the
 * Gluster bed (three glusterd nodes; cluster `files` with a replica-3 volume `www`; and the two web
 * servers of `shop`, web1 and web2, each in its own mount namespace, serving `MOUNT/HOST` with
 * agent/test/web-backend.mjs). Domains are placed through the hub's API as the Virtualmin plugin
 * does, and through module/virtual_feature.pl itself (agent/test/virtualmin-full.t under prove,
 * against the hub's gateway socket); between the steps the test looks at the clusters
 * themselves: pages through HAProxy from the client node, SQL on every Galera node, files on the
 * volume through each web server's mount.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, logIn, stackedShot } from '../../ui/test/browser.js';
import { GaleraTestbed, DB_NODES } from './galera-testbed.js';
import { GlusterTestbed } from './gluster-testbed.js';
import { type Hub, ROOT, deadline, freePort, startHub, waitFor } from './harness.js';
import { LbTestbed } from './lb-testbed.js';
import { TestNetwork } from './test-network.js';

const net = new TestNetwork();
/** The Virtualmin and Webmin stand-ins' files, and the hub's gateway socket. */
const vmin = mkdtempSync(join(tmpdir(), 'uc-vmin-'));
let hub: Hub;
let gluster: GlusterTestbed;
let galera: GaleraTestbed;
let lb: LbTestbed;
let mount = '';
const WEBS = ['web1', 'web2'];
const PASSWORD = 'Shop-secret-pw-1';

const api = (method: string, path: string, body?: unknown, auth?: string) => hub.api(method, path, body, auth);
async function must(method: string, path: string, body: unknown, status: number) {
  const r = await api(method, path, body);
  if (r.status !== status) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** "STATUS BODY" of `http://HOST/` through each load balancer, from the client node. */
const pages = (host: string, path = '/') => Promise.all(['lb1', 'lb2'].map((n) => lb.request('client', `http://${net.node(n).address}${path}`, host)));
/** One row per Galera node (tab-separated), as root over the node's socket. */
const onEveryDbNode = (sql: string) => Promise.all(DB_NODES.map((n) => galera.sql(n, sql)));
/** Whether `user` may log in on `node` with `password` (over the node's socket): the first line of its answer, or the error. */
function login(node: string, user: string, password: string): Promise<string> {
  const args = ['netns', 'exec', net.node(node).ns, '/usr/bin/mariadb', '--no-defaults', `-u${user}`, `--socket=${join(galera.nodeDir(node), 'run/mysqld.sock')}`, '-N', '-B', '-e', 'SELECT CURRENT_USER()'];
  return new Promise((resolve) => execFile('/usr/sbin/ip', args, { env: { ...process.env, MYSQL_PWD: password }, encoding: 'utf8' }, (err, out, errOut) => resolve(err ? `refused: ${errOut.trim()}` : out.trim())));
}
const everyNodeLogin = (user: string, password: string) => Promise.all(DB_NODES.map((n) => login(n, user, password)));
/** `ls -A` of the volume's root (links shown as NAME -> TARGET), through a web server's mount. */
async function volumeRoot(web: string): Promise<string[]> {
  const r = await gluster.sh(web, `cd ${mount} && for f in $(ls -A); do if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; else echo "$f"; fi; done`);
  if (r.code !== 0) throw new Error(`ls on ${web}: ${r.output}`);
  return r.output.split('\n').filter(Boolean).sort();
}
/** Whether the volume is mounted at the mount path in the web server's mount namespace. */
const mounted = (web: string) => readFileSync(`/proc/${gluster.node(web).holder}/mounts`, 'utf8').split('\n').some((l) => l.split(' ')[1] === mount && l.split(' ')[2] === 'fuse.glusterfs');

/** One step of agent/test/virtualmin-full.t under prove, as Virtualmin's own process would run it. */
async function virtualmin(step: string): Promise<void> {
  const env = {
    ...process.env, UC_TEST_CONFIG_DIR: join(vmin, 'conf'), UC_TEST_VAR_DIR: join(vmin, 'var'), UC_TEST_VIRTUALMIN_DIR: join(vmin, 'virtual-server'),
    UC_TEST_MODULES: join(vmin, 'webmin.acl'), UC_E2E_WEB: 'shop', UC_E2E_DATABASE: 'db', UC_E2E_VOLUME: 'www', UC_E2E_MOUNT: mount,
  };
  const p = spawn('prove', ['-v', join(ROOT, 'agent/test/virtualmin-full.t'), '::', step], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  p.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  const code = await new Promise<number>((r) => p.once('exit', (c) => r(c ?? 1)));
  expect(code, `prove virtualmin-full.t :: ${step}\n${out}`).toBe(0);
  expect(out).toMatch(/All tests successful/);
}

const state = () => readFileSync(join(hub.dataDir, 'state.json'), 'utf8');
const everything = () => [state(), hub.output(), galera.logs(), gluster.logs(), lb.logs(), existsSync(join(vmin, 'var', 'actions.log')) ? readFileSync(join(vmin, 'var', 'actions.log'), 'utf8') : ''].join('\n');

async function finished(id: string) {
  return waitFor(`operation ${id} to end`, async () => {
    const op = (await api('GET', `/api/operations/${id}`)).body;
    return op.state !== 'running' && op.state !== 'waiting' ? op : null;
  }, 180_000);
}

beforeAll(async () => {
  net.up();
  mkdirSync(join(vmin, 'conf'), { mode: 0o700 });
  mkdirSync(join(vmin, 'var'), { mode: 0o700 });
  hub = await startHub({
    env: {
      AGENT_HOST: net.hostAddress, AGENT_PORT: String(await freePort()), GATEWAY_SOCKET: join(vmin, 'var', 'hub.sock'),
      // A busy test machine must not paint the servers "warning" in the picture this test takes.
      WARN_CPU_PCT: '101', WARN_MEM_PCT: '101', WARN_DISK_PCT: '101',
    },
  });
  const shared = { net, hub };
  gluster = new GlusterTestbed({ shared, clientNames: WEBS });
  galera = new GaleraTestbed({ shared });
  lb = new LbTestbed({}, { ...shared, webServers: WEBS });
  mount = join(gluster.dir, 'www');
  // The web servers enroll with the Gluster bed; the load balancers' cluster takes them.
  await Promise.all([gluster.up().then(() => lb.up()), galera.up()]);
  await must('POST', '/api/clusters', { name: 'files', servers: ['gl1', 'gl2', 'gl3'], gluster: { volumes: [{ name: 'www', brickPath: gluster.brickPath, force: true }], mountPath: gluster.mountPath } }, 201);
  // Unknown names go to an empty backend (503): a name answers only through its host rule.
  await lb.patchLb({ frontends: [{ name: 'www', port: 80, backend: 'parked' }], backends: [{ name: 'parked', servers: [] }], vip: { address: lb.vip, interface: 'eth0', routerId: 42, advertInt: 0.2 } });
  const glusterApply = must('POST', '/api/clusters/files/gluster/apply', undefined, 202).then((r) => finished(r.operation.id));
  const [gl] = await Promise.all([glusterApply, galera.planAndApply(), lb.planAndApply()]);
  expect(gl.state, JSON.stringify(gl)).toBe('done');
  await galera.allSynced();
  await waitFor('volume www healthy', async () => (await api('GET', '/api/clusters/files/gluster')).body.summary === 'www 3/3 healthy', 60_000);
  for (const w of WEBS) gluster.spawnIn(w, process.execPath, [join(ROOT, 'agent/test/web-backend.mjs'), w, '80', '0', mount]);
  for (const w of WEBS) await waitFor(`${w} to answer`, async () => (await lb.curl('client', `http://${net.node(w).address}/`)) === w, 30_000);
  // HAProxy marked them down while nothing answered: wait until its checks see them up again.
  await waitFor('HAProxy to see the web servers up', async () => {
    const nodes: { servers: { server: string; status: string }[] }[] = (await api('GET', '/api/clusters/shop/lb-status')).body.nodes;
    return nodes.length === 2 && nodes.every((n) => WEBS.every((w) => n.servers.some((x) => x.server === w && x.status.startsWith('UP'))));
  });
  await waitFor('the writer to be known', async () => (await api('GET', '/api/clusters/db/galera')).body.writer, 30_000);
  // Virtualmin with the plugin enabled, and Webmin's root, for virtualmin-full.t.
  writeFileSync(join(vmin, 'conf', 'config'), `data_dir=${join(vmin, 'var')}\nhub_socket=${join(vmin, 'var', 'hub.sock')}\n`);
  writeFileSync(join(vmin, 'webmin.acl'), 'root: virtual-server unlimited-cluster\n');
  for (const d of ['virtual-server', 'virtual-server/templates', 'virtual-server/domains']) mkdirSync(join(vmin, d));
  writeFileSync(join(vmin, 'virtual-server', 'config'), 'plugins=unlimited-cluster\n');
  writeFileSync(join(vmin, 'virtual-server', 'templates', '0'), 'name=Default Settings\n');
  writeFileSync(join(vmin, 'virtual-server', 'templates', '1'), 'name=Clusters\n');
}, deadline(400_000));

afterAll(async () => {
  // Every bed stops its own daemons and unmounts; the network then stops what is left by PID.
  for (const bed of [gluster, galera, lb]) await bed?.down().catch((e) => console.error(e));
  await net.down();
  await hub?.stop();
  rmSync(vmin, { recursive: true, force: true });
}, deadline(120_000));

describe('a virtual server on HAProxy, Galera and Gluster', () => {
  it('accepts placements on clusters that have the roles, and still refuses those that do not and those the user cannot see', async () => {
    const ok = await api('POST', '/api/virtual-servers/check', { web: 'shop', database: 'db', files: { volume: 'www', mountPath: mount } });
    expect(ok.body).toEqual({ ok: true, web: { cluster: 'shop', frontends: ['www'], webServers: WEBS }, database: { cluster: 'db' }, files: { cluster: 'files', volume: 'www' }, warnings: [] });
    const noRole = await api('POST', '/api/virtual-servers/check', { web: 'shop', database: 'shop' });
    expect([noRole.status, noRole.body.error]).toEqual([400, { code: 'no_galera_role', message: "cluster 'shop' has no Galera role" }]);
    const noVolume = await api('POST', '/api/virtual-servers/check', { web: 'shop', files: { volume: 'nope', mountPath: mount } });
    expect([noVolume.status, noVolume.body.error.message]).toEqual([400, "no Gluster cluster you can see has a volume 'nope'"]);
    const flags = { view: true, editServers: false, editConnections: false, editClusters: false, apply: true, scale: false, enroll: false, exportImport: false };
    await must('POST', '/api/users', { name: 'webonly', password: 'password-123', acl: { ...flags, scope: ['shop'] } }, 201);
    const scoped = `Basic ${Buffer.from('webonly:password-123').toString('base64')}`;
    const hidden = await api('POST', '/api/virtual-servers/check', { web: 'shop', database: 'db' }, scoped);
    expect([hidden.status, hidden.body.error.message]).toEqual([404, "no cluster named 'db'"]);
    const hiddenVolume = await api('POST', '/api/virtual-servers', { domain: 'x.example.com', web: 'shop', files: { volume: 'www', mountPath: mount } }, scoped);
    expect([hiddenVolume.status, hiddenVolume.body.error.code]).toEqual([400, 'no_gluster_volume']);
    expect((await api('GET', '/api/virtual-servers')).body).toEqual([]);
  });

  it('sets a domain up as the plugin does: its database and user on every Galera node, its web root on the volume mounted on every web server, and its page through HAProxy', async () => {
    expect(mounted('web1') || mounted('web2')).toBe(false);
    const made = await api('POST', '/api/virtual-servers', {
      id: '101', domain: 'shop.example.com', aliases: ['www.shop.example.com'], web: 'shop',
      database: { cluster: 'db', name: 'shop_example_com', user: 'shop', password: PASSWORD }, files: { volume: 'www', mountPath: mount },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({
      web: { cluster: 'shop', status: 'ready' }, database: { cluster: 'db', name: 'shop_example_com', user: 'shop', status: 'ready' },
      files: { cluster: 'files', volume: 'www', mountPath: mount, directory: 'shop.example.com', webCluster: 'shop', status: 'ready' },
    });
    // Every web server has the volume mounted; the web root and its other name are there.
    expect(WEBS.map(mounted)).toEqual([true, true]);
    for (const w of WEBS) expect(await volumeRoot(w)).toEqual(['shop.example.com', 'www.shop.example.com -> shop.example.com']);
    // A page written through web1's mount is served through HAProxy (by web1 and web2 alike) under both names.
    const html = `<h1>shop on Gluster ${Date.now()}</h1>`;
    expect((await gluster.sh('web1', `printf '%s' '${html}' > ${mount}/shop.example.com/index.html`)).code).toBe(0);
    expect(await pages('shop.example.com')).toEqual([`200 ${html}`, `200 ${html}`]);
    expect(await pages('www.shop.example.com')).toEqual([`200 ${html}`, `200 ${html}`]);
    expect(await lb.request('client', `http://${net.node('web2').address}/`, 'shop.example.com')).toBe(`200 ${html}`);
    expect(await pages('other.example.com')).toEqual([expect.stringMatching(/^503 /), expect.stringMatching(/^503 /)]);
    // The database and its user were made once and replicated: every node has them; the user logs in anywhere, on its own database only.
    expect(await onEveryDbNode("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'shop%'")).toEqual(['shop_example_com', 'shop_example_com', 'shop_example_com']);
    // On that database only: `_` is escaped (mariadb -B shows each backslash doubled), not a wildcard.
    expect(await onEveryDbNode("SHOW GRANTS FOR 'shop'@'%'")).toEqual(DB_NODES.map(() => expect.stringContaining('GRANT ALL PRIVILEGES ON `shop\\\\_example\\\\_com`.* TO `shop`@`%`')));
    expect(await everyNodeLogin('shop', PASSWORD)).toEqual(['shop@%', 'shop@%', 'shop@%']);
    expect(await everyNodeLogin('shop', 'wrong-password')).toEqual(DB_NODES.map(() => expect.stringMatching(/^refused: .*Access denied/)));
    // Each step audited, the password nowhere.
    const audit = JSON.parse(state()).audit as { action: string; detail?: string }[];
    expect(audit.filter((a) => a.action.startsWith('virtual-server.') || a.action === 'galera.create-database').map((a) => a.action)).toEqual([
      'virtual-server.create', 'galera.create-database', 'virtual-server.database', 'virtual-server.files', 'virtual-server.web',
    ]);
    expect(audit.find((a) => a.action === 'galera.create-database')?.detail).toMatch(/^created database shop_example_com for user shop@% on db\d$/);
    expect(everything()).not.toContain(PASSWORD);
  });

  it('shows each part\'s state in the virtual servers panel, on each of its clusters (Chromium)', async () => {
    const chromium = await launchChromium();
    try {
      const page = await chromium.browser.newPage();
      await page.setViewport({ width: 1280, height: 1500 });
      await logIn(page, hub.url, 'admin', hub.adminPassword);
      await page.waitForSelector('[data-testid=vs-cluster-files] [data-testid=vs-row]');
      const parts = (cluster: string) => page.$$eval(`[data-testid=vs-cluster-${cluster}] [data-testid=vs-row] [data-part]`, (els) => els.map((e) => `${e.getAttribute('data-part')} ${e.className}: ${e.textContent}`));
      expect(await parts('shop')).toEqual(['web uc-vs-part uc-vs-ready: web', `files uc-vs-part uc-vs-ready: files mounted at ${mount}`]);
      expect(await parts('db')).toEqual(['database uc-vs-part uc-vs-ready: database shop_example_com · user shop']);
      expect(await parts('files')).toEqual(['files uc-vs-part uc-vs-ready: files www/shop.example.com']);
      type Mark = { kind: string; id: string; text: string };
      const floors = async () => (JSON.parse(await page.$eval('[data-testid=fleet-canvas]', (c) => (c as HTMLCanvasElement).dataset['marks'] ?? '[]')) as Mark[])
        .filter((m) => m.kind === 'virtual-servers').map((m) => `${m.id} ${m.text}`).sort();
      await waitFor('a count on each of the three clusters\' floors', async () => (await floors()).join() === 'db 1 virtual server,files 1 virtual server,shop 1 virtual server', 20_000);
      // The diagram and the panel, for the README (docs/virtual-servers.png is this picture).
      await page.type('[data-testid=vs-search]', 'shop');
      await page.waitForSelector('[data-testid=vs-hits] button');
      await page.click('[data-testid=vs-hits] button');
      await page.waitForSelector('[data-testid=vs-focus]');
      await stackedShot(chromium.browser, page, ['[data-testid=fleet-canvas]', '[data-testid=vs-panel]'], join(tmpdir(), 'uc-virtual-servers-full.png'));
    } finally {
      await chromium.close();
    }
  });

  it('disables and enables it as Virtualmin does: the user locked on every node and the disabled page, then back', async () => {
    expect((await api('PATCH', '/api/virtual-servers/101', { state: 'disabled' })).status).toBe(200);
    expect(await pages('shop.example.com')).toEqual([expect.stringMatching(/^200 <!DOCTYPE html>.*Website disabled/), expect.stringMatching(/^200 <!DOCTYPE html>.*Website disabled/)]);
    expect(await everyNodeLogin('shop', PASSWORD)).toEqual(DB_NODES.map(() => expect.stringMatching(/^refused: .*locked/i)));
    expect((await api('PATCH', '/api/virtual-servers/101', { state: 'active' })).body).toMatchObject({ state: 'active', web: { status: 'ready' }, database: { status: 'ready' } });
    expect(await everyNodeLogin('shop', PASSWORD)).toEqual(['shop@%', 'shop@%', 'shop@%']);
    expect((await pages('shop.example.com'))[0]).toMatch(/^200 <h1>shop on Gluster/);
  });

  it('renames it: the new names serve the same files (links beside the kept directory), the old ones nothing; a new user name and password on every node', async () => {
    const r = await api('PATCH', '/api/virtual-servers/101', { domain: 'store.example.com', aliases: ['www.store.example.com'], database: { user: 'store', password: 'Store-secret-pw-2' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    for (const w of WEBS) {
      expect(await volumeRoot(w)).toEqual(['shop.example.com', 'store.example.com -> shop.example.com', 'www.store.example.com -> shop.example.com']);
    }
    expect((await pages('store.example.com'))[1]).toMatch(/^200 <h1>shop on Gluster/);
    expect((await pages('www.store.example.com'))[0]).toMatch(/^200 <h1>shop on Gluster/);
    expect((await pages('shop.example.com'))[0]).toMatch(/^503 /);
    expect(await everyNodeLogin('store', 'Store-secret-pw-2')).toEqual(['store@%', 'store@%', 'store@%']);
    expect(await onEveryDbNode("SELECT COUNT(*) FROM mysql.user WHERE User = 'shop'")).toEqual(['0', '0', '0']);
    expect(everything()).not.toContain('Store-secret-pw-2');
  });

  it('grants a sub-server\'s database to its parent\'s user, whose password stays; deleting it takes the database and the grant, not the user', async () => {
    const sub = await api('POST', '/api/virtual-servers', { id: '102', domain: 'sub.store.example.com', database: { cluster: 'db', name: 'sub_store', user: 'store', password: 'not-the-parents-1', sharedUser: true } });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    expect(await onEveryDbNode("SHOW GRANTS FOR 'store'@'%'")).toEqual(DB_NODES.map(() => expect.stringContaining('GRANT ALL PRIVILEGES ON `sub\\\\_store`.* TO `store`@`%`')));
    expect(await everyNodeLogin('store', 'Store-secret-pw-2')).toEqual(['store@%', 'store@%', 'store@%']);
    expect((await api('DELETE', '/api/virtual-servers/102')).status).toBe(204);
    expect(await onEveryDbNode("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'sub_store'")).toEqual(['0', '0', '0']);
    expect(await onEveryDbNode("SHOW GRANTS FOR 'store'@'%'")).toEqual(DB_NODES.map(() => expect.not.stringContaining('sub')));
    expect(await everyNodeLogin('store', 'Store-secret-pw-2')).toEqual(['store@%', 'store@%', 'store@%']);
  });

  it('places a domain through virtual_feature.pl as Virtualmin calls it: template, create, new password, disable, enable, rename', async () => {
    await virtualmin('template');
    await virtualmin('create');
    expect((await volumeRoot('web2')).filter((n) => n.includes('blog'))).toEqual(['blog.example.com', 'www.blog.example.com -> blog.example.com']);
    expect((await gluster.sh('web2', `echo blog > ${mount}/blog.example.com/index.html`)).code).toBe(0);
    expect(await pages('www.blog.example.com')).toEqual(['200 blog', '200 blog']);
    expect(await everyNodeLogin('blog', 'Blog-pw-1')).toEqual(['blog@%', 'blog@%', 'blog@%']);
    await virtualmin('password');
    expect(await everyNodeLogin('blog', 'Blog-pw-2')).toEqual(['blog@%', 'blog@%', 'blog@%']);
    await virtualmin('disable');
    expect(await everyNodeLogin('blog', 'Blog-pw-2')).toEqual(DB_NODES.map(() => expect.stringMatching(/locked/i)));
    expect((await pages('blog.example.com'))[0]).toMatch(/Website disabled/);
    await virtualmin('enable');
    expect((await pages('blog.example.com'))[0]).toBe('200 blog');
    await virtualmin('rename');
    expect(await pages('journal.example.com')).toEqual(['200 blog', '200 blog']);
    expect(await everyNodeLogin('journal', 'Blog-pw-2')).toEqual(['journal@%', 'journal@%', 'journal@%']);
    expect(everything()).not.toMatch(/Blog-pw-[12]/);
  });

  it('deletes as Virtualmin says: with preserve-remote the database and files stay; otherwise they go from every node and the volume, and the mount with the last one', async () => {
    await virtualmin('delete-keep');
    expect(await pages('journal.example.com')).toEqual([expect.stringMatching(/^503 /), expect.stringMatching(/^503 /)]);
    expect(await onEveryDbNode("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'blog_example_com'")).toEqual(['1', '1', '1']);
    expect(await everyNodeLogin('journal', 'Blog-pw-2')).toEqual(['journal@%', 'journal@%', 'journal@%']);
    expect((await volumeRoot('web1')).filter((n) => n.includes('blog') || n.includes('journal'))).toEqual([
      'blog.example.com', 'journal.example.com -> blog.example.com', 'www.journal.example.com -> blog.example.com',
    ]);

    expect((await api('DELETE', '/api/virtual-servers/101')).status).toBe(204);
    expect(await pages('store.example.com')).toEqual([expect.stringMatching(/^503 /), expect.stringMatching(/^503 /)]);
    expect(await onEveryDbNode("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop_example_com'")).toEqual(['0', '0', '0']);
    expect(await onEveryDbNode("SELECT COUNT(*) FROM mysql.user WHERE User = 'store'")).toEqual(['0', '0', '0']);
    await waitFor('the volume to be unmounted from the web servers (no virtual server needs it now)', () => WEBS.every((w) => !mounted(w)), 30_000);
    // What is left on the volume is the kept domain's only (seen through a peer's own view of the bricks).
    const brick = join(gluster.dir, 'gl1', 'bricks', 'www-1');
    expect(existsSync(join(brick, 'shop.example.com')) || existsSync(join(brick, 'store.example.com'))).toBe(false);
    expect(existsSync(join(brick, 'blog.example.com'))).toBe(true);
    const actions = JSON.parse(state()).audit.filter((a: { action: string }) => a.action === 'virtual-server.delete').map((a: { detail: string }) => a.detail);
    // The sub-server's (deleted above), the kept blog's, the store's.
    expect(actions).toEqual(['nothing kept', 'kept database blog_example_com on db and directory blog.example.com on www', 'nothing kept']);
  });
});
