import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, SequenceModel } from '@rnn/train';
import { describe, expect, it } from 'vitest';
import { spec as exportSpec } from './commands/export.js';
import { spec as forecastSpec } from './commands/forecast.js';
import { spec as runOnnxSpec } from './commands/run-onnx.js';
import { spec as sampleSpec } from './commands/sample.js';
import { spec as trainSpec } from './commands/train.js';
import { spec as walkthroughSpec } from './commands/walkthrough.js';
import { EXIT } from './exit-codes.js';
import { demo, onlyJson, smallCheckpoint, tempDir } from './cli-harness.js';
import { demoVersion } from './main.js';

/** A checkpoint whose JSON header has been edited (CRC fixed), as a crafted file would be. */
function withHeader(bytes: Uint8Array, edit: (h: Record<string, unknown>) => void): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + length))) as Record<string, unknown>;
  edit(header);
  const weights = bytes.subarray(Math.ceil((16 + length) / 8) * 8, bytes.length - 4);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = Math.ceil((16 + json.length) / 8) * 8;
  const out = new Uint8Array(start + weights.length + 4);
  out.set(bytes.subarray(0, 12));
  const outView = new DataView(out.buffer);
  outView.setUint32(12, json.length, true);
  out.set(json, 16);
  out.set(weights, start);
  outView.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

describe('pnpm demo: help, version and usage errors', () => {
  it('prints the demo package\'s version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await demo('--version')).toEqual({ code: EXIT.ok, out: `${pkg.version}\n`, err: '' });
    expect(demoVersion()).toBe(pkg.version);
  });

  it.each([walkthroughSpec, trainSpec, sampleSpec, forecastSpec, exportSpec, runOnnxSpec])('$name: -h and --help describe every option with its default, and the exit codes', async (spec) => {
    for (const flag of ['-h', '--help']) {
      const { code, out, err } = await demo(spec.name, flag);
      expect(code).toBe(EXIT.ok);
      expect(err).toBe('');
      expect(out).toContain(`usage: pnpm demo ${spec.name} [options]${(spec.positionals ?? []).map((p) => ` ${p.name}`).join('')}\n`);
      for (const [name, option] of Object.entries(spec.options)) {
        const line = out.split('\n').find((l) => l.includes(`--${name}`));
        expect(line, `--${name}`).toContain(option.description);
        if (option.default !== undefined) expect(line, `--${name}`).toContain(`(default: ${option.default})`);
      }
      for (const exit of ['0 ', '1 ', '2 ', '3 ', '4 ', '130 ']) expect(out).toContain(`\n  ${exit}`);
    }
  });

  it('lists the commands and exit codes at the top level', async () => {
    for (const flag of ['-h', '--help', 'help']) {
      const { code, out } = await demo(flag);
      expect(code).toBe(EXIT.ok);
      for (const command of ['walkthrough', 'train', 'sample', 'forecast', 'export', 'run-onnx']) expect(out).toContain(`  ${command} `);
      expect(out).toContain('130  interrupted');
    }
  });

  it.each([
    [['train', '--iteratons', '20'], /Unknown option '--iteratons'/, 'train'],
    [['train', '--iterations', '20', 'extra'], /Unexpected argument 'extra'/, 'train'],
    [['sample', 'now'], /Unexpected argument 'now'/, 'sample'],
    [['sample', '--json=yes'], /does not take an argument/, 'sample'],
    [['walkthrough', '--backend'], /argument missing/, 'walkthrough'],
    [['--backend', 'cpu', '--bogus'], /Unknown option '--bogus'/, 'walkthrough'],
    [['train', '--cell', 'tcn'], /--cell must be one of rnn, lstm, gru; got tcn/, 'train'],
    [['train', '--bidirectional'], /--bidirectional is refused for a character model: reading each name backwards too, it would see the characters it must predict/, 'train'],
    [['train', '--layers', '0'], /--layers must be an integer ≥ 1; got 0/, 'train'],
    [['sample', '--prefix'], /argument missing/, 'sample'],
    [['forecast', '--window', '500'], /--window must be at most 200/, 'forecast'],
    [['forecast', '--epochs', '0'], /--epochs must be an integer ≥ 1; got 0/, 'forecast'],
    [['forecast', '--cell', 'tcn'], /--cell must be one of rnn, lstm, gru; got tcn/, 'forecast'],
    [['train', '--iterations', '2.5'], /--iterations must be an integer/, 'train'],
  ])('refuses %j with exit 2 and the usage on stderr', async (argv, message, command) => {
    const { code, out, err } = await demo(...argv);
    expect(code).toBe(EXIT.usage);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err).toContain(`usage: pnpm demo ${command} [options]`);
  });

  it('refuses an unknown command with exit 2', async () => {
    const { code, err } = await demo('trian');
    expect(code).toBe(EXIT.usage);
    expect(err).toMatch(/unknown command trian; try: walkthrough, train, sample, forecast/);
  });

  it.each(['0', '-1', 'nan', 'Infinity', '1e999', 'warm', ''])('refuses --temperature %j with exit 2', async (t) => {
    const dir = await tempDir();
    const { code, err } = await demo('sample', '--checkpoint', await smallCheckpoint(dir), `--temperature=${t}`);
    expect(code).toBe(EXIT.usage);
    expect(err).toMatch(/--temperature must be a finite number > 0/);
  });
});

describe('pnpm demo sample', () => {
  it('says how to make a missing checkpoint, with exit 3', async () => {
    const dir = await tempDir();
    const { code, out, err } = await demo('sample', '--checkpoint', join(dir, 'none.ckpt'));
    expect(code).toBe(EXIT.checkpoint);
    expect(out).toBe('');
    expect(err).toMatch(/no checkpoint at .*none\.ckpt; train one first with `pnpm demo train`/);
    expect(err).not.toMatch(/ENOENT/);
  });

  it('refuses crafted metadata with a CheckpointError and exit 3 instead of crashing', async () => {
    const dir = await tempDir();
    const path = join(dir, 'crafted.ckpt');
    await writeFile(path, withHeader(await readFile(await smallCheckpoint(dir)), (h) => (h.metadata = { iterations: { toString: 1 } })));
    const { code, err } = await demo('sample', '--checkpoint', path);
    expect(code).toBe(EXIT.checkpoint);
    expect(err).toMatch(/checkpoint rejected \(metadata\): metadata\.iterations must be a non-negative integer/);
  });

  it('writes only JSON to stdout with --json', async () => {
    const dir = await tempDir();
    const path = await smallCheckpoint(dir);
    const { code, out, err } = await demo('sample', '--checkpoint', path, '--count', '3', '--seed', '2', '--json');
    expect(code).toBe(EXIT.ok);
    const result = onlyJson(out) as { names: string[]; temperature: number; iterations: number };
    expect(result.names).toHaveLength(3);
    expect(result).toMatchObject({ temperature: 1, iterations: 0, cell: 'lstm', hiddenSize: 8 });
    expect(err).toContain(path);
  });

  it.each(['lstm', 'rnn'] as const)('loads a %s checkpoint of format 1 (@rnn/train 0.1) and continues a prefix', async (cell) => {
    const path = fileURLToPath(new URL(`../../../packages/train/src/fixtures/v1-${cell}.ckpt`, import.meta.url));
    const { code, out } = await demo('sample', '--checkpoint', path, '--count', '4', '--prefix', 'ab', '--json');
    expect(code).toBe(EXIT.ok);
    const result = onlyJson(out) as { names: string[]; cell: string; numLayers: number; prefix: string };
    expect(result).toMatchObject({ cell, numLayers: 1, prefix: 'ab' });
    for (const name of result.names) expect(name.startsWith('ab')).toBe(true);
  });

  it('refuses a prefix outside the vocabulary with exit 2, and says why a model of numbers cannot sample', async () => {
    const dir = await tempDir();
    const { code, err } = await demo('sample', '--checkpoint', await smallCheckpoint(dir), '--prefix', 'a1');
    expect(code).toBe(EXIT.usage);
    expect(err).toMatch(/--prefix holds "1", which is not a character of the model's names/);
    const numeric = join(dir, 'numeric.ckpt');
    await writeFile(numeric, SequenceModel.create({ cell: 'gru', task: 'last-step-regression', inputSize: 1, outputSize: 1, hiddenSize: 4, seed: 1 }).save());
    const refused = await demo('sample', '--checkpoint', numeric);
    expect(refused.code).toBe(EXIT.failure);
    expect(refused.err).toMatch(/sampling is not supported: a last-step-regression model has no characters to draw/);
  });

  it('draws the most likely names at a temperature whose 1/τ overflows, never from NaN', async () => {
    const dir = await tempDir();
    const path = await smallCheckpoint(dir);
    const names = async (t: string): Promise<string[]> => (onlyJson((await demo('sample', '--checkpoint', path, '--count', '2', '--temperature', t, '--json')).out) as { names: string[] }).names;
    const tiny = await names('1e-310');
    expect(tiny).toEqual(await names('1e-9'));
    expect(tiny.join('')).not.toMatch(/^z+$/);
  });
});

describe('pnpm demo train and walkthrough', () => {
  it('train --json writes one JSON object to stdout and the progress to stderr, and saves', async () => {
    const dir = await tempDir();
    const checkpoint = join(dir, 'model.ckpt');
    const { code, out, err } = await demo('train', '--iterations', '4', '--hidden', '8', '--batch', '8', '--checkpoint', checkpoint, '--json');
    expect(code).toBe(EXIT.ok);
    const result = onlyJson(out) as Record<string, unknown>;
    expect(result).toMatchObject({ cell: 'lstm', hiddenSize: 8, iterations: 4, checkpoint, stopped: false, interrupted: null });
    expect(err).toMatch(/training a LSTM \(hidden 8\)/);
    expect(err).toMatch(/iteration 4\/4/);
    expect((await readdir(dir)).sort()).toEqual(['model.ckpt', 'model.loss.svg']);
    expect(SequenceModel.load(await readFile(checkpoint)).metadata.iterations).toBe(4);
  });

  it('train --cell gru --layers 2 trains a stacked GRU and saves it', async () => {
    const dir = await tempDir();
    const checkpoint = join(dir, 'gru.ckpt');
    const { code, out, err } = await demo('train', '--cell', 'gru', '--layers', '2', '--iterations', '3', '--hidden', '8', '--batch', '8', '--checkpoint', checkpoint, '--json');
    expect(code).toBe(EXIT.ok);
    expect(onlyJson(out)).toMatchObject({ cell: 'gru', numLayers: 2, bidirectional: false, hiddenSize: 8, iterations: 3 });
    expect(err).toMatch(/training a GRU \(hidden 8, 2 layers\)/);
    const model = SequenceModel.load(await readFile(checkpoint));
    expect(model).toMatchObject({ cell: 'gru', numLayers: 2, hiddenSize: 8 });
    const sampled = await demo('sample', '--checkpoint', checkpoint, '--count', '2', '--json');
    expect(onlyJson(sampled.out)).toMatchObject({ cell: 'gru', numLayers: 2 });
  });

  it('forecast --json reports the held-out error next to the naive forecast and writes the plot', async () => {
    const dir = await tempDir();
    const plot = join(dir, 'forecast.svg');
    const { code, out, err } = await demo('forecast', '--epochs', '2', '--hidden', '8', '--plot', plot, '--json');
    expect(code).toBe(EXIT.ok);
    const result = onlyJson(out) as Record<string, unknown>;
    expect(result).toMatchObject({ cell: 'gru', numLayers: 2, hiddenSize: 8, epochs: 2, window: 24, trainWindows: 536, validationWindows: 80, testWindows: 160, plot });
    for (const key of ['mse', 'naiveMse', 'validationMse']) expect(Number.isFinite(result[key]), key).toBe(true);
    expect(err).toMatch(/epoch 1\/2 {2}training MSE \d\.\d{4} {2}validation MSE \d\.\d{4}/);
    expect(err).toMatch(/naive: repeat the last value/);
    const svg = await readFile(plot, 'utf8');
    expect(svg).toMatch(/^<svg [^>]*>/);
    expect(svg).toContain('Next-step forecasts on the held-out 20 %');
    expect(svg.match(/<circle /g)?.length).toBeGreaterThanOrEqual(160);
  });

  it('train stops with exit 4 when the loss diverges, leaving the previous checkpoint as it was', async () => {
    const dir = await tempDir();
    const checkpoint = join(dir, 'model.ckpt');
    expect((await demo('train', '--iterations', '2', '--hidden', '8', '--batch', '4', '--checkpoint', checkpoint)).code).toBe(EXIT.ok);
    const before = await readFile(checkpoint);
    const { code, out, err } = await demo('train', '--iterations', '20', '--hidden', '8', '--batch', '4', '--lr', '1e308', '--checkpoint', checkpoint, '--json');
    expect(code).toBe(EXIT.diverged);
    expect(out).toBe('');
    expect(err).toMatch(/training diverged at iteration \d+/);
    expect(err).toMatch(/nothing was saved: .*model\.ckpt is left as it was/);
    expect(Buffer.compare(await readFile(checkpoint), before)).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['model.ckpt', 'model.loss.svg']);
  });

  it('walkthrough --json writes the notebook\'s values as one JSON object', async () => {
    const text = await demo('walkthrough');
    const { code, out } = await demo('--json');
    expect(code).toBe(EXIT.ok);
    const result = onlyJson(out) as { backend: string; sections: Record<string, Record<string, unknown>> };
    expect(result.backend).toBe('cpu');
    expect(Object.keys(result.sections)).toEqual(['rnn_cell_forward', 'rnn_forward', 'lstm_cell_forward', 'lstm_forward', 'rnn_cell_backward', 'rnn_backward', 'lstm_cell_backward', 'lstm_backward']);
    expect(result.sections.lstm_forward?.['a.shape']).toEqual([5, 10, 7]);
    expect(result.sections.lstm_forward?.['len(caches)']).toBe(2);
    const printed = Number(/a\[4\]\[3\]\[6\] = (\S+)/.exec(text.out)?.[1]);
    expect(result.sections.lstm_forward?.['a[4][3][6]']).toBeCloseTo(printed, 8);
  });
});
