import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import type { RequestedMode } from '../gpu-runtime.js';
import type { BrowserReport } from './browser-vectors.js';

/** Debian's Chromium; `RNN_CHROMIUM` points elsewhere. Playwright cannot download one here. */
export const CHROMIUM = process.env['RNN_CHROMIUM'] ?? '/usr/bin/chromium';
/** Whether Chromium is installed where `CHROMIUM` says. */
export const HAS_CHROMIUM = existsSync(CHROMIUM);
const set = (name: string): boolean => (process.env[name] ?? '') !== '';
/** `CI` (or `RNN_BROWSER_REQUIRED`, which `.ci/run` sets) makes a missing Chromium a failure. */
const IN_CI = set('CI') || set('RNN_BROWSER_REQUIRED');
/** Without CI a missing Chromium skips with this reason; under CI the tests run and fail. */
export const SKIP = !HAS_CHROMIUM && !IN_CI ? `Chromium not found at ${CHROMIUM}` : undefined;

const BASE_FLAGS = ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

/** The browser modes the tests run in, each with the Chromium flags it needs. */
export const BROWSER_MODES: readonly (readonly [RequestedMode, readonly string[]])[] = [['webgl2', []], ['webgpu', WEBGPU_FLAGS]];

/**
 * The page imports `@rnn/tensor/testing` (for `compareClose` and the sizes), whose module also
 * holds the vitest suite; bundlers resolve `vitest` to this stub, which throws if ever called.
 */
export const VITEST_STUB = "const absent = () => { throw new Error('vitest is not part of the browser page'); };\n"
  + 'export { absent as afterAll, absent as beforeAll, absent as describe, absent as expect, absent as it };';

/** A file the page server answers with. */
export interface Served {
  readonly type: string;
  readonly body: string | Uint8Array;
}

/** Serves `files(path)` (404 when it gives `undefined`) on a free 127.0.0.1 port. */
export async function servePage(files: (path: string) => Promise<Served | undefined>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    files((req.url ?? '/').split('?')[0] ?? '/').then(
      (file) => (file === undefined ? res.writeHead(404).end() : res.writeHead(200, { 'content-type': file.type }).end(file.body)),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

function isBrowserReport(value: unknown): value is BrowserReport {
  return typeof value === 'object' && value !== null && 'mode' in value && typeof value.mode === 'string' && 'results' in value && Array.isArray(value.results);
}

/**
 * Opens `url` in headless Chromium with the flags of `mode`, waits for the page to expose
 * `runBrowserVectors` and returns its report, with the errors the page threw.
 */
export async function runVectorsInChromium(url: string, mode: RequestedMode, flags: readonly string[]): Promise<{ report: BrowserReport; pageErrors: string[] }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...BASE_FLAGS, ...flags] });
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.waitForFunction('typeof runBrowserVectors === "function"', undefined, { timeout: 20_000 }).catch((cause: unknown) => {
      throw new Error(`the page never exposed runBrowserVectors (page errors: ${JSON.stringify(pageErrors)})`, { cause });
    });
    const report: unknown = await page.evaluate(`runBrowserVectors(${JSON.stringify(mode)})`);
    if (!isBrowserReport(report)) throw new Error(`the page returned ${JSON.stringify(report)}`);
    return { report, pageErrors };
  } finally {
    await browser.close();
  }
}
