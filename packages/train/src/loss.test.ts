import { RandomState } from '@rnn/tensor';
import { describe, expect, it } from 'vitest';
import { encodeBatch } from './batching.js';
import { crossEntropyLogitsGradient, maskedCorrect, maskedCrossEntropy, maskedSquaredError, squaredErrorGradient } from './loss.js';
import { numericGradient, randomSequences, relativeError } from './test-support/gradient-check.js';

const nY = 5;
const batch = encodeBatch(randomSequences([3, 1, 4], nY), nY, 0);
const { m, T } = batch;
const dims = { nY, m, T };

/** `softmax` over the classes of logits `z (n_y, m, T)`, on the host. */
function softmax(z: Float64Array): Float64Array {
  const cols = m * T;
  const y = new Float64Array(z.length);
  for (let c = 0; c < cols; c++) {
    let max = -Infinity;
    for (let k = 0; k < nY; k++) max = Math.max(max, z[k * cols + c] as number);
    let sum = 0;
    for (let k = 0; k < nY; k++) sum += (y[k * cols + c] = Math.exp((z[k * cols + c] as number) - max));
    for (let k = 0; k < nY; k++) y[k * cols + c] = (y[k * cols + c] as number) / sum;
  }
  return y;
}

const draw = (seed: number, n: number): Float64Array => Float64Array.from(new RandomState(seed).randn(n).dataSync());

describe('masked softmax cross-entropy', () => {
  it('sums −log p of the target over real steps only', () => {
    const yPred = softmax(draw(1, nY * m * T));
    let expected = 0;
    for (let c = 0; c < m * T; c++) if (batch.mask[c] === 1) expected -= Math.log(yPred[(batch.targets[c] as number) * m * T + c] as number);
    const ce = maskedCrossEntropy(yPred, batch.targets, batch.mask, dims);
    expect(ce.count).toBe(3 + 1 + 1 + 1 + 4 + 1);
    expect(ce.totalNats).toBeCloseTo(expected, 12);
  });

  it('has the finite-difference gradient at the logits, (ŷ − y)·mask/N, zero on padding (float64, relative error < 1e-7)', async () => {
    const z = draw(2, nY * m * T);
    const N = batch.count;
    const loss = (): number => maskedCrossEntropy(softmax(z), batch.targets, batch.mask, dims).totalNats / N;
    const dz = crossEntropyLogitsGradient(softmax(z), batch.targets, batch.mask, dims, N);
    expect(relativeError(dz, await numericGradient(z, loss))).toBeLessThan(1e-7);
    for (let c = 0; c < m * T; c++) if (batch.mask[c] === 0) for (let k = 0; k < nY; k++) expect(dz[k * m * T + c]).toBe(0);
  });

  it('counts the steps whose most likely class is the target', () => {
    const yPred = new Float64Array(nY * m * T);
    for (let c = 0; c < m * T; c++) yPred[((c % 2 === 0 ? batch.targets[c] : (batch.targets[c]! + 1) % nY) as number) * m * T + c] = 1;
    let expected = 0;
    for (let c = 0; c < m * T; c += 2) if (batch.mask[c] === 1) expected++;
    expect(maskedCorrect(yPred, batch.targets, batch.mask, dims)).toBe(expected);
  });
});

describe('masked squared error', () => {
  const targets = draw(3, nY * m * T);

  it('sums (ŷ − y)² over the counted steps, counting n_y values per step', () => {
    const yPred = draw(4, nY * m * T);
    let expected = 0;
    for (let k = 0; k < nY; k++) for (let c = 0; c < m * T; c++) if (batch.mask[c] === 1) expected += ((yPred[k * m * T + c] as number) - (targets[k * m * T + c] as number)) ** 2;
    const se = maskedSquaredError(yPred, targets, batch.mask, dims);
    expect(se.count).toBe(nY * batch.count);
    expect(se.totalSquaredError).toBeCloseTo(expected, 12);
  });

  it('has the finite-difference gradient 2(ŷ − y)·mask/N (float64, relative error < 1e-7)', async () => {
    const yPred = draw(5, nY * m * T);
    const N = nY * batch.count;
    const loss = (): number => maskedSquaredError(yPred, targets, batch.mask, dims).totalSquaredError / N;
    const dz = squaredErrorGradient(yPred, targets, batch.mask, dims, N);
    expect(relativeError(dz, await numericGradient(yPred, loss))).toBeLessThan(1e-7);
  });
});

describe('the losses refuse bad input, naming the argument', () => {
  it('wrong sizes, a bad normalizer, bad dims', () => {
    const y = new Float64Array(nY * m * T);
    expect(() => crossEntropyLogitsGradient(new Float64Array(3), batch.targets, batch.mask, dims, 1)).toThrow(/crossEntropyLogitsGradient: yPred holds 3 values/);
    expect(() => crossEntropyLogitsGradient(y, batch.targets, batch.mask, dims, 0)).toThrow(/normalizer must be positive/);
    expect(() => squaredErrorGradient(y, new Float64Array(2), batch.mask, dims, 1)).toThrow(/squaredErrorGradient: targets holds 2 values but \(n_y, m, T\)/);
    expect(() => maskedSquaredError(y, y, batch.mask, { ...dims, m: 0 })).toThrow(/maskedSquaredError: dims\.m must be a positive integer/);
    expect(() => maskedCrossEntropy(y, batch.targets, new Float64Array(1), dims)).toThrow(/maskedCrossEntropy: mask holds 1 values/);
  });
});
