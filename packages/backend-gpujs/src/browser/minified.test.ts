import type { Server } from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, defaultClientConditions, type Plugin } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_MODES, CHROMIUM, HAS_CHROMIUM, runVectorsInChromium, servePage, SKIP, VITEST_STUB } from './chromium-page.js';

const PAGE_DIR = fileURLToPath(new URL('./minified-page/', import.meta.url));
const TYPES: Readonly<Record<string, string>> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

/** `vitest` resolves to `VITEST_STUB` in the page bundle. */
const vitestStub: Plugin = {
  name: 'vitest-stub',
  resolveId: (id) => (id === 'vitest' ? '\0vitest-stub' : null),
  load: (id) => (id === '\0vitest-stub' ? VITEST_STUB : null),
};

/**
 * Builds `minified-page/` the way an app would ship it: Vite's production build with its defaults,
 * minification included. Only module resolution is set: our packages from their TypeScript
 * sources (`@rnn/source`), and the `vitest` stub.
 */
async function buildPage(outDir: string): Promise<string> {
  await build({
    configFile: false,
    root: PAGE_DIR,
    base: './',
    logLevel: 'silent',
    resolve: { conditions: ['@rnn/source', ...defaultClientConditions] },
    plugins: [vitestStub],
    build: { outDir, emptyOutDir: true },
  });
  const assets = await readdir(join(outDir, 'assets'));
  const scripts = await Promise.all(assets.filter((f) => f.endsWith('.js')).map((f) => readFile(join(outDir, 'assets', f), 'utf8')));
  return scripts.join('\n');
}

describe.skipIf(SKIP !== undefined)(`gpujs in a minified Vite production build, in Chromium${SKIP === undefined ? '' : ` (skipped: ${SKIP})`}`, () => {
  let outDir: string;
  let script: string;
  let served: { server: Server; url: string };
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'rnn-gpujs-minified-'));
    script = await buildPage(outDir);
    served = await servePage(async (path) => {
      const file = normalize(join(outDir, path === '/' ? 'index.html' : decodeURIComponent(path)));
      if (!file.startsWith(outDir)) return undefined;
      const body = await readFile(file).catch(() => undefined);
      return body === undefined ? undefined : { type: TYPES[extname(file)] ?? 'application/octet-stream', body };
    });
  }, 120_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => served?.server.close(() => resolve()));
    await rm(outDir, { recursive: true, force: true });
  });

  it('is minified: local names of our code are gone from the bundle', () => {
    expect(script.length).toBeGreaterThan(0);
    expect(script).not.toContain('releaseInputs');
    expect(script).not.toContain('recurrence');
  });

  for (const [mode, flags] of BROWSER_MODES) {
    it(`runs every kernel in ${mode} and matches the CPU backend`, async () => {
      expect(HAS_CHROMIUM, `CI is set but Chromium is missing at ${CHROMIUM}`).toBe(true);
      const { report, pageErrors } = await runVectorsInChromium(served.url, mode, flags);
      expect(pageErrors).toEqual([]);
      expect(report.mode).toBe(mode);
      const failed = report.results.filter((r) => !r.ok).map((r) => `${r.label}: ${r.message}`);
      expect(failed).toEqual([]);
      expect(report.results.length).toBeGreaterThan(50);
    }, 120_000);
  }
});
