import { createCpuBackend } from '@rnn/backend-cpu';
import { RandomState } from '@rnn/tensor';
import { describe, expect, it } from 'vitest';
import { NonFiniteError } from './errors.js';
import { initParameters } from './init.js';
import { applyTemperature, sampleSequence } from './sample.js';

const backend = createCpuBackend();
const dims = { nX: 8, nA: 6, nY: 8 };

describe('applyTemperature', () => {
  const y = [0.1, 0.6, 0.3];

  it('keeps the probabilities at τ = 1 and sharpens or flattens them otherwise, keeping their order', () => {
    expect(Array.from(applyTemperature(y, 1)).map((p) => +p.toFixed(12))).toEqual(y);
    const sharp = applyTemperature(y, 0.5);
    expect(sharp[1]).toBeCloseTo(0.36 / (0.01 + 0.36 + 0.09), 12);
    expect(applyTemperature(y, 0.01)[1]).toBeGreaterThan(0.999999);
    const flat = applyTemperature(y, 100);
    for (const p of flat) expect(p).toBeCloseTo(1 / 3, 2);
    expect(flat[1]! > flat[2]! && flat[2]! > flat[0]!).toBe(true);
    expect(() => applyTemperature(y, 0)).toThrow(/temperature must be a positive/);
  });
});

describe.each(['lstm', 'rnn'] as const)('sampleSequence (%s)', (cell) => {
  const params = initParameters(cell, dims, { seed: 2 });
  // by = 0 would make the first step's distribution uniform, a tie no temperature breaks.
  params.by!.forEach((_, i) => (params.by![i] = 0.1 * i));
  const draw = (seed: number, temperature = 1, trace = false) =>
    sampleSequence(cell, dims, params, 0, { rng: new RandomState(seed), temperature, backend, maxLength: 30, trace });

  it('is fixed by the seed and changes with it', async () => {
    const first = await draw(5);
    expect((await draw(5)).indices).toEqual(first.indices);
    const others = await Promise.all([1, 2, 3, 4, 6, 7].map((s) => draw(s)));
    expect(others.some((o) => o.indices.join() !== first.indices.join())).toBe(true);
  });

  it('draws the most likely character every time at τ = 1e-6, whatever the seed', async () => {
    const a = await draw(1, 1e-6);
    const b = await draw(99, 1e-6);
    expect(a.indices).toEqual(b.indices);
  });

  it('stops at the end of name or at maxLength, and frees its tensors', async () => {
    const before = backend.memory().tensors;
    for (let seed = 0; seed < 5; seed++) {
      const s = await draw(seed);
      expect(s.indices.includes(0)).toBe(false);
      expect(s.ended ? s.indices.length <= 30 : s.indices.length === 30).toBe(true);
    }
    expect(backend.memory().tensors).toBe(before);
  });

  it(cell === 'lstm' ? 'records the gates and cell state at each step' : 'records no gates', async () => {
    const s = await draw(3, 1, true);
    if (cell === 'rnn') {
      expect(s.trace).toBeUndefined();
      return;
    }
    const steps = s.indices.length + (s.ended ? 1 : 0);
    expect(s.trace?.forget).toHaveLength(steps);
    expect(s.trace?.cell[0]).toHaveLength(dims.nA);
    for (const v of s.trace!.update.flatMap((u) => Array.from(u))) expect(v > 0 && v < 1).toBe(true);
  });
});

describe('non-finite probabilities and extreme temperatures', () => {
  it('tends to the most likely class as τ → 0, even when 1/τ overflows to ∞', () => {
    for (const tau of [1e-6, 1e-300, 1e-310, Number.MIN_VALUE]) {
      const p = applyTemperature([0.1, 0.6, 0.3], tau);
      expect(Array.from(p), `τ = ${tau}`).toEqual([0, 1, 0]);
    }
    expect(Array.from(applyTemperature([0.5, 0.5, 0], 1e-310))).toEqual([0.5, 0.5, 0]);
    for (const p of applyTemperature([0.1, 0.6, 0.3], Number.MAX_VALUE)) expect(p).toBeCloseTo(1 / 3, 12);
  });

  it('refuses probabilities that are NaN or infinite with a NonFiniteError, and negative ones', () => {
    expect(() => applyTemperature([0.2, Number.NaN, 0.8], 1)).toThrow(NonFiniteError);
    expect(() => applyTemperature([0.2, Number.NaN, 0.8], 1)).toThrow(/applyTemperature: y holds NaN at index 1/);
    expect(() => applyTemperature([Number.POSITIVE_INFINITY, 0], 1)).toThrow(NonFiniteError);
    expect(() => applyTemperature([0.5, -0.1], 1)).toThrow(/probabilities cannot be negative/);
    expect(() => applyTemperature([], 1)).toThrow(/y is empty/);
    for (const tau of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => applyTemperature([1], tau)).toThrow(/temperature must be a positive finite number/);
  });

  it.each(['lstm', 'rnn'] as const)('draws nothing from a %s whose output is NaN: a NonFiniteError names the step', async (cell) => {
    const params = initParameters(cell, dims, { seed: 2 });
    params.by![3] = Number.NaN;
    const sample = sampleSequence(cell, dims, params, 0, { rng: new RandomState(1), backend });
    await expect(sample).rejects.toThrow(NonFiniteError);
    await expect(sampleSequence(cell, dims, params, 0, { rng: new RandomState(1), backend })).rejects.toThrow(/sampleSequence: ŷ⟨1⟩ holds NaN/);
  });

  it('samples at τ = 1e-310 as at τ = 1e-6: the most likely character every step', async () => {
    const params = initParameters('lstm', dims, { seed: 2 });
    params.by!.forEach((_, i) => (params.by![i] = i === 3 ? 2 : 0)); // 3 the most likely, not the last index
    const draw = (temperature: number) => sampleSequence('lstm', dims, params, 0, { rng: new RandomState(4), temperature, backend, maxLength: 20 });
    const sharp = await draw(1e-310);
    expect(sharp.indices[0]).toBe(3);
    expect(sharp.indices).toEqual((await draw(1e-6)).indices);
  });
});
