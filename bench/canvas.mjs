#!/usr/bin/env node
/**
 * bench:canvas: the fleet renderer in headless Chromium (software rendering, as on this machine)
 * at 1,000, 10,000 and 50,000 servers, each with as many connections, while panning across the
 * whole fleet, zooming in to sprites, panning close up and zooming out (120 frames each).
 * Prints per-size detail, then the frame-time percentiles as one JSON object on the last line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import puppeteer from 'puppeteer';

const root = new URL('..', import.meta.url).pathname;
const SIZES = [1000, 10000, 50000];
const CHROMIUM = '/usr/bin/chromium';

const out = await build({
  entryPoints: [`${root}bench/canvas-page.ts`], bundle: true, write: false, format: 'iife', target: 'es2022', logLevel: 'warning',
});
const script = out.outputFiles[0].text;
const profile = mkdtempSync(join(tmpdir(), 'uc-bench-canvas-'));
const browser = await puppeteer.launch({
  executablePath: CHROMIUM, headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
});
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10; };
const p50 = {}, p90 = {};
try {
  for (const n of SIZES) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800, deviceScaleFactor: 1 });
    await page.setContent('<!doctype html><body style="margin:0"><canvas style="display:block;width:1280px;height:800px"></canvas></body>');
    await page.addScriptTag({ content: script });
    const r = await page.evaluate((n) => window.runBench(n), n);
    // SHOTS=dir keeps a picture of each fleet as the last frame left it.
    if (process.env.SHOTS) await page.screenshot({ path: join(process.env.SHOTS, `canvas-${n}.png`) });
    p50[n] = pct(r.frames, 50);
    p90[n] = pct(r.frames, 90);
    if (process.env.DETAIL) console.log(JSON.stringify(r.lods));
    console.log(`${n} servers: setup ${Math.round(r.setupMs)} ms, frames ${r.frames.length}, p50 ${p50[n]} ms, p90 ${p90[n]} ms, max ${pct(r.frames, 100)} ms`);
    await page.close();
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify({ p50Ms: p50, p90Ms: p90 }));
