import { describe, expect, it } from 'vitest';
import { rangeText, TRAINING_FIELDS, type TrainingField } from '../web/settings.js';
import { demoState, fillTraining, sharedPage, SKIP, trainRun, waitForEnd } from './web-page.js';

/**
 * Values the issue saw replaced or passed to the library, each with what the page must say now.
 * (Iterations 0 or empty ran 400; hidden 0, empty or text ran 32, −5 ran 1, 1.5 and 100,000 reached
 * the library; seed empty, −1 or text ran 0, 2.5 ran 2, 1e20 reached RandomState.)
 */
const REFUSED: readonly (readonly [TrainingField, string, RegExp])[] = [
  ['iterations', '0', /^Enter a whole number from 1 to 100,000; 0 is out of range\.$/],
  ['iterations', '', /^Enter a whole number from 1 to 100,000\.$/],
  ['iterations', '1e9', /1e9 is out of range/],
  ['hidden', '0', /from 1 to 256; 0 is out of range/],
  ['hidden', '', /^Enter a whole number from 1 to 256\.$/],
  ['hidden', 'abc', /“abc” is not one/],
  ['hidden', '-5', /-5 is out of range/],
  ['hidden', '1.5', /1\.5 is not a whole number/],
  ['hidden', '100000', /100000 is out of range/],
  ['seed', '', /^Enter a whole number from 0 to 4,294,967,295\.$/],
  ['seed', '-1', /-1 is out of range/],
  ['seed', 'abc', /“abc” is not one/],
  ['seed', '2.5', /2\.5 is not a whole number/],
  ['seed', '1e20', /1e20 is out of range/],
  ['layers', '0', /from 1 to 3; 0 is out of range/],
  ['layers', '4', /4 is out of range/],
];

const DEFAULTS = Object.fromEntries(Object.entries(TRAINING_FIELDS).map(([name, range]) => [name, String(range.initial)]));

describe.skipIf(SKIP !== undefined)(`the demo page in Chromium: checked inputs, focus and announcements${SKIP === undefined ? '' : ` (skipped: ${SKIP})`}`, () => {
  const shared = sharedPage();

  it('shows the range of every field next to it', async () => {
    const { page } = shared;
    for (const [name, range] of Object.entries(TRAINING_FIELDS)) {
      expect(await page.textContent(`#${name}-range`)).toBe(rangeText(range));
      expect(await page.getAttribute(`#${name}`, 'aria-describedby')).toContain(`${name}-range`);
    }
    expect(await page.textContent('#iterations-range')).toBe('1–100,000');
    expect(await page.textContent('#seed-range')).toBe('0–4,294,967,295');
  });

  it('refuses every invalid value with aria-invalid and a message next to its field, focuses it, says so, and starts no run', async () => {
    const { page } = shared;
    for (const [field, value, message] of REFUSED) {
      await fillTraining(page, { ...DEFAULTS, [field]: value });
      await page.click('#train');
      const what = `${field} = ${JSON.stringify(value)}`;
      expect(await page.getAttribute(`#${field}`, 'aria-invalid'), what).toBe('true');
      expect(await page.textContent(`#${field}-error`), what).toMatch(message);
      expect(await page.evaluate(() => document.activeElement?.id), `${what}: focus`).toBe(field);
      expect(await page.textContent('#alerts'), what).toMatch(/^Not started: one field needs fixing/);
      expect((await demoState(page)).runs, `${what}: no run`).toEqual([]);
      expect(await page.isEnabled('#train'), what).toBe(true);
    }
    // Correcting a value clears its mark as it is typed.
    await page.fill('#hidden', '16');
    expect(await page.getAttribute('#hidden', 'aria-invalid')).toBeNull();
    expect(await page.textContent('#hidden-error')).toBe('');
  });

  it('trains with exactly the values typed: the largest seed runs, and a one-iteration run says "1 iteration"', async () => {
    const { page } = shared;
    const largest = await trainRun(page, { ...DEFAULTS, seed: '4294967295', hidden: '8', layers: '2', iterations: '3' });
    expect(largest.error).toBeNull();
    expect(largest.status).toBe('done');
    expect(largest.settings).toMatchObject({ seed: 4_294_967_295, hiddenSize: 8, numLayers: 2, iterations: 3, cell: 'lstm', backend: 'cpu' });
    expect(largest.iterationsDone).toBe(3);
    expect(await page.textContent('#status')).toMatch(/done, 3 iterations in/);
    const one = await trainRun(page, { ...DEFAULTS, hidden: '8', iterations: '1' });
    expect(one.status).toBe('done');
    const status = await page.textContent('#status');
    expect(status).toMatch(/done, 1 iteration in/);
    expect(status).not.toMatch(/1 iterations/);
  }, 180_000);

  it('keeps focus on a sensible control, locks the settings a run uses, and announces start, progress, completion and errors', async () => {
    const { page } = shared;
    await fillTraining(page, { ...DEFAULTS, hidden: '8', iterations: '400' });
    const announcedBefore = (await demoState(page)).announcements.length;
    await page.focus('#train');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id), 'focus after Train from the keyboard').toBe('stop');
    const { runs } = await demoState(page);
    const id = runs[runs.length - 1]?.id ?? 0;
    for (const control of ['#hidden', '#iterations', '#seed', '#layers', '#cell', '#backend', '#data-source']) {
      expect(await page.isEditable(control), `${control} while the run uses it`).toBe(false);
    }
    const run = await waitForEnd(page, id);
    expect(run.status).toBe('done');
    expect(await page.evaluate(() => document.activeElement?.id), 'focus once the run ended').toBe('train');
    expect(await page.isEditable('#hidden')).toBe(true);
    const announced = (await demoState(page)).announcements.slice(announcedBefore);
    expect(announced[0]).toMatch(/^Started run #\d+ CPU · LSTM, 8 units · seed 1 · 400 iterations\.$/);
    expect(announced.filter((a) => /^Run #\d+: \d+ %, iteration \d+ of 400, held-out loss \d\.\d{3}\.$/.test(a)).length, 'progress announcements').toBeGreaterThanOrEqual(5);
    expect(announced[announced.length - 1]).toMatch(/: done, 400 iterations in [\d.]+ s; held-out \d\.\d{3} nats\/char vs 3-gram \d\.\d{3}/);
    expect(await page.textContent('#announcer')).toBe(announced[announced.length - 1]);
    expect(await page.getAttribute('#announcer', 'aria-live')).toBe('polite');
    expect(await page.getAttribute('#alerts', 'role')).toBe('alert');
    // The charts have text alternatives that follow the data.
    expect(await page.getAttribute('#loss', 'aria-describedby')).toBe('loss-summary');
    const summary = await page.textContent('#loss-summary');
    expect(summary).toContain(`#${id} CPU (wasm-simd) · LSTM, 8 units · seed 1 · 400 iterations: training loss`);
    expect(summary).toMatch(/3-gram on dinos\.txt: \d\.\d{3}\./);
    expect(await page.getAttribute('#heatmap', 'aria-describedby')).toBe('heatmap-summary');
    expect(await page.textContent('#heatmap-summary')).toMatch(/^LSTM first layer, 8 units, over the \d+ steps of “.*”\. forget gate f⟨t⟩: mean -?\d\.\d\d/);
    // An error is announced at once.
    await page.fill('#iterations', 'many');
    await page.click('#train');
    expect(await page.textContent('#alerts')).toBe('Not started: one field needs fixing (iterations).');
    expect((await demoState(page)).announcements.at(-1)).toBe('Not started: one field needs fixing (iterations).');
  }, 180_000);

  it('serves every file it asks for (the favicon too) and throws nothing', async () => {
    const { page } = shared;
    expect(await page.getAttribute('link[rel="icon"]', 'href')).toBe('./favicon.svg');
    const icon = await page.evaluate(async () => (await fetch('./favicon.svg')).status);
    expect(icon).toBe(200);
    expect(shared.session.failed).toEqual([]);
    expect(shared.session.pageErrors).toEqual([]);
  });
});
