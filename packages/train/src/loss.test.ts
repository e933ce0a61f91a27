import { RandomState } from '@rnn/tensor';
import { describe, expect, it } from 'vitest';
import { encodeBatch } from './batching.js';
import { maskedCrossEntropy, outputLayerBackward, outputLayerForward } from './loss.js';
import { numericGradient, randomSequences, relativeError } from './test-support/gradient-check.js';

const nY = 5;
const nA = 4;
const batch = encodeBatch(randomSequences([3, 1, 4], nY), nY, 0);
const { m, T } = batch;
const dims = { nY, nA, m, T };

function draws(seed: number): { a: Float64Array; Wy: Float64Array; by: Float64Array } {
  const rng = new RandomState(seed);
  return {
    a: Float64Array.from(rng.randn(nA * m * T).dataSync()),
    Wy: Float64Array.from(rng.randn(nY * nA).dataSync()),
    by: Float64Array.from(rng.randn(nY).dataSync()),
  };
}

describe('masked softmax cross-entropy and the output layer', () => {
  it('sums −log p of the target over real steps only', () => {
    const { a, Wy, by } = draws(1);
    const yPred = outputLayerForward(a, Wy, by, dims);
    let expected = 0;
    for (let j = 0; j < m; j++) {
      for (let t = 0; t < T; t++) {
        if (batch.mask[j * T + t] === 1) expected -= Math.log(yPred[(batch.targets[j * T + t] as number) * m * T + j * T + t] as number);
      }
    }
    const ce = maskedCrossEntropy(yPred, batch.targets, batch.mask, dims);
    expect(ce.count).toBe(3 + 1 + 1 + 1 + 4 + 1);
    expect(ce.totalNats).toBeCloseTo(expected, 12);
    const columnSums = Array.from({ length: m * T }, (_, c) => Array.from({ length: nY }, (_, k) => yPred[k * m * T + c] as number).reduce((s, p) => s + p, 0));
    for (const s of columnSums) expect(s).toBeCloseTo(1, 14);
  });

  it('has the finite-difference gradient w.r.t. Wy, by and every hidden state (float64, relative error < 1e-7)', async () => {
    const { a, Wy, by } = draws(2);
    const normalizer = batch.count;
    const loss = (): number => maskedCrossEntropy(outputLayerForward(a, Wy, by, dims), batch.targets, batch.mask, dims).totalNats / normalizer;
    const g = outputLayerBackward(outputLayerForward(a, Wy, by, dims), a, Wy, batch.targets, batch.mask, dims, normalizer);
    const errors = {
      Wy: relativeError(g.dWy, await numericGradient(Wy, loss)),
      by: relativeError(g.dby, await numericGradient(by, loss)),
      a: relativeError(g.da, await numericGradient(a, loss)),
    };
    for (const [name, error] of Object.entries(errors)) expect(error, name).toBeLessThan(1e-7);
  });

  it('gives padded steps no gradient', () => {
    const { a, Wy, by } = draws(3);
    const g = outputLayerBackward(outputLayerForward(a, Wy, by, dims), a, Wy, batch.targets, batch.mask, dims, 1);
    let realNonZero = 0;
    for (let i = 0; i < nA; i++) {
      for (let c = 0; c < m * T; c++) {
        const v = g.da[i * m * T + c] as number;
        if (batch.mask[c] === 0) expect(v).toBe(0);
        else if (v !== 0) realNonZero++;
      }
    }
    expect(realNonZero).toBeGreaterThan(0);
  });

  it('refuses arrays of the wrong size, naming the argument', () => {
    const { a, Wy } = draws(4);
    expect(() => outputLayerBackward(new Float64Array(3), a, Wy, batch.targets, batch.mask, dims, 1)).toThrow(/outputLayerBackward: yPred holds 3 values/);
    expect(() => outputLayerBackward(new Float64Array(nY * m * T), a, Wy, batch.targets, batch.mask, dims, 0)).toThrow(/normalizer must be positive/);
  });
});
