import { createCpuBackend } from '@rnn/backend-cpu';
import type { CellName } from '@rnn/cells';
import { describe, expect, it } from 'vitest';
import { encodeBatch, type Batch } from './batching.js';
import { initParameters } from './init.js';
import { cloneParameters, type ModelLayers } from './parameters.js';
import { encodeExamples, type SequenceDataset } from './sequence-data.js';
import type { ModelTask } from './task.js';
import { numericGradient, randomSequences, relativeError } from './test-support/gradient-check.js';
import { batchLoss, lossAndGradients } from './train-step.js';

const backend = createCpuBackend();
const opts = { backend, dtype: 'float64' as const };
const nX = 5;
const sequences = randomSequences([4, 1, 2], nX, 11);
const CELLS: readonly CellName[] = ['rnn', 'lstm', 'gru'];

/** A copy of `batch` whose padded steps read `value` everywhere and target class 1 (or value 9). */
function withPaddingChanged(batch: Batch, value: number): Batch {
  const x = batch.x.slice();
  const { m, T } = batch;
  const targets = batch.targets.slice();
  for (let j = 0; j < m; j++) {
    for (let t = batch.lengths[j] ?? 0; t < T; t++) {
      const c = j * T + t;
      for (let i = 0; i < batch.nX; i++) x[i * m * T + c] = value;
      if (batch.loss === 'cross-entropy') targets[c] = 1;
      else for (let k = 0; k < batch.nY; k++) targets[k * m * T + c] = 9;
    }
  }
  return { ...batch, x, targets } as Batch;
}

/** A small numeric dataset for each task: 3 examples of lengths 4, 1, 3 over 2 features. */
function dataset(task: Exclude<ModelTask, 'characters'>, nY: number): SequenceDataset {
  const lengths = [4, 1, 3];
  const inputs = lengths.map((L, j) => Array.from({ length: L }, (_, t) => [Math.sin(j + 0.7 * t), Math.cos(2 * j - t)]));
  const value = (j: number, t: number, k: number): number => Math.sin(3 * j + t + 0.5 * k);
  const targets = task === 'step-classification'
    ? lengths.map((L, j) => Array.from({ length: L }, (_, t) => (t === 1 ? null : (j + t) % nY)))
    : task === 'step-regression'
      ? lengths.map((L, j) => Array.from({ length: L }, (_, t) => Array.from({ length: nY }, (_, k) => value(j, t, k))))
      : lengths.map((L, j) => Array.from({ length: nY }, (_, k) => value(j, L, k)));
  return { inputs, targets };
}

interface Case {
  readonly name: string;
  readonly layers: ModelLayers;
  readonly batch: Batch;
}

const cases: Case[] = [];
for (const cell of CELLS) {
  for (const [numLayers, bidirectional] of [[1, false], [2, true]] as const) {
    const stack = `${cell} ${numLayers} layer${numLayers > 1 ? 's' : ''}${bidirectional ? ' bidirectional' : ''}`;
    cases.push({ name: `${stack}, characters`, layers: { cell, inputSize: nX, hiddenSize: 3, numLayers, bidirectional, outputSize: nX }, batch: encodeBatch(sequences, nX, 0) });
    if (numLayers === 1) continue;
    for (const [task, nY] of [['step-classification', 3], ['step-regression', 2], ['last-step-regression', 2]] as const) {
      cases.push({ name: `${stack}, ${task}`, layers: { cell, inputSize: 2, hiddenSize: 3, numLayers, bidirectional, outputSize: nY }, batch: encodeExamples(task, dataset(task, nY), [0, 1, 2], 2, nY) });
    }
  }
}

describe.each(cases)('$name: loss and gradients through the layers and the head', ({ layers, batch }) => {
  it('matches finite differences for every weight, with padded examples (float64, relative error < 1e-7)', async () => {
    const params = initParameters(layers, { seed: 3 });
    for (const p of Object.values(params)) for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) + 0.1 * Math.sin(7 * i + p.length);
    const { grads, count, total } = await lossAndGradients(layers, params, batch, opts);
    expect(count).toBeGreaterThan(0);
    expect(Number.isFinite(total)).toBe(true);
    expect(Object.keys(grads).sort()).toEqual(Object.keys(params).sort());
    const loss = async (): Promise<number> => {
      const r = await batchLoss(layers, params, batch, opts);
      return r.total / count;
    };
    for (const [name, values] of Object.entries(params)) {
      const numeric = await numericGradient(values, loss);
      const g = grads[name]!;
      // A weight the loss cannot reach (the top reverse direction's recurrence, for a loss at the last step only) has gradient exactly 0.
      if (g.every((v) => v === 0)) expect(Math.max(...numeric.map(Math.abs)), `d${name} is 0`).toBeLessThan(1e-10);
      else expect(relativeError(g, numeric), `d${name}`).toBeLessThan(1e-7);
    }
  });

  it('ignores what padded steps hold: the same loss and the same gradients', async () => {
    const params = initParameters(layers, { seed: 4 });
    const base = await lossAndGradients(layers, params, batch, opts);
    const changed = await lossAndGradients(layers, params, withPaddingChanged(batch, 5), opts);
    expect(changed.total).toBe(base.total);
    for (const [name, g] of Object.entries(base.grads)) expect(Array.from(changed.grads[name]!), name).toEqual(Array.from(g));
  });

  it('frees every tensor it puts on the backend', async () => {
    const before = backend.memory().tensors;
    await lossAndGradients(layers, initParameters(layers, { seed: 6 }), batch, opts);
    await batchLoss(layers, initParameters(layers, { seed: 6 }), batch, opts);
    expect(backend.memory().tensors).toBe(before);
  });
});

describe.each(CELLS)('%s: a padded batch', (cell) => {
  it('has the summed gradients of its names run one by one', async () => {
    const layers = { cell, inputSize: nX, hiddenSize: 3, numLayers: 2, bidirectional: true, outputSize: nX };
    const params = initParameters(layers, { seed: 5 });
    const together = await lossAndGradients(layers, params, encodeBatch(sequences, nX, 0), { ...opts, normalizer: 1 });
    const sum = cloneParameters(together.grads);
    for (const g of Object.values(sum)) g.fill(0);
    let nats = 0;
    for (const s of sequences) {
      const one = await lossAndGradients(layers, params, encodeBatch([s], nX, 0), { ...opts, normalizer: 1 });
      nats += one.total;
      for (const [name, g] of Object.entries(one.grads)) g.forEach((v, i) => (sum[name]![i] = (sum[name]![i] as number) + v));
    }
    expect(together.total).toBeCloseTo(nats, 12);
    for (const [name, g] of Object.entries(together.grads)) expect(relativeError(g, sum[name]!), name).toBeLessThan(1e-12);
  });
});

describe('lossAndGradients refuses bad input with typed errors', () => {
  const layers = { cell: 'gru', inputSize: nX, hiddenSize: 3, outputSize: nX } as const;
  const params = initParameters(layers, { seed: 1 });
  const batch = encodeBatch(sequences, nX, 0);

  it('names the argument at fault', async () => {
    await expect(lossAndGradients({ ...layers, inputSize: 4 }, initParameters({ ...layers, inputSize: 4 }, { seed: 1 }), batch, opts)).rejects.toThrow(/^lossAndGradients: batch has n_x = 5 features but the layers read inputSize = 4/);
    await expect(lossAndGradients({ ...layers, cell: 'tcn' as 'gru' }, params, batch, opts)).rejects.toThrow(/^lossAndGradients: cell must be 'rnn', 'lstm', 'gru', got 'tcn'/);
    await expect(lossAndGradients(layers, params, batch, { ...opts, normalizer: 0 })).rejects.toThrow(/normalizer must be positive/);
    const { Wy: _, ...noHead } = params;
    await expect(lossAndGradients(layers, noHead, batch, opts)).rejects.toThrow(/parameters\.Wy is missing/);
  });
});
