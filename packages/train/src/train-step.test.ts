import { createCpuBackend } from '@rnn/backend-cpu';
import { describe, expect, it } from 'vitest';
import { encodeBatch, type Batch } from './batching.js';
import { initParameters } from './init.js';
import { cloneParameters, type CellType } from './parameters.js';
import { numericGradient, randomSequences, relativeError } from './test-support/gradient-check.js';
import { batchLoss, lossAndGradients } from './train-step.js';

const backend = createCpuBackend();
const opts = { backend, dtype: 'float64' as const };
const nX = 6;
const dims = { nX, nA: 3, nY: nX };
const hidden = { nA: dims.nA, nY: dims.nY };
const sequences = randomSequences([4, 1, 2], nX, 11);

/** A copy of `batch` whose padded steps read `value` everywhere and target class 1. */
function withPaddingChanged(batch: Batch, value: number): Batch {
  const x = batch.x.slice();
  const targets = batch.targets.slice();
  const { m, T } = batch;
  for (let c = 0; c < m * T; c++) {
    if (batch.mask[c] !== 0) continue;
    targets[c] = 1;
    for (let i = 0; i < nX; i++) x[i * m * T + c] = value;
  }
  return { ...batch, x, targets };
}

describe.each<CellType>(['lstm', 'rnn'])('%s: loss and gradients through the cells', (cell) => {
  const batch = encodeBatch(sequences, nX, 0);

  it('matches finite differences for every weight, with padded names (float64, relative error < 1e-7)', async () => {
    const params = initParameters(cell, dims, { seed: 3 });
    for (const p of Object.values(params)) for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) + 0.1 * Math.sin(7 * i + p.length);
    const { grads, count } = await lossAndGradients(cell, hidden, params, batch, opts);
    expect(count).toBe(4 + 1 + 1 + 1 + 2 + 1);
    const loss = async (): Promise<number> => (await batchLoss(cell, hidden, params, batch, opts)).totalNats / count;
    for (const [name, values] of Object.entries(params)) {
      const g = grads[name];
      expect(g, name).toBeDefined();
      const error = relativeError(g!, await numericGradient(values, loss));
      expect(error, `d${name}`).toBeLessThan(1e-7);
    }
  });

  it('ignores what padded steps hold: the same loss and the same gradients', async () => {
    const params = initParameters(cell, dims, { seed: 4 });
    const base = await lossAndGradients(cell, hidden, params, batch, opts);
    const changed = await lossAndGradients(cell, hidden, params, withPaddingChanged(batch, 5), opts);
    expect(changed.totalNats).toBe(base.totalNats);
    for (const [name, g] of Object.entries(base.grads)) expect(Array.from(changed.grads[name]!), name).toEqual(Array.from(g));
  });

  it('gives a padded batch the summed gradients of its names run one by one', async () => {
    const params = initParameters(cell, dims, { seed: 5 });
    const together = await lossAndGradients(cell, hidden, params, batch, { ...opts, normalizer: 1 });
    const sum = cloneParameters(together.grads);
    for (const g of Object.values(sum)) g.fill(0);
    let nats = 0;
    for (const s of sequences) {
      const one = await lossAndGradients(cell, hidden, params, encodeBatch([s], nX, 0), { ...opts, normalizer: 1 });
      nats += one.totalNats;
      for (const [name, g] of Object.entries(one.grads)) g.forEach((v, i) => (sum[name]![i] = (sum[name]![i] as number) + v));
    }
    expect(together.totalNats).toBeCloseTo(nats, 12);
    for (const [name, g] of Object.entries(together.grads)) {
      expect(relativeError(g, sum[name]!), name).toBeLessThan(1e-12);
    }
  });

  it('frees every tensor it puts on the backend', async () => {
    const before = backend.memory().tensors;
    await lossAndGradients(cell, hidden, initParameters(cell, dims, { seed: 6 }), batch, opts);
    expect(backend.memory().tensors).toBe(before);
  });
});
