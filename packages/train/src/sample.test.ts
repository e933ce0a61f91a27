import { createCpuBackend } from '@rnn/backend-cpu';
import { CELLS, layersForward, type CellName } from '@rnn/cells';
import { InvalidArgumentError, RandomState, tensor } from '@rnn/tensor';
import { describe, expect, it } from 'vitest';
import { NonFiniteError, UnsupportedOperationError } from './errors.js';
import { initParameters } from './init.js';
import { toTensors, type ModelLayers } from './parameters.js';
import { applyTemperature, sampleSequence } from './sample.js';

const backend = createCpuBackend();

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

const layersOf = (cell: CellName, numLayers = 1): ModelLayers => ({ cell, inputSize: 8, hiddenSize: 6, numLayers, bidirectional: false, outputSize: 8 });

/** Seeded parameters whose first distribution is not uniform (by = 0 would make it a tie no temperature breaks). */
function parametersOf(layers: ModelLayers, seed = 2): Record<string, Float64Array> {
  const params = initParameters(layers, { seed });
  params.by!.forEach((_, i) => (params.by![i] = 0.1 * i));
  return params;
}

describe.each([['rnn', 1], ['lstm', 1], ['gru', 1], ['gru', 2], ['lstm', 2]] as const)('sampleSequence (%s, %i layers)', (cell, numLayers) => {
  const layers = layersOf(cell, numLayers);
  const params = parametersOf(layers);
  const draw = (seed: number, temperature = 1, extra: { trace?: boolean; prefix?: number[] } = {}) =>
    sampleSequence(layers, params, 0, { rng: new RandomState(seed), temperature, backend, maxLength: 30, ...extra });

  it('is fixed by the seed and changes with it', async () => {
    const first = await draw(5);
    expect((await draw(5)).indices).toEqual(first.indices);
    const others = await Promise.all([1, 2, 3, 4, 6, 7].map((s) => draw(s)));
    expect(others.some((o) => o.indices.join() !== first.indices.join())).toBe(true);
  });

  it('draws the most likely character every time at τ = 1e-6, whatever the seed: what the whole sequence run at once predicts', async () => {
    const a = await draw(1, 1e-6, { prefix: [3, 5] });
    expect((await draw(99, 1e-6, { prefix: [3, 5] })).indices).toEqual(a.indices);
    const fed = [3, 5, ...a.indices];
    for (let k = 0; k < Math.min(a.indices.length, 6); k++) {
      const steps = fed.slice(0, 2 + k);
      const x = new Float64Array(8 * (steps.length + 1));
      steps.forEach((idx, t) => (x[idx * (steps.length + 1) + t + 1] = 1));
      const out = layersForward(tensor(x, [8, 1, steps.length + 1]), toTensors(layers, params, 'float64'), layers, { backend });
      const y = out.yPred!.dataSync();
      const T = steps.length + 1;
      const last = Array.from({ length: 8 }, (_, i) => y[i * T + T - 1] as number);
      expect(a.indices[k], `draw ${k + 1} after the prefix`).toBe(last.indexOf(Math.max(...last)));
    }
  });

  it('stops at the end of name or at maxLength, and frees its tensors', async () => {
    const before = backend.memory().tensors;
    for (let seed = 0; seed < 5; seed++) {
      const s = await draw(seed, 1, { trace: seed % 2 === 0, prefix: seed === 4 ? [1] : [] });
      expect(s.indices.includes(0)).toBe(false);
      expect(s.ended ? s.indices.length <= 30 : s.indices.length === 30).toBe(true);
    }
    expect(backend.memory().tensors).toBe(before);
  });

  it("records every layer's activations and states, as the cell's description names them, at every step it ran", async () => {
    const s = await draw(3, 1, { trace: true, prefix: [2] });
    const steps = 1 + s.indices.length + (s.ended ? 1 : 0);
    const names = [...CELLS[cell].activations, 'a', ...(cell === 'lstm' ? ['c'] : [])];
    expect(s.trace?.cell).toBe(cell);
    expect(s.trace?.layers).toHaveLength(numLayers);
    for (const layer of s.trace!.layers) {
      expect(Object.keys(layer).sort()).toEqual([...names].sort());
      for (const name of names) expect(layer[name], name).toHaveLength(steps);
      expect(layer.a![0]).toHaveLength(6);
    }
    const gate = cell === 'lstm' ? 'it' : cell === 'gru' ? 'zt' : undefined;
    if (gate !== undefined) for (const v of s.trace!.layers[0]![gate]!.flatMap((u) => Array.from(u))) expect(v > 0 && v < 1).toBe(true);
  });
});

describe('sampleSequence refuses what it cannot do', () => {
  it('a bidirectional stack, with an UnsupportedOperationError', async () => {
    const layers = { ...layersOf('gru'), bidirectional: true };
    const sample = sampleSequence(layers, initParameters(layers, { seed: 1 }), 0, { rng: new RandomState(1), backend });
    await expect(sample).rejects.toBeInstanceOf(UnsupportedOperationError);
    await expect(sampleSequence(layers, initParameters(layers, { seed: 1 }), 0, { rng: new RandomState(1), backend })).rejects.toThrow(/^sampleSequence: sampling a bidirectional model is not supported/);
  });

  it('a prefix outside the classes, a bad maxLength, with InvalidArgumentErrors', async () => {
    const layers = layersOf('lstm');
    const params = initParameters(layers, { seed: 1 });
    await expect(sampleSequence(layers, params, 0, { rng: new RandomState(1), backend, prefix: [1, 8] })).rejects.toThrow(InvalidArgumentError);
    await expect(sampleSequence(layers, params, 0, { rng: new RandomState(1), backend, prefix: [1, 8] })).rejects.toThrow(/prefix\[1\] must be in \[0, 8\), got 8/);
    await expect(sampleSequence(layers, params, 0, { rng: new RandomState(1), backend, maxLength: 0 })).rejects.toThrow(/maxLength must be a positive integer/);
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

  it.each(['lstm', 'rnn', 'gru'] as const)('draws nothing from a %s whose output is NaN: a NonFiniteError names the step', async (cell) => {
    const layers = layersOf(cell);
    const params = initParameters(layers, { seed: 2 });
    params.by![3] = Number.NaN;
    const sample = sampleSequence(layers, params, 0, { rng: new RandomState(1), backend });
    await expect(sample).rejects.toThrow(NonFiniteError);
    await expect(sampleSequence(layers, params, 0, { rng: new RandomState(1), backend })).rejects.toThrow(/sampleSequence: ŷ⟨1⟩ holds NaN/);
  });

  it('samples at τ = 1e-310 as at τ = 1e-6: the most likely character every step', async () => {
    const layers = layersOf('lstm');
    const params = initParameters(layers, { seed: 2 });
    params.by!.forEach((_, i) => (params.by![i] = i === 3 ? 2 : 0)); // 3 the most likely, not the last index
    const draw = (temperature: number) => sampleSequence(layers, params, 0, { rng: new RandomState(4), temperature, backend, maxLength: 20 });
    const sharp = await draw(1e-310);
    expect(sharp.indices[0]).toBe(3);
    expect(sharp.indices).toEqual((await draw(1e-6)).indices);
  });
});
