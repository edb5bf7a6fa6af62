/**
 * Layout quality in Chromium, from the scene's own geometry (the world positions, floor boxes and
 * placed names the renderer publishes on the canvas): generated fleets of 3, 7, 20 and 50 servers
 * with clusters, in every layout, after the view fitted them: no two blocks overlap, no cluster
 * floor covers a server that is not a member, every name is drawn whole and apart from the others,
 * and everything is inside the view. Also: servers not reporting look washed out, and a line the
 * probe has nothing on is never blue. `UC_SHOTS=dir` keeps a picture of every fleet and layout.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Hub, startHub, waitFor, deadline } from '../../agent/test/harness.js';
import { LAYOUTS } from '../src/canvas/layouts.js';
import { canvasData, canvasPixel, launchChromium, logIn } from './browser.js';
import { type FloorBox, type LabelBox, problems } from './scene-checks.js';

interface Block { id: string; status: string; x: number; y: number; lx: number; ly: number; fx: number; fy: number; wx: number; wy: number }
type Rgb = [number, number, number];

const SHOTS = process.env['UC_SHOTS'] ?? join(tmpdir(), 'uc-layout-shots');
const TYPES = ['loadbalancer', 'web', 'web', 'database', 'cache', 'dns', 'monitoring', 'web', 'database', 'filesystem', 'backup', 'security'] as const;
const SHORT: Record<string, string> = { loadbalancer: 'lb', web: 'web', database: 'db', cache: 'cache', dns: 'dns', monitoring: 'mon', filesystem: 'fs', backup: 'backup', security: 'sec' };

/** A fleet of `n` as an export document: realistic names, three regions, clusters of several sizes (one server in two), a few connections. */
function fleet(n: number) {
  const servers = Array.from({ length: n }, (_, i) => {
    const type = TYPES[i % TYPES.length]!;
    const id = `${SHORT[type]}-${i + 1}`;
    return { id, name: id, type, address: `192.0.2.${i + 1}`, region: ['eu-west', 'us-east', 'ap-south'][i % 3]!, labels: {}, ports: [] };
  });
  const ids = servers.map((s) => s.id);
  const clusters = [{ name: 'shop', servers: ids.slice(0, Math.max(2, Math.ceil(n / 5))) }];
  if (n >= 7) clusters.push({ name: 'data', servers: ids.slice(Math.ceil(n / 5), Math.ceil(n / 5) + Math.max(2, Math.floor(n / 6))) });
  if (n >= 20) clusters.push({ name: 'edge', servers: [ids[n - 1]!, ids[n - 2]!, ids[1]!] });
  const connections = ids.slice(1, Math.min(n, 6)).map((to) => ({ id: `${ids[0]}:${to}`, from: ids[0]!, to, type: 'http' as const }));
  return { format: 'unlimited-cluster', version: 1, servers, connections, clusters, layout: {} };
}

let hub: Hub;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const pageErrors: string[] = [];

const frames = () => page.$eval('[data-testid=fleet-canvas]', (c) => Number((c as HTMLCanvasElement).dataset['frames']));
/** Waits until the canvas has no tiles pending and draws no more: the view has settled. */
async function settled() {
  let last = -1;
  await waitFor('the canvas to settle', async () => {
    const f = await frames();
    const still = f === last && (await canvasData(page, 'pending', 1)) === 0;
    last = f;
    return still;
  }, 20_000, 150);
}
const pixel = (x: number, y: number) => canvasPixel(page, x, y);

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  hub = await startHub();
  chromium = await launchChromium();
  page = await chromium.browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await logIn(page, hub.url, 'admin', hub.adminPassword);
}, 90_000);

afterAll(async () => {
  await chromium?.close();
  await hub?.stop();
  console.log(`layout screenshots: ${SHOTS}`);
});

describe('layout quality at every size', () => {
  for (const n of [3, 7, 20, 50]) {
    it(`${n} servers: every layout keeps blocks apart, floors to their members, names whole and apart, all in view`, async () => {
      const doc = fleet(n);
      expect((await hub.api('POST', '/api/import', doc)).status).toBe(200);
      await page.waitForFunction((n) => document.querySelector<HTMLCanvasElement>('[data-testid=fleet-canvas]')?.dataset['count'] === String(n), { timeout: deadline(30_000) }, n);
      const members = new Map(doc.clusters.map((c) => [c.name, c.servers]));
      const size = await page.$eval('[data-testid=fleet-canvas]', (c) => ({ w: c.clientWidth, h: c.clientHeight }));
      let previous = '';
      for (const kind of LAYOUTS) {
        await page.select('[data-testid=layout-select]', kind);
        // A new layout re-fits the view: the transform changes with it (or the layout is the same picture).
        await waitFor(`the ${kind} layout`, async () => JSON.stringify(await canvasData(page, 'blocks', [])) !== previous, 20_000);
        await settled();
        const blocks = await canvasData<Block[]>(page, 'blocks', []);
        previous = JSON.stringify(blocks);
        const floors = await canvasData<FloorBox[]>(page, 'floors', []);
        const labels = await canvasData<LabelBox[]>(page, 'labels', []);
        const where = `${n} servers, ${kind}`;
        await (await page.$('.uc-canvas-box'))!.screenshot({ path: join(SHOTS, `fleet-${n}-${kind}.png`) });
        expect(blocks, where).toHaveLength(n);
        expect(problems(blocks, floors, members), where).toEqual([]);
        // Every server and every cluster is named, in full, with no name over another.
        const names = labels.filter((l) => l.kind === 'server');
        expect(names.map((l) => l.key).sort(), where).toEqual(doc.servers.map((s) => s.id).sort());
        expect(names.filter((l) => !l.full || l.text !== l.key).map((l) => l.key), `${where}: shortened names`).toEqual([]);
        expect(labels.filter((l) => l.kind === 'cluster').map((l) => l.key).sort(), where).toEqual([...members.keys()].sort());
        for (let i = 0; i < labels.length; i++) {
          for (let j = i + 1; j < labels.length; j++) {
            const a = labels[i]!, b = labels[j]!;
            expect(a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h, `${where}: names ${a.key} and ${b.key} overlap`).toBe(false);
          }
        }
        // Everything inside the view: blocks (their top and their plate) and names.
        for (const b of blocks) expect(b.x >= 0 && b.x <= size.w && b.y >= 0 && b.ly <= size.h, `${where}: ${b.id} outside the view`).toBe(true);
        for (const l of labels) expect(l.x >= 0 && l.x + l.w <= size.w && l.y >= 0 && l.y + l.h <= size.h, `${where}: the name ${l.key} outside the view`).toBe(true);
      }
    });
  }

  it('draws servers not reporting washed out, and a line without a probe result never blue', async () => {
    // The last fleet: no agent reports for any server; lb-1 → web-2 is an http line nobody probes.
    await page.select('[data-testid=layout-select]', 'grid');
    await settled();
    const blocks = await canvasData<Block[]>(page, 'blocks', []);
    const lb = blocks.find((b) => b.id === 'lb-1')!, web = blocks.find((b) => b.id === 'web-2')!;
    expect(lb.status).toBe('unknown');
    // The top face: a washed-out red, far from the load-balancer red (244, 67, 54) a reporting one shows.
    const [r, g, b] = await pixel(lb.x, lb.y);
    expect(Math.max(r, g, b) - Math.min(r, g, b), `rgb(${r},${g},${b}) is a strong colour`).toBeLessThan(100);
    expect(g, `rgb(${r},${g},${b})`).toBeGreaterThan(120);
    // Along the line between the two floor centres, away from the blocks: no blue pixel anywhere.
    const blue = ([r, g, b]: Rgb) => b > 180 && b > r + 60 && b > g + 20;
    for (let t = 0.3; t <= 0.7; t += 0.02) {
      const p = await pixel(lb.fx + t * (web.fx - lb.fx), lb.fy + t * (web.fy - lb.fy));
      expect(blue(p), `rgb(${p.join(',')}) on the unprobed line looks live`).toBe(false);
    }
  });

  it('threw no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
