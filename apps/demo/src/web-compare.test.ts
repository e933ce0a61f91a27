import { describe, expect, it } from 'vitest';
import type { DemoState } from '../web/state.js';
import { canvasInk, demoState, fillTraining, pressTrain, sharedPage, SKIP, trainRun, waitForEnd } from './web-page.js';

/**
 * 750 lines over 150 characters (each line one character, 3 to 7 times): about 1 nat per
 * character for the 3-gram (only the first character is hard), ln 151 ≈ 5 for an untrained model.
 */
function manyCharacterLines(): string {
  const lines: string[] = [];
  for (let k = 0; k < 150; k++) {
    const c = String.fromCodePoint(0x100 + k);
    for (let n = 3; n <= 7; n++) lines.push(c.repeat(n));
  }
  return lines.join('\n');
}

describe.skipIf(SKIP !== undefined)(`the demo page in Chromium: runs you can compare${SKIP === undefined ? '' : ` (skipped: ${SKIP})`}`, () => {
  const shared = sharedPage({ width: 1200, height: 1000 });

  it('keeps every run\'s curve, labelled, on axes that cover them all, with the legend beside the chart', async () => {
    const { page } = shared;
    const long = await trainRun(page, { cell: 'lstm', hidden: '16', seed: '1', iterations: '300' });
    const short = await trainRun(page, { cell: 'rnn', hidden: '16', seed: '2', iterations: '30' });
    expect([long.status, short.status]).toEqual(['done', 'done']);
    const state = await demoState(page);
    expect(state.runs.map((r) => r.losses.length > 10)).toEqual([true, true]);
    expect(state.chart?.xMax, 'the x-axis covers the longest run').toBe(300);
    const longInk = await canvasInk(page, 'loss', long.color);
    const shortInk = await canvasInk(page, 'loss', short.color);
    expect(longInk, 'the 300-iteration curve is drawn').not.toBeNull();
    expect(shortInk, 'the 30-iteration curve is drawn').not.toBeNull();
    if (longInk === null || shortInk === null) return;
    console.log(`300 iterations: x ${longInk.left}–${longInk.right}; 30 iterations: x ${shortInk.left}–${shortInk.right}, of ${longInk.width} px`);
    expect(longInk.right, 'the long run reaches the right end of the plot').toBeGreaterThan(longInk.width - 30);
    expect(shortInk.right, 'the short run ends a tenth of the way across').toBeLessThan(longInk.left + (longInk.width - longInk.left) * 0.2);
    // The legend is a list under the chart, never on it; each entry says backend, cell, size, seed and iterations.
    const canvasBox = await page.locator('#loss').boundingBox();
    const legendBox = await page.locator('#loss-legend').boundingBox();
    expect((legendBox?.y ?? 0) >= (canvasBox?.y ?? 0) + (canvasBox?.height ?? 0), 'legend below the canvas').toBe(true);
    const legend = await page.$$eval('#loss-legend li', (items) => items.map((li) => li.textContent ?? ''));
    expect(legend).toEqual([
      `#${long.id} CPU (wasm-simd) · LSTM, 16 units · seed 1 · 300 iterations`,
      `#${short.id} CPU (wasm-simd) · RNN, 16 units · seed 2 · 30 iterations`,
      expect.stringMatching(/^3-gram on dinos\.txt \(\d\.\d{3}\)$/),
    ]);
    const row = async (id: number, label: string): Promise<string | null> => page.textContent(`#runs tr[data-run="${id}"] [data-label="${label}"]`);
    expect([await row(long.id, 'model'), await row(long.id, 'seed'), await row(long.id, 'iterations')]).toEqual(['LSTM, 16 units', '1', '300 of 300']);
    expect([await row(short.id, 'model'), await row(short.id, 'seed'), await row(short.id, 'iterations')]).toEqual(['RNN, 16 units', '2', '30 of 30']);
  }, 300_000);

  it('draws the heatmap of the run it names: Show switches runs, a new run never shows another\'s gates', async () => {
    const { page } = shared;
    const [lstm, rnn] = (await demoState(page)).runs;
    if (lstm === undefined || rnn === undefined) throw new Error('the runs of the test before are missing');
    expect((await demoState(page)).heatmap).toMatchObject({ run: rnn.id, cell: 'rnn', panels: 1 });
    expect(await page.textContent('#heatmap-note')).toMatch(new RegExp(`^#${rnn.id} CPU \\(wasm-simd\\) · RNN, 16 units .*: the RNN's first layer \\(16 units, rows\\)`));
    await page.click(`#runs tr[data-run="${lstm.id}"] button.show`);
    expect((await demoState(page)).heatmap).toMatchObject({ run: lstm.id, cell: 'lstm', panels: 6 });
    expect(await page.textContent('#heatmap-note')).toMatch(new RegExp(`^#${lstm.id} CPU \\(wasm-simd\\) · LSTM, 16 units .*: the LSTM's first layer`));
    expect(await page.getAttribute(`#runs tr[data-run="${lstm.id}"]`, 'aria-current')).toBe('true');
    await fillTraining(page, { cell: 'gru', iterations: '100000' });
    const id = await pressTrain(page);
    // The heatmap and its note, read in one go (the run's first samples may come at any moment).
    const { shown, note } = await page.evaluate(() => ({
      shown: (window as unknown as { demoState: DemoState }).demoState.heatmap,
      note: document.getElementById('heatmap-note')?.textContent ?? '',
    }));
    expect(shown === null || shown.run === id, 'a new run shows no other run\'s heatmap').toBe(true);
    expect(note).toMatch(shown === null ? `Run #${id} has no heatmap yet: it comes with the run's first samples.` : new RegExp(`^#${id} `));
    await page.waitForFunction((runId) => (window as unknown as { demoState: { heatmap: { run: number } | null } }).demoState.heatmap?.run === runId, id, { timeout: 60_000 });
    expect((await demoState(page)).heatmap).toMatchObject({ run: id, cell: 'gru' });
    await page.click('#stop');
    await waitForEnd(page, id, 30_000);
  }, 300_000);

  it('marks values above the top of the axis (▲) and says how many', async () => {
    const { page } = shared;
    await page.selectOption('#data-source', 'text');
    await page.fill('#data-text', manyCharacterLines());
    const run = await trainRun(page, { cell: 'lstm', hidden: '16', iterations: '20' });
    expect(run.status).toBe('done');
    const { chart } = await demoState(page);
    const highest = Math.max(...run.losses.map(([, v]) => v));
    console.log(`3-gram ${run.baseline?.toFixed(3)}, highest loss ${highest.toFixed(3)}, axis top ${chart?.yTop}, ${chart?.above} values above`);
    expect(highest).toBeGreaterThan(chart?.yTop ?? Number.POSITIVE_INFINITY);
    expect(chart?.above).toBeGreaterThan(0);
    expect(await page.textContent('#loss-summary')).toContain(`${chart?.above} values lie above ${chart?.yTop.toFixed(2)}, drawn as ▲ at the top edge.`);
    const ink = await canvasInk(page, 'loss', run.color);
    expect(ink?.top, "the run's colour is drawn above the plot line (y = 20), where only the ▲ marks go").toBeLessThan(16);
    expect(shared.session.pageErrors).toEqual([]);
  }, 300_000);
});
