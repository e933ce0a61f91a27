import { InvalidArgumentError } from '@rnn/tensor';
import { describe, expect, it } from 'vitest';
import { clipByGlobalNorm, clipByValue, globalNorm } from './clip.js';
import { Adam, Sgd } from './optimizers.js';

describe('Sgd', () => {
  it('steps θ − lr·g', () => {
    const params = { W: Float64Array.of(1, -2), b: Float64Array.of(0.5) };
    const sgd = new Sgd(0.1);
    sgd.step(params, { W: Float64Array.of(0.5, -1), b: Float64Array.of(2) });
    expect(Array.from(params.W)).toEqual([1 - 0.1 * 0.5, -2 + 0.1]);
    expect(params.b[0]).toBeCloseTo(0.5 - 0.2, 15);
    expect(sgd.steps).toBe(1);
  });

  it('refuses a missing or mis-sized gradient before changing anything', () => {
    const params = { W: Float64Array.of(1, 2), b: Float64Array.of(3) };
    const sgd = new Sgd(0.1);
    expect(() => sgd.step(params, { W: Float64Array.of(1, 1) })).toThrow(InvalidArgumentError);
    expect(() => sgd.step(params, { W: Float64Array.of(1), b: Float64Array.of(1) })).toThrow(/grads.W holds 1 values/);
    expect(Array.from(params.W)).toEqual([1, 2]);
    expect(() => new Sgd(0)).toThrow(/learningRate must be a positive/);
  });
});

describe('Adam', () => {
  it('takes two steps as computed by hand (β₁ 0.9, β₂ 0.999, ε 1e-8)', () => {
    const p = { W: Float64Array.of(1, -2) };
    const adam = new Adam(0.1);
    adam.step(p, { W: Float64Array.of(0.5, -0.1) });
    // step 1: m̂ = g, v̂ = g², so θ moves by lr·g/(|g| + ε)
    expect(p.W[0]).toBeCloseTo(1 - (0.1 * 0.5) / (0.5 + 1e-8), 14);
    expect(p.W[1]).toBeCloseTo(-2 + (0.1 * 0.1) / (0.1 + 1e-8), 14);
    adam.step(p, { W: Float64Array.of(0.5, 0.3) });
    // step 2, second element: m = 0.9·(−0.01) + 0.1·0.3 = 0.021, v = 0.999·1e-5 + 0.001·0.09 = 9.999e-5
    const mHat = 0.021 / (1 - 0.81);
    const vHat = 9.999e-5 / (1 - 0.998001);
    expect(p.W[1]).toBeCloseTo(-2 + (0.1 * 0.1) / (0.1 + 1e-8) - (0.1 * mHat) / (Math.sqrt(vHat) + 1e-8), 12);
    // first element: the same gradient twice keeps m̂ = g and v̂ = g²
    expect(p.W[0]).toBeCloseTo(1 - (2 * 0.1 * 0.5) / (0.5 + 1e-8), 12);
    expect(adam.steps).toBe(2);
  });

  it('keeps separate moments per parameter name', () => {
    const a = { W: Float64Array.of(0), b: Float64Array.of(0) };
    const adam = new Adam(1);
    adam.step(a, { W: Float64Array.of(1), b: Float64Array.of(-4) });
    expect(a.W[0]).toBeCloseTo(-1, 7);
    expect(a.b[0]).toBeCloseTo(1, 7);
  });
});

describe('gradient clipping', () => {
  it('clips by value to [−5, 5] like np.clip, counting what changed', () => {
    const g = { dW: Float64Array.of(-7, -5, 0.5, 5.0001, 12), db: Float64Array.of(Number.NaN, 3) };
    expect(clipByValue(g, 5)).toBe(3);
    expect(Array.from(g.dW)).toEqual([-5, -5, 0.5, 5, 5]);
    expect(Number.isNaN(g.db[0])).toBe(true);
    expect(g.db[1]).toBe(3);
  });

  it('rescales by the global norm only above the limit, keeping the direction', () => {
    const g = { a: Float64Array.of(3, 0), b: Float64Array.of(4) };
    expect(globalNorm(g)).toBe(5);
    expect(clipByGlobalNorm(g, 10)).toBe(5);
    expect(Array.from(g.a)).toEqual([3, 0]);
    expect(clipByGlobalNorm(g, 1)).toBe(5);
    expect(g.a[0]).toBeCloseTo(0.6, 15);
    expect(g.b[0]).toBeCloseTo(0.8, 15);
    expect(globalNorm(g)).toBeCloseTo(1, 15);
    expect(() => clipByGlobalNorm(g, 0)).toThrow(/maxNorm must be positive/);
  });
});

describe('Adam with weight decay (AdamW)', () => {
  it('also shrinks θ by lr·λ·θ each step, decoupled from the moments', () => {
    const p = { W: Float64Array.of(2) };
    new Adam(0.1, { weightDecay: 0.5 }).step(p, { W: Float64Array.of(0.5) });
    expect(p.W[0]).toBeCloseTo(2 - 0.1 * (0.5 / (0.5 + 1e-8) + 0.5 * 2), 14);
    expect(() => new Adam(0.1, { weightDecay: -1 })).toThrow(/weightDecay must be non-negative/);
  });
});

describe('the cosine schedule', () => {
  it('starts at lr, halves at mid-run and ends at 5 %', async () => {
    const { scheduledRate } = await import('./fit-loop.js');
    expect(scheduledRate(0.01, 0, 100)).toBeCloseTo(0.01, 15);
    expect(scheduledRate(0.01, 50, 100)).toBeCloseTo(0.01 * (0.05 + 0.475), 15);
    expect(scheduledRate(0.01, 100, 100)).toBeCloseTo(0.0005, 15);
  });
});
