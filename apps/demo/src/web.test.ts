import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TRAINING_FIELDS } from '../web/settings.js';
import { canvasInk, demoState, mean, sharedPage, SKIP, trainRun } from './web-page.js';

/** Iterations of the gpu.js runs (SwiftShader, a software GPU, takes about 0.2 s each); the CPU run uses the page's default. */
const ITERATIONS = Number(process.env.RNN_WEB_ITERATIONS ?? 300);
/**
 * Where the test leaves its screenshot: `artifacts/` (ignored by git), so a test run never
 * changes the tree. `RNN_UPDATE_SCREENSHOT=1` writes the README's `docs/images/demo-web.png`.
 */
const SCREENSHOT = fileURLToPath(
  new URL(process.env['RNN_UPDATE_SCREENSHOT'] === '1' ? '../../../docs/images/demo-web.png' : '../../../artifacts/demo-web.png', import.meta.url),
);

describe.skipIf(SKIP !== undefined)(`the demo page in Chromium: training on every backend${SKIP === undefined ? '' : ` (skipped: ${SKIP})`}`, () => {
  const shared = sharedPage({ width: 1200, height: 1000 });

  it(`trains on every backend the browser offers (the CPU with the page's defaults, gpu.js ${ITERATIONS} iterations): the loss falls, the gates are drawn, every run keeps its labelled curve`, async () => {
    const { page, session } = shared;
    const { available, unavailable } = await demoState(page);
    console.log(`backends offered: ${available.join(', ')}; unavailable: ${JSON.stringify(unavailable)}`);
    for (const missing of (['webgl2', 'webgpu'] as const).filter((b) => !available.includes(b))) {
      console.warn(`not tested on ${missing}: ${unavailable[missing] ?? 'not offered'}`);
    }
    expect(available).toContain('cpu');
    const ids: number[] = [];
    for (const backend of available) {
      const run = await trainRun(page, backend === 'cpu' ? { backend } : { backend, iterations: String(ITERATIONS) });
      ids.push(run.id);
      expect(run.error, `${backend}: error`).toBeNull();
      expect(run.status).toBe('done');
      const losses = run.losses.map(([, l]) => l);
      const first = mean(losses.slice(0, 3));
      const last = mean(losses.slice(-10));
      console.log(`${backend} (${run.mode}): ${run.iterationsDone} iterations, loss ${first.toFixed(3)} → ${last.toFixed(3)}, held-out ${run.heldOutFinal?.toFixed(3)} vs 3-gram ${run.baseline?.toFixed(3)}, ${run.seconds?.toFixed(1)} s; first sample ${JSON.stringify(run.firstSample)} (CPU ${JSON.stringify(run.firstSampleCpu)})`);
      if (backend === 'cpu') {
        // The CPU backend is the WebAssembly SIMD engine, and the status names its real mode.
        expect(run.mode).toBe('wasm-simd');
        expect(await page.textContent('#status')).toContain('CPU (wasm-simd)');
        // The default run beats the 3-gram on the held-out names.
        expect(run.settings?.iterations).toBe(TRAINING_FIELDS.iterations.initial);
        expect(run.heldOutFinal).not.toBeNull();
        expect(run.heldOutFinal ?? Number.POSITIVE_INFINITY, 'the default CPU run beats the 3-gram').toBeLessThan(run.baseline ?? 0);
      } else {
        expect(run.mode).toBe(backend);
      }
      expect(losses.length).toBeGreaterThan(20);
      expect(last, `${backend}: the training loss falls`).toBeLessThan(first - 0.5);
      expect(run.heldOut.length).toBeGreaterThan(0);
      const { heatmap } = await demoState(page);
      expect(heatmap?.run, `${backend}: the heatmap is this run's`).toBe(run.id);
      const { ink, colours } = await canvasInk(page, 'heatmap');
      expect(ink, `${backend}: heatmap pixels`).toBeGreaterThan(5000);
      expect(colours, `${backend}: heatmap colours`).toBeGreaterThan(30);
      expect(await page.textContent('#seed-note')).toMatch(/first sample/);
    }
    // Every run keeps its curve, labelled with its backend, cell, size, seed and iterations; the axis covers the longest.
    const state = await demoState(page);
    expect(state.runs.map((r) => r.id)).toEqual(ids);
    for (const run of state.runs) expect(run.losses.length, `run #${run.id} keeps its curve`).toBeGreaterThan(20);
    const legend = await page.$$eval('#loss-legend li', (items) => items.map((li) => li.textContent ?? ''));
    expect(legend).toHaveLength(ids.length + 1);
    for (const [k, run] of state.runs.entries()) {
      expect(legend[k]).toContain(`#${run.id} `);
      expect(legend[k]).toContain(run.mode);
      expect(legend[k]).toMatch(/LSTM, 32 units · seed 1 · [\d,]+ iterations/);
    }
    expect(legend[ids.length]).toMatch(/^3-gram on dinos\.txt/);
    expect(state.chart?.xMax).toBe(Math.max(...state.runs.map((r) => r.iterationsDone)));
    expect(await page.$$eval('#runs tr', (rows) => rows.length)).toBe(ids.length);
    expect(session.failed, 'requests that failed (a favicon, an asset)').toEqual([]);
    expect(session.pageErrors).toEqual([]);
    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  }, 1_500_000);
});
