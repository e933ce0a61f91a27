import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { DemoState, RunState } from '../web/state.js';
import { demoState, fillTraining, pressTrain, runOf, sharedPage, SKIP, waitForEnd } from './web-page.js';

/** When Stop is pressed: at once, a quarter second after Train (gpu.js is still setting up), or once training has begun. */
const MOMENTS = ['at once', 'after 250 ms', 'in training'] as const;

/** The status line and the run, read in one go on the page's thread (so they are of the same moment). */
function statusAndRun(page: Page, id: number): Promise<{ text: string; run: RunState | undefined }> {
  return page.evaluate((runId) => ({
    text: document.getElementById('status')?.textContent ?? '',
    run: JSON.parse(JSON.stringify((window as unknown as { demoState: DemoState }).demoState.runs.find((r) => r.id === runId))) as RunState | undefined,
  }), id);
}

describe.skipIf(SKIP !== undefined)(`the demo page in Chromium: Stop and progress${SKIP === undefined ? '' : ` (skipped: ${SKIP})`}`, () => {
  const shared = sharedPage();

  it('stops a run within a second at any moment, setup included, on every backend the browser offers; the table says "stopped"', async () => {
    const { page } = shared;
    const { available, unavailable } = await demoState(page);
    for (const missing of (['webgl2', 'webgpu'] as const).filter((b) => !available.includes(b))) {
      console.warn(`Stop not tested on ${missing}: ${unavailable[missing] ?? 'not offered'}`);
    }
    for (const backend of available) {
      for (const moment of MOMENTS) {
        await fillTraining(page, { backend, iterations: '100000' });
        const id = await pressTrain(page);
        if (moment === 'after 250 ms') await page.waitForTimeout(250);
        if (moment === 'in training') {
          await page.waitForFunction((runId) => ((window as unknown as { demoState: DemoState }).demoState.runs.find((r) => r.id === runId)?.iterationsDone ?? 0) >= 2, id, { timeout: 240_000, polling: 50 });
        }
        expect(await page.isEnabled('#stop'), `${backend} ${moment}: Stop is enabled while the run goes`).toBe(true);
        await page.click('#stop');
        const run = await waitForEnd(page, id, 30_000);
        const latency = (run.times.ended ?? Number.NaN) - (run.times.stopAsked ?? Number.NaN);
        console.log(`${backend}, Stop ${moment}: stopped after ${run.iterationsDone} iterations, ${latency.toFixed(0)} ms after the click; ${run.stopNote}`);
        expect(run.status, `${backend} ${moment}`).toBe('stopped');
        expect(latency, `${backend} ${moment}: ms from Stop to the run's end`).toBeLessThan(1000);
        expect(run.iterationsDone).toBeLessThan(100_000);
        // Either the worker stopped after an iteration, or it was ended and the page says so.
        expect(run.stopNote ?? '').toMatch(/^Stopped after [\d,]+ of 100,000 iterations\.$|the worker was ended|so it was ended/);
        expect(await page.textContent('#status')).toContain('stopped');
        expect(await page.textContent(`#runs tr[data-run="${id}"] td[data-label="status"]`)).toBe('stopped');
        expect(await page.isDisabled('#stop'), 'Stop is disabled once the run ended').toBe(true);
        expect(await page.isEnabled('#train')).toBe(true);
      }
    }
    // On the CPU, a run stopped in training ends after its iteration and keeps its model.
    const cpuInTraining = (await demoState(page)).runs[2];
    expect(cpuInTraining?.settings?.backend).toBe('cpu');
    expect(cpuInTraining?.stopNote).toMatch(/^Stopped after/);
    await page.waitForFunction((runId) => (window as unknown as { demoState: DemoState }).demoState.runs.find((r) => r.id === runId)?.hasCheckpoint === true, cpuInTraining?.id);
    expect(shared.session.pageErrors).toEqual([]);
  }, 900_000);

  it('shows movement within a second: a long CPU run reports progress within a second of its start, then at least every second, with the smoothed loss the chart draws', async () => {
    const { page } = shared;
    await fillTraining(page, { backend: 'cpu', iterations: '100000' });
    const id = await pressTrain(page);
    await page.waitForTimeout(3000);
    const { text, run } = await statusAndRun(page, id);
    await page.click('#stop');
    await waitForEnd(page, id, 30_000);
    expect(run).toBeDefined();
    const times = run?.times.progress ?? [];
    const ready = run?.times.ready ?? Number.NaN;
    const gaps = times.slice(1).map((t, k) => t - (times[k] ?? t));
    console.log(`first progress ${((times[0] ?? Number.NaN) - ready).toFixed(0)} ms after the first sample; ${times.length} progress messages in 3 s, the longest gap ${Math.max(...gaps).toFixed(0)} ms`);
    expect(times.length).toBeGreaterThan(3);
    expect((times[0] ?? Number.NaN) - ready, 'ms from the first sample to the first progress').toBeLessThan(1000);
    expect(Math.max(...gaps), 'the longest gap between progress messages, ms').toBeLessThan(1000);
    const last = run?.losses[run.losses.length - 1];
    expect(text).toMatch(new RegExp(`: iteration [\\d,]+ of 100,000 · loss ${last?.[1].toFixed(3)} \\(smoothed\\)`));
  }, 120_000);

  it('shows movement within a second while gpu.js sets up: the status ticks from the first moment', async () => {
    const { page } = shared;
    const { available } = await demoState(page);
    const gpu = available.filter((b) => b !== 'cpu');
    if (gpu.length === 0) console.warn('no gpu.js backend offered: only the CPU backend was tested for movement');
    for (const backend of gpu) {
      await fillTraining(page, { backend, iterations: '100000' });
      const id = await pressTrain(page);
      const seen: string[] = [];
      for (let k = 0; k < 6; k++) {
        await page.waitForTimeout(400);
        seen.push((await page.textContent('#status')) ?? '');
      }
      const { status } = await runOf(page, id);
      await page.click('#stop');
      await waitForEnd(page, id, 30_000);
      console.log(`${backend}: status during setup (${status}): ${JSON.stringify(seen)}`);
      expect(new Set(seen).size, `${backend}: distinct status lines in 2.4 s`).toBeGreaterThanOrEqual(5);
    }
  }, 300_000);
});
