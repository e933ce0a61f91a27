import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import type { DemoState, RunState } from '../web/state.js';

// What the page's Chromium tests share: the production build (Vite, minified, as `build:web`
// makes it, into a folder of its own so test files can build at once), a server that records
// every failed request, Chromium with the flags its WebGPU needs, and reads of `window.demoState`.

/** Debian's Chromium; `RNN_CHROMIUM` points elsewhere. Playwright cannot download one here. */
export const CHROMIUM = process.env.RNN_CHROMIUM ?? '/usr/bin/chromium';
const REQUIRED = (process.env.CI ?? '') !== '' || (process.env.RNN_BROWSER_REQUIRED ?? '') !== '';
/** Why the page's tests skip: no Chromium outside CI (under CI, or with RNN_BROWSER_REQUIRED, they run and fail). */
export const SKIP = !existsSync(CHROMIUM) && !REQUIRED ? `no Chromium at ${CHROMIUM}; set CI or RNN_BROWSER_REQUIRED to fail instead` : undefined;

const DEMO_DIR = fileURLToPath(new URL('..', import.meta.url));
const FLAGS = [
  '--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

/** A served production build of the page in Chromium. */
export interface PageSession {
  readonly url: string;
  readonly browser: Browser;
  /** Requests the server answered with 4xx or 5xx, as `404 /favicon.ico`. */
  readonly failed: string[];
  /** Errors the page threw. */
  readonly pageErrors: string[];
  /** Opens a fresh page at `viewport` and waits for it to have found its backends. */
  open(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** Builds the page with its own Vite config (production: minified) into a fresh folder, serves it and launches Chromium. */
export async function startPageSession(): Promise<PageSession> {
  const dist = await mkdtemp(join(tmpdir(), 'rnn-demo-web-'));
  await build({ configFile: join(DEMO_DIR, 'vite.config.ts'), logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });
  const failed: string[] = [];
  const pageErrors: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0] ?? '/';
    const path = normalize(join(dist, decodeURIComponent(url)));
    const file = path.endsWith('/') || path === dist ? join(path, 'index.html') : path;
    const refuse = (code: number): void => {
      failed.push(`${code} ${url}`);
      res.writeHead(code).end();
    };
    if (!file.startsWith(dist)) return refuse(403);
    readFile(file).then((body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body), () => refuse(404));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  return {
    url, browser, failed, pageErrors,
    async open(viewport = { width: 1200, height: 1000 }) {
      const page = await browser.newPage({ viewport, acceptDownloads: true });
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(url);
      await page.waitForFunction(() => document.body.dataset.ready === 'true');
      return page;
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await rm(dist, { recursive: true, force: true });
    },
  };
}

/** A copy of `window.demoState`. */
export function demoState(page: Page): Promise<DemoState> {
  return page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { demoState: unknown }).demoState)) as DemoState);
}

/** The run with this id. */
export async function runOf(page: Page, id: number): Promise<RunState> {
  const run = (await demoState(page)).runs.find((r) => r.id === id);
  if (run === undefined) throw new Error(`the page has no run #${id}`);
  return run;
}

/** The training form's fields, as typed. */
export interface TrainFields {
  readonly backend?: string;
  readonly cell?: string;
  readonly layers?: string;
  readonly hidden?: string;
  readonly iterations?: string;
  readonly seed?: string;
}

/** Fills the training form; fields not given keep what they hold. */
export async function fillTraining(page: Page, fields: TrainFields): Promise<void> {
  if (fields.backend !== undefined) await page.selectOption('#backend', fields.backend);
  if (fields.cell !== undefined) await page.selectOption('#cell', fields.cell);
  for (const id of ['layers', 'hidden', 'iterations', 'seed'] as const) {
    const value = fields[id];
    if (value !== undefined) await page.fill(`#${id}`, value);
  }
}

/** Waits until run `id` is no longer starting, running or stopping, and returns it. */
export async function waitForEnd(page: Page, id: number, timeout = 480_000): Promise<RunState> {
  await page.waitForFunction((runId) => {
    const run = (window as unknown as { demoState: DemoState }).demoState.runs.find((r) => r.id === runId);
    return run !== undefined && !['starting', 'running', 'stopping'].includes(run.status);
  }, id, { timeout, polling: 250 });
  return runOf(page, id);
}

/** Presses Train and returns the id of the run it started (the page adds it at once). */
export async function pressTrain(page: Page): Promise<number> {
  const before = (await demoState(page)).runs.length;
  await page.click('#train');
  const runs = (await demoState(page)).runs;
  const run = runs[runs.length - 1];
  if (runs.length !== before + 1 || run === undefined) throw new Error(`Train started no run (${runs.length} runs, ${before} before)`);
  return run.id;
}

/** Fills the form, presses Train, waits for the run to end and returns it. */
export async function trainRun(page: Page, fields: TrainFields, timeout?: number): Promise<RunState> {
  await fillTraining(page, fields);
  return waitForEnd(page, await pressTrain(page), timeout);
}

/** The mean of some numbers. */
export const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/** A page session that a `describe` block shares: started before its tests, closed after them. */
export interface SharedPage {
  /** The session (throws before `beforeAll` ran). */
  readonly session: PageSession;
  /** The page opened at the start (throws before `beforeAll` ran). */
  readonly page: Page;
}

/** Registers `beforeAll` / `afterAll` hooks that start a page session, open one page at `viewport`, and close them. */
export function sharedPage(viewport?: { width: number; height: number }): SharedPage {
  let session: PageSession | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    session = await startPageSession();
    page = await session.open(viewport);
  }, 180_000);
  afterAll(async () => {
    await session?.close();
  });
  return {
    get session() {
      if (session === undefined) throw new Error('the page session has not started');
      return session;
    },
    get page() {
      if (page === undefined) throw new Error('the page has not been opened');
      return page;
    },
  };
}

/** What is drawn on a canvas: pixels that are not white (or, given a colour, near it), their colours, and where they lie in CSS pixels. */
export interface Ink {
  readonly ink: number;
  readonly colours: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  /** The canvas's width in CSS pixels. */
  readonly width: number;
}

/** The ink of `#id` (a canvas): every non-white pixel, or only those within 12 of `colour` (`#rrggbb`) in each channel. */
export function canvasInk(page: Page, id: string, colour?: string): Promise<Ink> {
  return page.evaluate(({ canvasId, hex }) => {
    const canvas = document.getElementById(canvasId) as HTMLCanvasElement;
    const { data, width, height } = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height) ?? { data: new Uint8ClampedArray(), width: 0, height: 0 };
    const want = hex === null ? undefined : [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
    let ink = 0;
    let left = Number.POSITIVE_INFINITY;
    let right = Number.NEGATIVE_INFINITY;
    let top = Number.POSITIVE_INFINITY;
    const colours = new Set<number>();
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = 4 * (y * width + x);
        const [r, g, b] = [data[i] ?? 255, data[i + 1] ?? 255, data[i + 2] ?? 255];
        const drawn = want === undefined ? r < 240 || g < 240 || b < 240 : [r, g, b].every((v, k) => Math.abs(v - (want[k] ?? 0)) <= 12);
        if (!drawn) continue;
        ink++;
        colours.add((r << 16) | (g << 8) | b);
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
      }
    }
    const ratio = window.devicePixelRatio;
    return { ink, colours: colours.size, left: left / ratio, right: right / ratio, top: top / ratio, width: width / ratio };
  }, { canvasId: id, hex: colour ?? null });
}
