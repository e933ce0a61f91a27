import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { SequenceModel } from '@rnn/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoState, RunState } from '../web/state.js';
import { runCli } from './main.js';
import { demoState, sharedPage, SKIP, trainRun } from './web-page.js';

const V1_CHECKPOINT = fileURLToPath(new URL('../../../packages/train/src/fixtures/v1-lstm.ckpt', import.meta.url));
const SYLLABLES = ['ka', 'lo', 'mi', 'ru', 'te', 'sa', 'no', 'vi'];

/** 240 made-up names of two or three syllables: 13 letters, none of them the dinosaurs' y or z. */
function madeUpNames(): string[] {
  const names: string[] = [];
  for (const a of SYLLABLES) for (const b of SYLLABLES) names.push(a + b);
  for (const a of SYLLABLES) for (const b of SYLLABLES) for (const c of SYLLABLES.slice(0, 3)) names.push(a + b + c);
  return names.slice(0, 240);
}

/** `pnpm demo …` in this process (the CLI's own code path), its streams captured. */
async function demo(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => void (out += t), err: (t) => void (err += t), outIsTTY: false, errIsTTY: false });
  return { code, out, err };
}

/** What picks a run in `withModel`: every key given must match. */
interface RunMatch {
  readonly file?: string;
  readonly data?: string;
  readonly seed?: number;
}

/** Waits for a run whose model the model worker has read (a finished run's checkpoint, or a loaded file) and returns it. */
async function withModel(page: Page, match: RunMatch): Promise<RunState> {
  const handle = await page.waitForFunction((m: RunMatch) => {
    const found = (window as unknown as { demoState: DemoState }).demoState.runs.find((r) => r.hasCheckpoint && r.model !== null
      && (m.file === undefined || r.file === m.file) && (m.data === undefined || r.settings?.data === m.data) && (m.seed === undefined || r.settings?.seed === m.seed));
    return found?.id ?? false;
  }, match, { timeout: 60_000 });
  const id = (await handle.jsonValue()) as number;
  const run = (await demoState(page)).runs.find((r) => r.id === id);
  if (run === undefined) throw new Error(`run #${id} vanished`);
  return run;
}

/** How to sample, on the page and with `pnpm demo sample`. */
interface Sampling {
  readonly prefix: string;
  readonly temperature: string;
  readonly count: string;
  readonly seed: string;
}

/** Fills the page's sampling form, presses Sample and returns the names the page lists once it has announced them. */
async function sampleOnPage(page: Page, o: Sampling): Promise<string[]> {
  const announced = (await demoState(page)).announcements.length;
  await page.fill('#prefix', o.prefix);
  await page.fill('#temperature', o.temperature);
  await page.fill('#count', o.count);
  await page.fill('#sampleSeed', o.seed);
  await page.click('#sample');
  await page.waitForFunction((n) => (window as unknown as { demoState: DemoState }).demoState.announcements.slice(n).some((a) => a.startsWith('Sampled ')), announced);
  return shownSamples(page);
}

/** The names `pnpm demo sample --checkpoint path …` draws with the same options, as the page lists them (an empty name as `(empty)`). */
async function sampleWithCli(path: string, o: Sampling): Promise<string[]> {
  const prefix = o.prefix === '' ? [] : ['--prefix', o.prefix];
  const cli = await demo('sample', '--checkpoint', path, ...prefix, '--temperature', o.temperature, '--count', o.count, '--seed', o.seed, '--json');
  expect(cli.code, cli.err).toBe(0);
  return (JSON.parse(cli.out) as { names: string[] }).names.map((n) => (n === '' ? '(empty)' : n));
}

/** The names in the page's samples list. */
function shownSamples(page: Page): Promise<string[]> {
  return page.$$eval('#samples li', (items) => items.map((li) => li.textContent ?? ''));
}

describe.skipIf(SKIP !== undefined)(`the demo page in Chromium: your own data, and checkpoints shared with the CLI${SKIP === undefined ? '' : ` (skipped: ${SKIP})`}`, () => {
  const shared = sharedPage();
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rnn-demo-web-models-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains on pasted lines after the same checks, with the 3-gram fitted on them', async () => {
    const { page } = shared;
    await page.selectOption('#data-source', 'text');
    await page.fill('#data-text', 'one\ntwo\n\nthree');
    await page.click('#train');
    expect(await page.getAttribute('#data-text', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#data-error')).toBe('Give at least 20 non-blank lines (one name per line); this has 3.');
    expect((await demoState(page)).runs).toEqual([]);
    await page.fill('#data-text', ['x'.repeat(101), ...madeUpNames()].join('\n'));
    expect(await page.textContent('#data-error')).toBe('Lines can be at most 100 characters; line 1 has 101.');
    const names = madeUpNames();
    await page.fill('#data-text', names.join('\r\n'));
    expect(await page.getAttribute('#data-text', 'aria-invalid')).toBeNull();
    expect(await page.textContent('#data-summary')).toBe('pasted text: 240 lines, 13 different characters.');
    const run = await trainRun(page, { cell: 'gru', hidden: '16', iterations: '60' });
    expect(run.status).toBe('done');
    expect(run.settings?.data).toBe('pasted text');
    const withModelRun = await withModel(page, { data: 'pasted text' });
    expect(withModelRun.model?.characters.join('')).toBe('aeiklmnorstuv');
    expect(withModelRun.model?.corpus).toBe('pasted text');
    // The baseline is this data's: the made-up names are far more regular than the dinosaurs'.
    expect(run.baseline).not.toBeNull();
    expect(run.baseline ?? 9).toBeLessThan(1.2);
    const samples = (await demoState(page)).runs.find((r) => r.id === run.id)?.samples ?? [];
    expect(samples.length).toBe(5);
    for (const name of samples) expect(name).toMatch(/^[aeiklmnorstuv]*$/);
    expect(await page.textContent('#loss-legend')).toContain(`3-gram on pasted text (${run.baseline?.toFixed(3)})`);
  }, 180_000);

  it('reads a dropped text file and a chosen one, and refuses a file over the size limit', async () => {
    const { page } = shared;
    const text = madeUpNames().join('\n');
    await page.evaluate((body) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([body], 'dropped-names.txt', { type: 'text/plain' }));
      document.getElementById('own-data')?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, text);
    await page.waitForFunction(() => document.getElementById('data-summary')?.textContent?.startsWith('dropped-names.txt') === true);
    expect(await page.inputValue('#data-text')).toBe(text);
    expect(await page.textContent('#data-summary')).toBe('dropped-names.txt: 240 lines, 13 different characters.');
    await page.setInputFiles('#data-file', { name: 'huge.txt', mimeType: 'text/plain', buffer: Buffer.alloc(2 * 1024 * 1024 + 1, 'a\n') });
    await page.waitForFunction(() => document.getElementById('data-text')?.getAttribute('aria-invalid') === 'true');
    expect(await page.textContent('#data-error')).toBe('huge.txt is 2.0 MB; a file can be at most 2.0 MB.');
    await page.setInputFiles('#data-file', { name: 'chosen.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
    await page.waitForFunction(() => document.getElementById('data-summary')?.textContent?.startsWith('chosen.txt') === true);
    expect(await page.getAttribute('#data-text', 'aria-invalid')).toBeNull();
    await page.selectOption('#data-source', 'dinos');
  }, 60_000);

  it('downloads a checkpoint that `pnpm demo sample` reads, drawing the same names as the page', async () => {
    const { page } = shared;
    const run = await trainRun(page, { cell: 'lstm', hidden: '16', layers: '2', seed: '5', iterations: '25' });
    expect(run.status).toBe('done');
    await withModel(page, { seed: 5 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe('dinos-lstm-h16-2layers-seed5-25it.ckpt');
    const path = join(dir, download.suggestedFilename());
    await download.saveAs(path);
    const bytes = new Uint8Array(await readFile(path));
    const model = SequenceModel.load(bytes);
    expect([model.cell, model.hiddenSize, model.numLayers, model.metadata.iterations, model.metadata.corpus]).toEqual(['lstm', 16, 2, 25, 'dinos.txt']);
    const sampling = { prefix: '', temperature: '0.8', count: '6', seed: '7' };
    expect(await sampleOnPage(page, sampling)).toEqual(await sampleWithCli(path, sampling));
  }, 180_000);

  it('loads a checkpoint written by `pnpm demo train`, samples it with a prefix and a temperature, and shows its gates over a typed name', async () => {
    const { page } = shared;
    const path = join(dir, 'cli-gru.ckpt');
    const trained = await demo('train', '--cell', 'gru', '--hidden', '12', '--iterations', '15', '--seed', '3', '--checkpoint', path, '--json');
    expect(trained.code, trained.err).toBe(0);
    await page.setInputFiles('#load-checkpoint', path);
    const loaded = await withModel(page, { file: 'cli-gru.ckpt' });
    expect(loaded.status).toBe('loaded');
    expect(loaded.model).toMatchObject({ cell: 'gru', hiddenSize: 12, numLayers: 1, iterations: 15, seed: 3, corpus: 'dinos.txt' });
    expect(await page.textContent(`#runs tr[data-run="${loaded.id}"] [data-label="status"]`)).toBe('loaded');
    expect((await demoState(page)).selected).toBe(loaded.id);
    // A prefix outside the model's characters and a temperature out of range are refused, with messages.
    await page.fill('#prefix', 'ty!');
    await page.fill('#temperature', '0');
    await page.click('#sample');
    expect(await page.getAttribute('#prefix', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#prefix-error')).toMatch(/^The model never saw “!”; it writes only: abcdefghijklmnopqrstuvwxyz$/);
    expect(await page.getAttribute('#temperature', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#temperature-error')).toBe('Enter a number from 0.05 to 5; 0 is out of range.');
    const sampling = { prefix: 'ty', temperature: '0.5', count: '5', seed: '3' };
    const names = await sampleOnPage(page, sampling);
    expect(names).toHaveLength(5);
    for (const name of names) expect(name.startsWith('ty')).toBe(true);
    expect(names).toEqual(await sampleWithCli(path, sampling));
    await page.fill('#inspect-text', 'stego');
    await page.click('#inspect');
    await page.waitForFunction(() => (window as unknown as { demoState: DemoState }).demoState.heatmap?.traced === true);
    expect((await demoState(page)).heatmap).toEqual({ run: loaded.id, cell: 'gru', labels: ['s', 't', 'e', 'g', 'o', '⏎'], panels: 5, traced: true });
    expect(await page.textContent('#heatmap-note')).toContain('over your name “stego⏎”');
  }, 180_000);

  it('loads a version-1 checkpoint, and refuses a file that is not a checkpoint, saying why', async () => {
    const { page } = shared;
    await page.setInputFiles('#load-checkpoint', V1_CHECKPOINT);
    const v1 = await withModel(page, { file: 'v1-lstm.ckpt' });
    expect(v1.model?.cell).toBe('lstm');
    expect(v1.model?.characters.join('')).toBe('abc');
    for (const name of await sampleOnPage(page, { prefix: '', temperature: '1', count: '4', seed: '0' })) expect(name).toMatch(/^([abc]*|\(empty\))$/);
    const runs = (await demoState(page)).runs.length;
    await page.setInputFiles('#load-checkpoint', { name: 'notes.ckpt', mimeType: 'application/octet-stream', buffer: Buffer.from('these are not weights') });
    await page.waitForFunction(() => document.getElementById('load-checkpoint')?.getAttribute('aria-invalid') === 'true');
    expect(await page.textContent('#load-error')).toMatch(/^notes\.ckpt could not be loaded: /);
    expect(await page.textContent('#alerts')).toMatch(/^notes\.ckpt could not be loaded: /);
    expect((await demoState(page)).runs.length).toBe(runs);
    expect(shared.session.pageErrors).toEqual([]);
  }, 120_000);
});
