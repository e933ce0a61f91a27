import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Debian's Chromium; `RNN_CHROMIUM` points elsewhere. Playwright cannot download one here. */
const CHROMIUM = process.env.RNN_CHROMIUM ?? '/usr/bin/chromium';
const REQUIRED = (process.env.CI ?? '') !== '' || (process.env.RNN_BROWSER_REQUIRED ?? '') !== '';
/** Without CI a missing Chromium skips; under CI (or with RNN_BROWSER_REQUIRED) the test runs and fails. */
const SKIP = !existsSync(CHROMIUM) && !REQUIRED;
const ITERATIONS = Number(process.env.RNN_WEB_ITERATIONS ?? 300);
const DEMO_DIR = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(DEMO_DIR, 'dist-web');
/**
 * Where the test leaves its screenshot: `artifacts/` (ignored by git), so a test run never
 * changes the tree. `RNN_UPDATE_SCREENSHOT=1` writes the README's `docs/images/demo-web.png`.
 */
const SCREENSHOT = fileURLToPath(
  new URL(process.env['RNN_UPDATE_SCREENSHOT'] === '1' ? '../../../docs/images/demo-web.png' : '../../../artifacts/demo-web.png', import.meta.url),
);
const FLAGS = [
  '--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png' };

interface RunView {
  status: string;
  mode: string;
  losses: [number, number][];
  heldOut: [number, number][];
  heatmapDrawn: boolean;
  firstSample: string;
  firstSampleCpu: string;
  heldOutFinal: number | null;
  seconds: number | null;
  error: string | null;
}

interface StateView {
  available: string[];
  unavailable: Record<string, string>;
  runs: Record<string, RunView>;
  baseline: number | null;
}

/** Serves the built page from dist-web on a free 127.0.0.1 port. */
async function serve(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(join(DIST, decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')));
    const file = path.endsWith('/') || path === DIST ? join(path, 'index.html') : path;
    if (!file.startsWith(DIST)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

function state(page: Page): Promise<StateView> {
  return page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { demoState: unknown }).demoState)) as StateView);
}

/** Pixels of the heatmap canvas that are not the white background, and how many distinct colours they have. */
function heatmapInk(page: Page): Promise<{ ink: number; colours: number }> {
  return page.evaluate(() => {
    const canvas = document.getElementById('heatmap') as HTMLCanvasElement;
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
    let ink = 0;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i] ?? 255, data[i + 1] ?? 255, data[i + 2] ?? 255];
      if (r < 240 || g < 240 || b < 240) {
        ink++;
        colours.add((r << 16) | (g << 8) | b);
      }
    }
    return { ink, colours: colours.size };
  });
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

describe.skipIf(SKIP)(`the demo page in Chromium${SKIP ? ` (skipped: no Chromium at ${CHROMIUM}; set CI or RNN_BROWSER_REQUIRED to fail instead)` : ''}`, () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    await build({ configFile: join(DEMO_DIR, 'vite.config.ts'), logLevel: 'warn' });
    const served = await serve();
    server = served.server;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.goto(served.url);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
  });

  it(`trains ${ITERATIONS} iterations on every backend the browser offers: the loss falls and the gates are drawn`, async () => {
    const { available, unavailable } = await state(page);
    console.log(`backends offered: ${available.join(', ')}; unavailable: ${JSON.stringify(unavailable)}`);
    expect(available).toContain('cpu');
    for (const backend of available) {
      await page.selectOption('#backend', backend);
      await page.fill('#iterations', String(ITERATIONS));
      await page.click('#train');
      await page.waitForFunction((b) => {
        const run = (window as unknown as { demoState: StateView }).demoState.runs[b];
        return run !== undefined && run.status !== 'running';
      }, backend, { timeout: 480_000, polling: 500 });
      const run = (await state(page)).runs[backend];
      expect(run?.error ?? null, `${backend}: error`).toBeNull();
      expect(run?.status).toBe('done');
      const losses = run!.losses.map(([, l]) => l);
      const first = mean(losses.slice(0, 3));
      const last = mean(losses.slice(-10));
      console.log(`${backend} (${run!.mode}): loss ${first.toFixed(3)} → ${last.toFixed(3)}, held-out ${run!.heldOutFinal?.toFixed(3)}, ${run!.seconds?.toFixed(1)} s; first sample ${JSON.stringify(run!.firstSample)} (CPU ${JSON.stringify(run!.firstSampleCpu)})`);
      expect(losses.length).toBeGreaterThan(20);
      expect(last, `${backend}: the training loss falls`).toBeLessThan(first - 0.5);
      expect(run!.heldOut.length).toBeGreaterThan(0);
      expect(run!.heatmapDrawn, `${backend}: heatmap drawn`).toBe(true);
      const { ink, colours } = await heatmapInk(page);
      expect(ink, `${backend}: heatmap pixels`).toBeGreaterThan(5000);
      expect(colours, `${backend}: heatmap colours`).toBeGreaterThan(30);
      expect(await page.textContent('#seed-note')).toMatch(/first sample/);
    }
    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  }, 1_500_000);
});
