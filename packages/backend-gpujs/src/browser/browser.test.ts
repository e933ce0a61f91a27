import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_MODES, CHROMIUM, HAS_CHROMIUM, runVectorsInChromium, servePage, SKIP, VITEST_STUB } from './chromium-page.js';

/** `vitest` resolves to `VITEST_STUB` in the page bundle. */
const vitestStub: Plugin = {
  name: 'vitest-stub',
  setup(b) {
    b.onResolve({ filter: /^vitest$/ }, () => ({ path: 'vitest', namespace: 'vitest-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'vitest-stub' }, () => ({ contents: VITEST_STUB }));
  },
};

/** Bundles `browser-entry.ts` (our packages from source, gpu.js's browser build) and serves it with a page. */
async function serveBundle(): Promise<{ server: Server; url: string }> {
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
  return servePage(async (path) => {
    if (path === '/bundle.js') return { type: 'text/javascript', body: script };
    return path === '/' ? { type: 'text/html', body: page } : undefined;
  });
}

describe.skipIf(SKIP !== undefined)(`gpujs in Chromium${SKIP === undefined ? '' : ` (skipped: ${SKIP})`}`, () => {
  let served: { server: Server; url: string };
  beforeAll(async () => {
    served = await serveBundle();
  }, 60_000);
  afterAll(() => new Promise<void>((resolve) => served?.server.close(() => resolve())));

  for (const [mode, flags] of BROWSER_MODES) {
    it(`runs every kernel in ${mode} and matches the CPU backend`, async () => {
      expect(HAS_CHROMIUM, `CI is set but Chromium is missing at ${CHROMIUM}`).toBe(true);
      const { report, pageErrors } = await runVectorsInChromium(served.url, mode, flags);
      expect(pageErrors).toEqual([]);
      console.info(`Chromium: gpujs ran in mode '${report.mode}', ${report.results.length} comparisons`);
      expect(report.mode).toBe(mode);
      const failed = report.results.filter((r) => !r.ok).map((r) => `${r.label}: ${r.message}`);
      expect(failed).toEqual([]);
      expect(report.results.length).toBeGreaterThan(50);
    }, 120_000);
  }
});
