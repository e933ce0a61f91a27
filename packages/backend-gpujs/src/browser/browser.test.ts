import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserReport } from './browser-vectors.js';

/** Debian's Chromium; `RNN_CHROMIUM` points elsewhere. Playwright cannot download one here. */
const CHROMIUM = process.env['RNN_CHROMIUM'] ?? '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const set = (name: string): boolean => (process.env[name] ?? '') !== '';
/** `CI` (or `RNN_BROWSER_REQUIRED`, which `.ci/run` sets) makes a missing Chromium a failure. */
const IN_CI = set('CI') || set('RNN_BROWSER_REQUIRED');
/** Without CI a missing Chromium skips with this reason; under CI the tests run and fail. */
const SKIP = !HAS_CHROMIUM && !IN_CI ? `Chromium not found at ${CHROMIUM}` : undefined;

const BASE_FLAGS = ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

function isBrowserReport(value: unknown): value is BrowserReport {
  return typeof value === 'object' && value !== null && 'mode' in value && typeof value.mode === 'string' && 'results' in value && Array.isArray(value.results);
}

/**
 * The page uses `compareClose` and the sizes from `@rnn/tensor/testing`, whose module also
 * holds the vitest suite; vitest's names resolve to a stub that throws if ever called.
 */
const vitestStub: Plugin = {
  name: 'vitest-stub',
  setup(b) {
    b.onResolve({ filter: /^vitest$/ }, () => ({ path: 'vitest', namespace: 'vitest-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'vitest-stub' }, () => ({
      contents: "const absent = () => { throw new Error('vitest is not part of the browser page'); };\n"
        + 'export { absent as afterAll, absent as beforeAll, absent as describe, absent as expect, absent as it };',
    }));
  },
};

/** Bundles `browser-entry.ts` (our packages from source, gpu.js's browser build) and serves it with a page on a free localhost port. */
async function servePage(): Promise<{ server: Server; url: string }> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./browser-entry.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@rnn/source'],
    plugins: [vitestStub],
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  const page = '<!doctype html><meta charset="utf-8"><title>gpujs</title><script type="module" src="/bundle.js"></script>';
  const server = createServer((req, res) => {
    const js = req.url === '/bundle.js';
    res.writeHead(js || req.url === '/' ? 200 : 404, { 'content-type': js ? 'text/javascript' : 'text/html' });
    res.end(js ? script : page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

describe.skipIf(SKIP !== undefined)(`gpujs in Chromium${SKIP === undefined ? '' : ` (skipped: ${SKIP})`}`, () => {
  let served: { server: Server; url: string };
  beforeAll(async () => {
    served = await servePage();
  }, 60_000);
  afterAll(() => new Promise<void>((resolve) => served?.server.close(() => resolve())));

  for (const [mode, flags] of [['webgl2', []], ['webgpu', WEBGPU_FLAGS]] as const) {
    it(`runs every kernel in ${mode} and matches the CPU backend`, async () => {
      expect(HAS_CHROMIUM, `CI is set but Chromium is missing at ${CHROMIUM}`).toBe(true);
      const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...BASE_FLAGS, ...flags] });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(served.url);
        await page.waitForFunction('typeof runBrowserVectors === "function"', undefined, { timeout: 20_000 });
        const report: unknown = await page.evaluate(`runBrowserVectors(${JSON.stringify(mode)})`);
        expect(errors).toEqual([]);
        if (!isBrowserReport(report)) throw new Error(`the page returned ${JSON.stringify(report)}`);
        console.info(`Chromium: gpujs ran in mode '${report.mode}', ${report.results.length} comparisons`);
        expect(report.mode).toBe(mode);
        const failed = report.results.filter((r) => !r.ok).map((r) => `${r.label}: ${r.message}`);
        expect(failed).toEqual([]);
        expect(report.results.length).toBeGreaterThan(50);
      } finally {
        await browser.close();
      }
    }, 120_000);
  }
});
