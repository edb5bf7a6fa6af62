/**
 * GlusterFS end to end with the real glusterd: four nodes in network + mount namespaces (each its
 * own glusterd and agent; gl4 joins later as a replacement), a client node with a FUSE mount, the
 * hub on the host. Everything goes through the REST API; one bed for the whole file, so the tests
 * run in order on one cluster `gl`. A test that fails must not take the next ones with it: after
 * each test its unfinished operations are cancelled, and after a failed one every glusterd and
 * brick is started again (afterEach).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HTTPRequest, Page } from 'puppeteer';
import { launchChromium, logIn, stackedShot } from '../../ui/test/browser.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { GlusterApplier } from '../appliers/gluster/applier.js';
import { glusterPaths } from '../appliers/gluster/paths.js';
import { deadline, waitFor } from './harness.js';
import { GlusterTestbed } from './gluster-testbed.js';

const bed = new GlusterTestbed({ nodes: 4, clients: 1 });
const api = (method: string, path: string, body?: unknown, auth?: string) => bed.hub.api(method, path, body, auth);
interface Brick { serverId: string | null; name: string; online: boolean; healPending: number | null; splitBrain: number | null; usedPct: number | null }
interface Volume { name: string; bricks: Brick[]; splitBrainFiles: string[]; summary: string; healthy: boolean }
interface View { summary: string; healthy: boolean; reporter: string | null; peers: { serverId: string | null; connected: boolean }[]; volumes: Volume[]; mounts: { serverId: string; path: string; state: string }[] }
const view = async (): Promise<View> => (await api('GET', '/api/clusters/gl/gluster')).body;
const volume = async (name: string) => (await view()).volumes.find((v) => v.name === name);
const settings = (volumes: unknown[]) => ({ volumes, mountPath: bed.mountPath });
const vol0 = () => ({ name: 'vol0', brickPath: bed.brickPath, force: true });
/** Quorum and self-heal off, so writes with bricks down make a split-brain on purpose. */
const sbVolume = () => ({
  name: 'sb', brickPath: bed.brickPath, force: true,
  options: {
    'cluster.quorum-type': 'none', 'cluster.self-heal-daemon': 'off', 'cluster.data-self-heal': 'off',
    'cluster.metadata-self-heal': 'off', 'cluster.entry-self-heal': 'off',
  },
});

async function finished(id: string) {
  let last: unknown;
  return waitFor(`operation ${id} to end`, async () => {
    const op = (await api('GET', `/api/operations/${id}`)).body;
    last = op;
    return op.state !== 'running' && op.state !== 'waiting' ? op : null;
  }, 180_000).catch((e) => { throw new Error(`${e}\n${JSON.stringify(last, null, 1)}\n${bed.logs()}`); });
}

/** Starts an operation through `path` and waits for it to end; it must be done. */
async function operate(path: string, body?: unknown) {
  const r = await api('POST', path, body);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  const op = await finished(r.body.operation.id);
  expect(op.state, JSON.stringify(op, null, 1)).toBe('done');
  return op;
}

const clientMount = (v = 'vol0') => `${bed.dir}/mnt/${v}`;

const unfinished = async (): Promise<{ id: string; state: string }[]> =>
  (await api('GET', '/api/clusters/gl/operations')).body.filter((o: { state: string }) => o.state === 'running' || o.state === 'waiting');

/** `gluster ARGS` on `node` until it succeeds (glusterd refuses a command while another holds its lock). */
async function glusterOk(node: string, ...args: string[]) {
  let said = '';
  await waitFor(`gluster ${args.join(' ')} on ${node}`, async () => {
    const r = await bed.gluster(node, ...args);
    said = r.output;
    return r.code === 0;
  }, 60_000, 1000).catch((e) => { throw new Error(`${e}: ${said}`); });
}

/** After a failed test: every glusterd that ran runs again, every brick of every volume is started and shown online. */
async function repair() {
  await bed.reviveGlusterd();
  const on = bed.glusterNames.find((n) => bed.glusterdRunning(n))!;
  const volumes = (await bed.gluster(on, 'volume', 'list')).output.split('\n').map((l) => l.trim()).filter((l) => /^[\w.-]+$/.test(l));
  for (const v of volumes) await glusterOk(on, 'volume', 'start', v, 'force');
  await waitFor('every brick online again', async () => {
    const vs = (await view()).volumes;
    return volumes.every((name) => vs.find((v) => v.name === name)?.bricks.every((b) => b.online));
  }, 120_000);
}

// The browser opened by the UI test stays open: later tests watch the diagram and use the panel.
let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
let page: Page | undefined;
interface Mark { kind: string; id?: string; cluster?: string; text: string; tone: string; x: number; y: number }
const marks = async (): Promise<Mark[]> => page!.$eval('[data-testid=fleet-canvas]', (c) => JSON.parse((c as HTMLCanvasElement).dataset['marks'] ?? '[]'));
/** `server text tone` of every brick badge, and the floor's summaries, as the canvas last drew them. */
const drawn = async () => {
  const m = await marks();
  return { bricks: m.filter((x) => x.kind === 'gluster-brick').map((x) => `${x.id} ${x.text} ${x.tone}`).sort(), floor: m.filter((x) => x.kind === 'gluster-floor').map((x) => `${x.text} ${x.tone}`) };
};
/**
 * The colour just above the brick badge of `id` whose text starts with `text`, read in the same
 * page task as the marks: a frame drawn between the two (the layout still settling) would move it.
 */
const badgeColour = (id: string, text: string): Promise<number[]> => page!.$eval('[data-testid=fleet-canvas]', (el, id, text) => {
  const c = el as HTMLCanvasElement;
  const m = (JSON.parse(c.dataset['marks'] ?? '[]') as { kind: string; id?: string; text: string; x: number; y: number }[])
    .find((x) => x.kind === 'gluster-brick' && x.id === id && x.text.startsWith(text));
  if (!m) throw new Error(`no brick badge of ${id} (${text}) on the diagram`);
  const k = c.width / c.clientWidth;
  return [...c.getContext('2d')!.getImageData(Math.round(m.x * k), Math.round((m.y - 6) * k), 1, 1).data.slice(0, 3)];
}, id, text);
/** Until the badge is drawn in the colour `is` tells (a resize clears the canvas until the next frame). */
async function badgeIs(id: string, text: string, colour: string, is: (r: number, g: number, b: number) => boolean) {
  let rgb: number[] = [];
  await waitFor(`${id}'s ${text} badge ${colour} on the diagram`, async () => is(...((rgb = await badgeColour(id, text)) as [number, number, number])), 30_000)
    .catch((e) => { throw new Error(`${e} (last seen rgb ${rgb.join(', ')})`); });
}


beforeAll(async () => {
  await bed.up();
  const r = await api('POST', '/api/clusters', { name: 'gl', servers: ['gl1', 'gl2', 'gl3'], gluster: settings([vol0()]) });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
}, deadline(180_000));

afterEach(async ({ task }) => {
  // An operation a failed test left running or waiting would keep the cluster busy (409 for the next).
  for (const op of await unfinished()) {
    await api('POST', `/api/operations/${op.id}/cancel`);
    await finished(op.id);
  }
  if (task.result?.state === 'fail') {
    console.log(`--- after the failure of "${task.name}" ---\n${bed.glusterLogs()}`);
    await repair();
  }
}, deadline(300_000));

afterAll(async () => {
  try {
    await chromium?.close();
  } finally {
    await bed.down();
  }
}, deadline(120_000));

describe('Gluster in namespaces', () => {
  it('plans the role (each command per node), applies it: a started replica-3 volume with every brick online; a re-apply is a no-op', async () => {
    const plan = (await api('POST', '/api/clusters/gl/gluster/plan')).body;
    expect(plan.state).toBe('planned');
    const commands = plan.steps.map((s: { serverId: string; command: string }) => `${s.serverId}: ${s.command}`).join('\n');
    expect(commands).toContain(`gl1: gluster peer probe ${bed.node('gl2').address}\ngluster peer probe ${bed.node('gl3').address}`);
    expect(commands).toMatch(new RegExp(`gl1: gluster volume create vol0 replica 3 ${bed.node('gl1').address}:${bed.dir}/gl1/bricks/vol0-1 ${bed.node('gl2').address}:\\S+ ${bed.node('gl3').address}:\\S+ force`));
    expect(commands).toContain('gl1: gluster volume start vol0');
    await operate('/api/clusters/gl/gluster/apply');
    await waitFor('vol0 3/3 healthy', async () => (await view()).summary === 'vol0 3/3 healthy', 30_000);
    const v = await view();
    expect(v.peers.map((p) => `${p.serverId}:${p.connected}`).sort()).toEqual(['gl1:true', 'gl2:true', 'gl3:true']);
    expect((await volume('vol0'))!.bricks.map((b) => `${b.serverId}:${b.online}:${b.healPending}`)).toEqual(['gl1:true:0', 'gl2:true:0', 'gl3:true:0']);
    expect((await volume('vol0'))!.bricks[0]!.usedPct).toBeGreaterThan(0);
    const again = await api('POST', '/api/clusters/gl/gluster/apply');
    expect([again.status, again.body.operation, again.body.plan.state]).toEqual([200, null, 'none']);
  }, deadline(200_000));

  it('shows each brick\'s state on the diagram and in the Gluster panel (Chromium)', async () => {
    chromium = await launchChromium();
    page = await chromium.browser.newPage();
    page.setDefaultTimeout(deadline(30_000));
    await page.setViewport({ width: 1280, height: 1500 });
    await logIn(page, bed.hub.url, 'admin', bed.hub.adminPassword);
    await page.waitForSelector('[data-testid=gluster-panel]');
    await page.select('[data-testid=layout-select]', 'cluster');
    await waitFor('every brick ✓ and the floor healthy on the diagram', async () => {
      const d = await drawn();
      return d.bricks.join() === 'gl1 vol0 ✓ ok,gl2 vol0 ✓ ok,gl3 vol0 ✓ ok' && d.floor.join() === 'vol0 3/3 healthy ok';
    }, 30_000);
    await badgeIs('gl1', 'vol0', 'green', (r, g, b) => g > r + 40 && g > b + 40);
    expect(await page.$eval('[data-testid=gluster-summary]', (e) => e.textContent)).toMatch(/^vol0 3\/3 healthy/);
    expect(await page.$$eval('[data-testid=gluster-volume-vol0] [data-testid=gluster-brick]', (rows) => rows.map((r) => `${r.getAttribute('data-server')}:${r.getAttribute('data-online')}`))).toEqual(['gl1:true', 'gl2:true', 'gl3:true']);
    // Plan in the panel: nothing to do.
    await page.click('[data-testid=gluster-plan-make]');
    await page.waitForSelector('[data-testid=gluster-plan-none]');
  }, deadline(120_000));

  it('refuses an invalid plan before anything changes: a reused brick path, a loopback host', async () => {
    const before = (await bed.gluster('gl1', 'volume', 'list')).output;
    // vol1's bricks where vol0's are.
    expect((await api('PATCH', '/api/clusters/gl', { gluster: settings([vol0(), { name: 'vol1', brickPath: `${bed.dir}/{server}/bricks/vol0-1`, force: true }]) })).status).toBe(200);
    const reused = await api('POST', '/api/clusters/gl/gluster/apply');
    expect(reused.status).toBe(400);
    expect(reused.body.error.message).toMatch(/brick path \S+vol0-1 on gl1 is already used by volume vol0/);
    // A directory that held a brick before (a leftover .glusterfs) is refused too.
    await bed.sh('gl1', `mkdir -p ${bed.dir}/gl1/bricks/old/.glusterfs`);
    expect((await api('PATCH', '/api/clusters/gl', { gluster: settings([vol0(), { name: 'vol1', brickPath: `${bed.dir}/{server}/bricks/old`, force: true }]) })).status).toBe(200);
    const old = (await api('POST', '/api/clusters/gl/gluster/plan')).body;
    expect(old.state).toBe('invalid');
    expect(old.errors.join('\n')).toMatch(/on gl1 holds .glusterfs: it was a brick before/);
    // A server whose address is localhost.
    expect((await api('POST', '/api/servers', { id: 'lo1', name: 'lo1', type: 'filesystem', address: 'localhost' })).status).toBe(201);
    expect((await api('PATCH', '/api/clusters/gl', { addServers: ['lo1'], gluster: settings([vol0(), { name: 'vol1', brickPath: bed.brickPath, force: true }]) })).status).toBe(200);
    const loopback = await api('POST', '/api/clusters/gl/gluster/apply');
    expect(loopback.status).toBe(400);
    expect(loopback.body.error.message).toMatch(/lo1's address localhost cannot be a Gluster peer/);
    expect((await api('DELETE', '/api/servers/lo1')).status).toBe(204);
    expect((await bed.gluster('gl1', 'volume', 'list')).output).toBe(before);
    expect((await api('GET', '/api/clusters/gl/operations')).body.filter((o: { kind: string }) => o.kind === 'gluster.apply')).toHaveLength(1);
    expect((await api('PATCH', '/api/clusters/gl', { gluster: settings([vol0()]) })).status).toBe(200);
  }, deadline(120_000));

  it('mounts the volume on a server connected by a filesystem connection (fstab with a backup); files written there reach every brick', async () => {
    expect((await api('POST', '/api/connections', { from: 'client1', to: 'gl1', type: 'filesystem' })).status).toBe(201);
    await waitFor('client1 to have vol0 mounted', async () => (await view()).mounts.some((m) => m.serverId === 'client1' && m.state === 'mounted'), 60_000);
    const fstab = (await bed.sh('client1', `cat ${bed.node('client1').dir}/fstab`)).output;
    const [gl1, gl2, gl3] = ['gl1', 'gl2', 'gl3'].map((n) => bed.node(n).address);
    expect(fstab).toContain(`${gl1}:/vol0 ${clientMount()} glusterfs defaults,_netdev,backup-volfile-servers=${gl2}:${gl3} 0 0`);
    expect((await bed.sh('client1', `grep fuse.glusterfs /proc/self/mounts`)).output).toContain(clientMount());
    for (let i = 0; i < 5; i++) expect((await bed.sh('client1', `echo hello${i} > ${clientMount()}/f${i}.txt`)).code).toBe(0);
    for (const n of ['gl1', 'gl2', 'gl3']) expect((await bed.sh(n, `cat ${bed.dir}/${n}/bricks/vol0-1/f3.txt`)).output.trim()).toBe('hello3');
  }, deadline(120_000));

  it('lists a provoked split-brain and resolves it with an explicit, confirmed and audited choice', async () => {
    expect((await api('PATCH', '/api/clusters/gl', { gluster: settings([vol0(), sbVolume()]) })).status).toBe(200);
    const plan = (await api('POST', '/api/clusters/gl/gluster/plan')).body;
    expect(plan.steps.map((s: { title: string }) => s.title)).not.toContain('Create volume vol0 (replica 3)');
    await operate('/api/clusters/gl/gluster/apply');
    const sbm = clientMount('sb');
    const [gl1] = ['gl1'].map((n) => bed.node(n).address);
    onTestFinished(async () => { await bed.sh('client1', `umount ${sbm} || umount -l ${sbm}`); });
    expect((await bed.sh('client1', `mkdir -p ${sbm} && mount -t glusterfs ${gl1}:/sb ${sbm} && echo base > ${sbm}/file.txt`)).code).toBe(0);
    const brickOnline = async (node: string) => (await volume('sb'))?.bricks.find((b) => b.serverId === node)?.online;
    const kill = async (node: string) => {
      await bed.killBrick(node, 'sb');
      await waitFor(`sb's brick on ${node} to show offline`, async () => (await brickOnline(node)) === false, 30_000);
    };
    /** One `volume start sb force` starts every brick of sb that is not running; then they show online. */
    const restart = async (...nodes: string[]) => {
      await glusterOk(nodes[0]!, 'volume', 'start', 'sb', 'force');
      await waitFor(`sb's bricks on ${nodes.join(', ')} to be back`, async () => {
        for (const n of nodes) if (!(await brickOnline(n))) return false;
        return true;
      }, 60_000);
    };
    let said = '';
    const write = (text: string) => waitFor(`the client to write "${text}"`, async () => {
      const r = await bed.sh('client1', `echo ${text} > ${sbm}/file.txt`);
      said = r.output;
      return r.code === 0;
    }, 60_000, 500).catch((e) => { throw new Error(`${e}: ${said}`); });
    // The client's own log says when it (re)attaches to a brick: it retries every 3 s after one went.
    const attached = (node: string) => bed.clientAttachments('client1', sbm, `${bed.dir}/${node}/bricks/sb-1`);
    const reattached = (node: string, before: number) => waitFor(`the client to attach to ${node}'s brick`, () => attached(node) > before, 60_000)
      .catch((e) => { throw new Error(`${e}\n${bed.glusterLogs(30)}`); });
    await Promise.all(['gl1', 'gl2', 'gl3'].map((n) => reattached(n, 0)));
    const before = Object.fromEntries(['gl1', 'gl2', 'gl3'].map((n) => [n, attached(n)]));
    // gl3's copy only, then gl1's and gl2's only: each side blames the other.
    await Promise.all([kill('gl1'), kill('gl2')]);
    await write('from-gl3-the-longer-copy');
    await restart('gl1', 'gl2');
    await Promise.all([reattached('gl1', before['gl1']!), reattached('gl2', before['gl2']!)]);
    await kill('gl3');
    await write('gl1-gl2');
    await restart('gl3');
    await reattached('gl3', before['gl3']!);
    let seen: unknown;
    const listed = await waitFor('the split-brain to be listed', async () => {
      const v = await volume('sb');
      seen = v;
      return v?.splitBrainFiles.includes('/file.txt') ? v : null;
    }, 60_000).catch(async (e) => { throw new Error(`${e}\n${JSON.stringify(seen)}\n${(await bed.gluster('gl1', 'volume', 'heal', 'sb', 'info')).output}`); });
    expect(listed.summary).toMatch(/1 in split-brain/);
    expect((await view()).healthy).toBe(false);
    // Not a file in split-brain, and a brick named with the wrong choice: refused.
    expect((await api('POST', '/api/clusters/gl/gluster/split-brain', { volume: 'sb', file: '/other.txt', choice: 'bigger-file' })).status).toBe(400);
    expect((await api('POST', '/api/clusters/gl/gluster/split-brain', { volume: 'sb', file: '/file.txt', choice: 'latest-mtime', brick: listed.bricks[0]!.name })).status).toBe(400);

    // In the panel: the file listed with an explicit choice; Resolve… asks before anything runs.
    if (!page) throw new Error('the UI test did not open the browser');
    const item = '[data-testid=gluster-split-sb] [data-testid=gluster-split-file][data-file="/file.txt"]';
    await page.waitForSelector(item, { timeout: deadline(30_000) });
    expect(await page.$eval(`${item} [data-testid=gluster-split-resolve]`, (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await page.select(`${item} [data-testid=gluster-split-choice]`, 'bigger-file');
    // The answer to Resolve… (the operation as it started: running) is held back until the socket
    // has shown the question, as a slow answer would be: the panel keeps the newer copy, so the
    // question stays.
    const resolve = '/api/clusters/gl/gluster/split-brain';
    let late: Promise<void> | undefined;
    const hold = (req: HTTPRequest) => {
      if (req.isInterceptResolutionHandled()) return;
      if (req.method() !== 'POST' || !req.url().endsWith(resolve)) return void req.continue();
      late = (async () => {
        const r = await api('POST', resolve, JSON.parse(req.postData() ?? '{}'));
        await page!.waitForSelector('[data-testid=op-confirm]', { timeout: deadline(30_000) }).finally(() =>
          req.respond({ status: r.status, contentType: 'application/json', body: JSON.stringify(r.body) }));
      })();
    };
    await page.setRequestInterception(true);
    page.on('request', hold);
    try {
      await page.click(`${item} [data-testid=gluster-split-resolve]`);
      await waitFor('the Resolve… request', () => late !== undefined, 30_000);
      await late;
      // Its answer handled: the panel is no longer busy.
      await page.waitForFunction((sel: string) => (document.querySelector(sel) as HTMLButtonElement | null)?.disabled === false, { timeout: deadline(30_000) }, `${item} [data-testid=gluster-split-resolve]`);
    } finally {
      page.off('request', hold);
      await page.setRequestInterception(false);
    }
    expect(await page.$eval('[data-testid=gluster-panel] .uc-operation', (e) => e.getAttribute('data-state'))).toBe('waiting');
    expect(await page.$('[data-testid=op-confirm]')).not.toBeNull();
    const [waiting] = (await api('GET', '/api/clusters/gl/operations')).body;
    expect([waiting.kind, waiting.state]).toEqual(['gluster.split-brain', 'waiting']);
    expect(waiting.question).toMatch(/Resolve the split-brain of \/file.txt on sb: keep the bigger copy/);
    // Nothing ran before the answer.
    expect((await volume('sb'))!.splitBrainFiles).toContain('/file.txt');
    await page.screenshot({ path: join(tmpdir(), 'uc-gluster-split-brain.png'), fullPage: true });
    await page.click('[data-testid=op-confirm]');
    expect((await finished(waiting.id)).state).toBe('done');
    await waitFor('no split-brain left', async () => (await volume('sb'))!.splitBrainFiles.length === 0, 30_000);
    for (const n of ['gl1', 'gl2', 'gl3']) expect((await bed.sh(n, `cat ${bed.dir}/${n}/bricks/sb-1/file.txt`)).output.trim()).toBe('from-gl3-the-longer-copy');
    const audit = (await api('GET', '/api/backup')).body.audit.map((a: { action: string; user: string }) => `${a.user} ${a.action}`);
    expect(audit).toEqual(expect.arrayContaining(['admin gluster.split-brain.start', 'admin gluster.split-brain.confirm', 'admin gluster.split-brain.done']));
    // Self-heal back on (a replacement later heals sb too): only the options that changed are set.
    const on = { ...sbVolume(), options: { ...sbVolume().options, 'cluster.self-heal-daemon': 'on', 'cluster.data-self-heal': 'on', 'cluster.metadata-self-heal': 'on', 'cluster.entry-self-heal': 'on' } };
    expect((await api('PATCH', '/api/clusters/gl', { gluster: settings([vol0(), on]) })).status).toBe(200);
    const set = (await api('POST', '/api/clusters/gl/gluster/plan')).body;
    expect(set.steps.map((s: { command: string }) => s.command)).toEqual([[
      'gluster volume set sb cluster.self-heal-daemon on', 'gluster volume set sb cluster.data-self-heal on',
      'gluster volume set sb cluster.metadata-self-heal on', 'gluster volume set sb cluster.entry-self-heal on',
    ].join('\n')]);
    await operate('/api/clusters/gl/gluster/apply');
  }, deadline(240_000));

  it('kills a node while the client keeps writing: its brick shows offline, the backlog grows, and heals to 0 once it is back', async () => {
    await waitFor('vol0 3/3 healthy', async () => (await volume('vol0'))?.summary === 'vol0 3/3 healthy', 60_000);
    // The node that reports the status dies: another one takes over.
    const dead = (await view()).reporter!;
    const other = ['gl1', 'gl2', 'gl3'].find((n) => n !== dead)!;
    expect((await api('POST', '/api/alert-rules', { id: 'brick-offline-now', name: 'Brick offline (test)', metric: 'gluster_brick_offline', forSeconds: 0, actions: [], scope: ['gl'] })).status).toBe(201);
    await bed.killGluster(dead);
    const down = await waitFor(`${dead} offline on vol0`, async () => {
      const v = await view();
      const b = v.volumes.find((x) => x.name === 'vol0')?.bricks.find((x) => x.serverId === dead);
      return v.reporter !== dead && b && !b.online ? v : null;
    }, 60_000);
    expect(down.peers.find((p) => p.serverId === dead)?.connected).toBe(false);
    for (let i = 0; i < 20; i++) expect((await bed.sh('client1', `echo while-down-${i} > ${clientMount()}/down${i}.txt`)).code).toBe(0);
    await waitFor(`a heal backlog on ${other}`, async () => ((await volume('vol0'))!.bricks.find((b) => b.serverId === other)?.healPending ?? 0) >= 20, 60_000);
    expect((await volume('vol0'))!.summary).toMatch(/^vol0 2\/3 1 brick offline, \d+ to heal/);
    const alert = await waitFor('the brick-offline alert', async () => (await api('GET', '/api/alerts?state=firing')).body.find((a: { ruleId: string; serverId: string }) => a.ruleId === 'brick-offline-now' && a.serverId === dead), 30_000);
    expect(alert.value).toBeGreaterThanOrEqual(1);
    // The diagram: the dead node's badge red, the floor says what is wrong.
    if (!page) throw new Error('the UI test did not open the browser');
    await waitFor('the dead node\'s brick offline on the diagram', async () => {
      const d = await drawn();
      return d.bricks.some((x) => x.startsWith(`${dead} vol0 offline bad`)) && d.floor.some((x) => /^vol0 2\/3 1 brick offline.* bad$/.test(x));
    }, 30_000);
    await badgeIs(dead, 'vol0', 'red', (r, g, b) => r > g + 60 && r > b + 60);
    await page.screenshot({ path: join(tmpdir(), 'uc-gluster-node-down.png'), fullPage: true });
    await stackedShot(chromium!.browser, page, ['[data-testid=fleet-canvas]', '[data-testid=gluster-panel]'], join(tmpdir(), 'uc-gluster-doc.png'));
    const metrics = await (await fetch(`${bed.hub.url}/metrics`, { headers: { authorization: bed.hub.adminAuth } })).text();
    expect(metrics).toMatch(new RegExp(`uc_gluster_brick_up\\{cluster="gl",volume="vol0",brick="[^"]+",server="${dead}"\\} 0`));

    await bed.startGlusterd(dead);
    await waitFor('vol0 healed: 3/3 healthy, no backlog', async () => {
      const v = await volume('vol0');
      return v?.summary === 'vol0 3/3 healthy' && v.bricks.every((b) => b.healPending === 0);
    }, 120_000);
    expect((await bed.sh(dead, `cat ${bed.dir}/${dead}/bricks/vol0-1/down7.txt`)).output.trim()).toBe('while-down-7');
    await waitFor('the diagram healthy again', async () => (await drawn()).floor.includes('vol0 3/3 healthy ok'), 30_000);
    await waitFor('the alert to resolve', async () => !(await api('GET', '/api/alerts?state=firing')).body.some((a: { ruleId: string }) => a.ruleId === 'brick-offline-now'), 60_000);
  }, deadline(300_000));

  it('expands vol0 by a replica set (add-brick, rebalance with progress)', async () => {
    const files = (await bed.sh('client1', `ls ${clientMount()} | wc -l`)).output.trim();
    expect(Number(files)).toBeGreaterThan(0);
    const op = await operate('/api/clusters/gl/gluster/expand', { volume: 'vol0', servers: ['gl1', 'gl2', 'gl3'] });
    const rebalance = op.steps.find((s: { action: string }) => s.action === 'rebalance-wait');
    expect(rebalance.detail).toMatch(/^rebalance completed: \d+ files/);
    const v = await waitFor('6 bricks online', async () => {
      const x = await volume('vol0');
      return x?.bricks.length === 6 && x.bricks.every((b) => b.online) ? x : null;
    }, 30_000);
    expect(v.bricks.map((b) => b.name.split('/').pop())).toEqual(['vol0-1', 'vol0-1', 'vol0-1', 'vol0-2', 'vol0-2', 'vol0-2']);
    expect((await bed.sh('client1', `ls ${clientMount()} | wc -l`)).output.trim()).toBe(files);
  }, deadline(240_000));

  it('replaces a dead node\'s bricks with a new node\'s (then heals), refuses to remove a peer with bricks, then removes it', async () => {
    const files = (await bed.sh('client1', `ls ${clientMount()} | grep -c txt`)).output.trim();
    expect(Number(files)).toBeGreaterThan(0);
    expect((await api('PATCH', '/api/clusters/gl', { addServers: ['gl4'] })).status).toBe(200);
    await bed.killGluster('gl3');
    await waitFor('gl3 offline', async () => !(await view()).peers.find((p) => p.serverId === 'gl3')?.connected, 30_000);
    const refused = await api('POST', '/api/clusters/gl/gluster/remove-peer', { serverId: 'gl3' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/gl3 still holds bricks of (sb, vol0|vol0, sb)/);
    const op = await operate('/api/clusters/gl/gluster/replace', { from: 'gl3', to: 'gl4' });
    expect(op.steps.map((s: { title: string }) => s.title)).toEqual(expect.arrayContaining([expect.stringMatching(/^Probe /), expect.stringMatching(/^Move \S+vol0-1 to gl4$/), 'Heal vol0 onto gl4']));
    const v = await waitFor('gl4\'s two bricks online', async () => {
      const x = await volume('vol0');
      return x?.bricks.filter((b) => b.serverId === 'gl4' && b.online).length === 2 ? x : null;
    }, 30_000);
    expect(v!.bricks.some((b) => b.serverId === 'gl3')).toBe(false);
    expect((await bed.sh('gl4', `ls ${bed.dir}/gl4/bricks/vol0-1 ${bed.dir}/gl4/bricks/vol0-2 | grep -c txt`)).output.trim()).toBe(files);
    await operate('/api/clusters/gl/gluster/remove-peer', { serverId: 'gl3' });
    await waitFor('gl3 gone from the pool', async () => !(await view()).peers.some((p) => p.serverId === 'gl3'), 30_000);
  }, deadline(300_000));

  it('starts a self-heal daemon that died (as one can when a brick is replaced, glusterfs issue #4644) before it asks for a heal', async () => {
    await bed.killSelfHeal('gl2');
    // As glusterd leaves it: every heal refused, since it does not start the daemon again by itself.
    await waitFor('a heal refused for want of gl2\'s self-heal daemon', async () => /Self-heal daemon is not running/.test((await bed.gluster('gl1', 'volume', 'heal', 'vol0')).output), 30_000);
    const applier = new GlusterApplier({ ...glusterPaths({}), bin: bed.cliIn('gl1') });
    const said: string[] = [];
    await applier.run({ op: 'heal', volume: 'vol0', full: true }, (line) => said.push(line));
    expect(said.join('\n')).toMatch(/a self-heal daemon is not running .*gluster volume start vol0 force starts it\ngluster volume heal vol0 full$/);
    expect((await bed.gluster('gl1', 'volume', 'heal', 'vol0')).code).toBe(0);
  }, deadline(120_000));

  it('makes a directory on the volume and makes sure a set of servers mount it (for Virtualmin)', async () => {
    const r = await api('POST', '/api/clusters/gl/gluster/directories', { path: 'example.com/public_html', mode: 0o750, uid: 33, gid: 33 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect((await bed.sh('client1', `stat -c '%a %u %g' ${clientMount()}/example.com/public_html`)).output.trim()).toBe('750 33 33');
    const m = await api('POST', '/api/clusters/gl/gluster/mounts', { servers: ['client1'] });
    expect([m.status, m.body.mounts]).toEqual([200, [{ serverId: 'client1', path: clientMount() }]]);
    // Removing the connection unmounts it and takes it out of fstab (the previous fstab is kept).
    expect((await api('DELETE', '/api/connections', { from: 'client1', to: 'gl1' })).status).toBe(204);
    await waitFor('the client to unmount', async () => !(await bed.sh('client1', 'grep fuse.glusterfs /proc/self/mounts')).output.includes(clientMount()), 60_000);
    await waitFor('fstab without the mount', async () => !(await bed.sh('client1', `cat ${bed.node('client1').dir}/fstab`)).output.includes('glusterfs'), 30_000);
    expect((await bed.sh('client1', `cat ${bed.node('client1').dir}/fstab.uc-previous`)).output).toContain(`${clientMount()} glusterfs`);
  }, deadline(180_000));
});
