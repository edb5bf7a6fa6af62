/** Debian's Chromium for the UI tests: a fresh profile, no network of its own, and signing in through the form. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { deadline } from '../../agent/test/harness.js';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run "bash build/test-deps.sh" as root (npm test does)`);
  const profile = mkdtempSync(join(tmpdir(), 'uc-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
  });
  return { browser, async close() { await browser.close(); rmSync(profile, { recursive: true, force: true }); } };
}

/** Opens the hub's page, signs in and waits until the live view says "Live". */
export async function logIn(page: Page, url: string, user: string, password: string): Promise<void> {
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=login-form]');
  await page.type('[data-testid=login-username]', user);
  await page.type('[data-testid=login-password]', password);
  await page.click('[data-testid=login-submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=link-state]')?.textContent === 'Live', { timeout: deadline(30_000) });
}

/** A data attribute of the fleet canvas, parsed. */
export const canvasData = <T>(page: Page, key: string, fallback: T) =>
  page.$eval('[data-testid=fleet-canvas]', (c, key, fallback) => {
    const v = (c as HTMLCanvasElement).dataset[key];
    return v === undefined ? fallback : JSON.parse(v);
  }, key, fallback as unknown) as Promise<T>;

/** The colour of a canvas pixel (CSS coordinates from the canvas' top-left corner). */
export const canvasPixel = (page: Page, x: number, y: number) => page.$eval('[data-testid=fleet-canvas]', (el, x, y) => {
  const c = el as HTMLCanvasElement;
  const k = c.width / c.clientWidth;
  const d = c.getContext('2d')!.getImageData(Math.round(x * k), Math.round(y * k), 1, 1).data;
  return [d[0], d[1], d[2]] as [number, number, number];
}, x, y);

/** Pictures of `selectors` on `page`, one under the other, as one PNG at `path` (a panel below the diagram, without what lies between). */
export async function stackedShot(browser: Browser, page: Page, selectors: string[], path: string): Promise<void> {
  const images: string[] = [];
  for (const s of selectors) {
    const el = await page.$(s);
    if (!el) throw new Error(`nothing to picture at ${s}`);
    images.push((await el.screenshot({ encoding: 'base64' })) as string);
  }
  const doc = await browser.newPage();
  try {
    await doc.setViewport({ width: 1280, height: 800 });
    await doc.setContent(`<body style="margin:0;background:#eef2f6">${images.map((b) => `<img src="data:image/png;base64,${b}" style="display:block;width:1240px;margin:20px">`).join('')}</body>`);
    await doc.screenshot({ path, fullPage: true });
  } finally {
    await doc.close();
  }
}
