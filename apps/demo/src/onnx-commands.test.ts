import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCpuBackend } from '@rnn/backend-cpu';
import { SequenceModel, Vocabulary } from '@rnn/train';
import { describe, expect, it } from 'vitest';
import { demo, onlyJson, smallCheckpoint, tempDir } from './cli-harness.js';
import { EXIT } from './exit-codes.js';

/** A committed ONNX model of the onnx package: an `LSTM` node with every input, as onnxruntime's tests lay one out. */
const LSTM_FIXTURE = fileURLToPath(new URL('../../../packages/onnx/fixtures/lstm.onnx', import.meta.url));

/** What `export --json` prints. */
interface ExportSummary {
  out: string;
  bytes: number;
  opset: number;
  operators: string[];
  inputs: { name: string; shape: (number | string | null)[] }[];
  outputs: { name: string; shape: (number | string | null)[] }[];
  checked: { examples: number; steps: number; maxAbsDiff: number };
}

/** A two-layer character GRU on a small alphabet, saved in `dir` as `pnpm demo train` saves one. */
async function gruCheckpoint(dir: string): Promise<{ path: string; model: SequenceModel }> {
  const model = SequenceModel.create({ cell: 'gru', numLayers: 2, vocabulary: Vocabulary.fromText('abcdefgh\nbade\ncafe'), hiddenSize: 6, seed: 3 });
  const path = join(dir, 'gru.ckpt');
  await writeFile(path, model.save());
  return { path, model };
}

describe('pnpm demo export', () => {
  it('writes an ONNX model that onnxruntime-node runs with the checkpoint\'s own probabilities', async () => {
    const dir = await tempDir();
    const { path, model } = await gruCheckpoint(dir);
    const out = join(dir, 'gru.onnx');
    const { code, out: stdout, err } = await demo('export', '--checkpoint', path, '--out', out, '--json');
    expect(code, err).toBe(EXIT.ok);
    const summary = onlyJson(stdout) as ExportSummary;
    expect(summary.out).toBe(out);
    expect(summary.operators).toEqual(['GRU', 'Squeeze', 'GRU', 'Squeeze', 'MatMul', 'Add', 'Softmax']);
    const V = model.vocabulary?.size ?? 0;
    expect(summary.inputs).toEqual([{ name: 'X', shape: ['T', 'batch', V] }]);
    expect(summary.outputs).toEqual([{ name: 'probabilities', shape: ['T', 'batch', V] }]);
    expect(summary.checked.maxAbsDiff).toBeLessThan(1e-4);
    const bytes = await readFile(out);
    expect(bytes.byteLength).toBe(summary.bytes);

    // An engine that is not ours: onnxruntime-node on the file, against SequenceModel.predict.
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
    const T = 5;
    const letters = [3, 1, 4, 1];
    const steps = [new Array<number>(V).fill(0), ...letters.map((l) => Array.from({ length: V }, (_, k) => (k === l ? 1 : 0)))];
    const X = new ort.Tensor('float32', Float32Array.from(steps.flat()), [T, 1, V]);
    const result = await session.run({ X });
    await session.release();
    const probabilities = result['probabilities']?.data as Float32Array;
    const backend = createCpuBackend();
    const { steps: want } = await model.predict([steps], { backend });
    backend.dispose();
    let worst = 0;
    for (let t = 0; t < T; t++) for (let k = 0; k < V; k++) worst = Math.max(worst, Math.abs((probabilities[t * V + k] as number) - (want[0]?.[t]?.[k] ?? Number.NaN)));
    expect(worst).toBeLessThan(2e-5);
  });

  it('writes next to the checkpoint by default and says what it checked', async () => {
    const dir = await tempDir();
    const path = await smallCheckpoint(dir);
    const { code, out, err } = await demo('export', '--checkpoint', path);
    expect(code, err).toBe(EXIT.ok);
    expect(out).toContain(`wrote ${join(dir, 'small.onnx')}`);
    expect(out).toMatch(/operators: LSTM → Squeeze → MatMul → Add → Softmax/);
    expect(out).toMatch(/checked: run back on the CPU backend, 3 examples × 8 steps, max \|Δ\| \d\.\d\de-\d+/);
    expect((await stat(join(dir, 'small.onnx'))).size).toBeGreaterThan(0);
  });

  it.each([
    [['export', '--checkpoint', '/nonexistent/model.ckpt'], EXIT.checkpoint, /no checkpoint at \/nonexistent\/model.ckpt/],
    [['export', '--opset', '12'], EXIT.usage, /--opset must be .*13/],
    [['export', 'model.ckpt'], EXIT.usage, /Unexpected argument 'model.ckpt'/],
  ])('%j exits %i', async (argv, exit, message) => {
    const { code, err } = await demo(...argv);
    expect(code).toBe(exit);
    expect(err).toMatch(message);
  });
});

describe('pnpm demo run-onnx', () => {
  it('samples names from an exported character model, with a prefix, reproducibly', async () => {
    const dir = await tempDir();
    const { path, model } = await gruCheckpoint(dir);
    const onnx = join(dir, 'gru.onnx');
    expect((await demo('export', '--checkpoint', path, '--out', onnx)).code).toBe(EXIT.ok);
    const run = async () => {
      const { code, out, err } = await demo('run-onnx', onnx, '--count', '4', '--prefix', 'ba', '--temperature', '0.7', '--seed', '5', '--json');
      expect(code, err).toBe(EXIT.ok);
      return onlyJson(out) as { names: string[]; operators: string[]; metadata: Record<string, string> };
    };
    const first = await run();
    expect(first.names).toHaveLength(4);
    const alphabet = new Set(model.vocabulary?.chars);
    for (const name of first.names) {
      expect(name.startsWith('ba')).toBe(true);
      for (const c of name) expect(alphabet.has(c), `${JSON.stringify(c)} in ${JSON.stringify(name)}`).toBe(true);
    }
    expect(first.metadata['rnn.task']).toBe('characters');
    expect((await run()).names).toEqual(first.names);
  });

  it('runs any other model once on seeded inputs and prints every output in its declared shape', async () => {
    const { code, out, err } = await demo('run-onnx', LSTM_FIXTURE, '--json');
    expect(code, err).toBe(EXIT.ok);
    const result = onlyJson(out) as { operators: string[]; outputs: Record<string, { shape: number[]; values: number[] }> };
    expect(result.operators).toEqual(['LSTM']);
    expect(Object.keys(result.outputs).sort()).toEqual(['Y', 'Y_c', 'Y_h']);
    const Y = result.outputs['Y'];
    expect(Y?.shape).toEqual([5, 2, 3, 4]);
    expect(Y?.values).toHaveLength(120);
    expect(Y?.values.every((v) => Number.isFinite(v) && Math.abs(v) < 1)).toBe(true);
  });

  it.each([
    [['run-onnx'], EXIT.usage, /missing MODEL/],
    [['run-onnx', 'a.onnx', 'b.onnx'], EXIT.usage, /unexpected argument b.onnx/],
    [['run-onnx', '/nonexistent/m.onnx'], EXIT.checkpoint, /no model at \/nonexistent\/m.onnx/],
    [['run-onnx', LSTM_FIXTURE, '--prefix', 'ab'], EXIT.usage, /--count, --prefix and --temperature sample a character model/],
    [['run-onnx', LSTM_FIXTURE, '--dim', 'T=0'], EXIT.usage, /--dim takes NAME=N pairs/],
  ])('%j exits %i', async (argv, exit, message) => {
    const { code, err } = await demo(...argv);
    expect(code).toBe(exit);
    expect(err).toMatch(message);
  });

  it('refuses a truncated model with exit 3, naming what is wrong', async () => {
    const dir = await tempDir();
    const path = join(dir, 'cut.onnx');
    await writeFile(path, (await readFile(LSTM_FIXTURE)).subarray(0, 120));
    const { code, err } = await demo('run-onnx', path);
    expect(code).toBe(EXIT.checkpoint);
    expect(err).toMatch(/OnnxModel.load: truncated/);
  });
});
