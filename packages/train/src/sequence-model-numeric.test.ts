import { createCpuBackend } from '@rnn/backend-cpu';
import { InvalidArgumentError, RandomState } from '@rnn/tensor';
import { describe, expect, it } from 'vitest';
import type { EpochEnd } from './fit-loop.js';
import { cloneParameters } from './parameters.js';
import { SequenceModel } from './sequence-model.js';
import { UnsupportedOperationError } from './errors.js';

const backend = createCpuBackend();

/** `n` sequences of 3 to 8 steps of one standard-normal feature. */
function inputsOf(n: number, seed: number): number[][][] {
  const rng = new RandomState(seed);
  return Array.from({ length: n }, () => Array.from({ length: 3 + Math.floor(rng.nextDouble() * 6) }, () => [rng.nextGaussian()]));
}

const inputs = inputsOf(48, 1);

describe('SequenceModel on numeric sequences', () => {
  it('step-classification: learns the sign of each step, leaving out steps whose target is null', async () => {
    const targets = inputs.map((s) => s.map(([v], t) => (t === 0 ? null : (v as number) > 0 ? 1 : 0)));
    const model = SequenceModel.create({ cell: 'gru', task: 'step-classification', inputSize: 1, outputSize: 2, hiddenSize: 8, seed: 1 });
    const before = await model.evaluate({ inputs, targets }, { backend });
    await model.fit({ inputs, targets }, { epochs: 30, batchSize: 8, learningRate: 0.03, backend });
    const after = await model.evaluate({ inputs, targets }, { backend });
    expect(after.count).toBe(inputs.reduce((n, s) => n + s.length - 1, 0));
    expect(after.loss).toBeLessThan(before.loss / 2);
    expect(after.accuracy).toBeGreaterThan(0.95);
  });

  it('step-regression: learns to repeat the step before (it must remember it)', async () => {
    const targets = inputs.map((s) => s.map((_, t) => [t === 0 ? 0 : (s[t - 1]![0] as number)]));
    const model = SequenceModel.create({ cell: 'lstm', task: 'step-regression', inputSize: 1, outputSize: 1, hiddenSize: 8, numLayers: 2, seed: 1 });
    const before = await model.evaluate({ inputs, targets }, { backend });
    await model.fit({ inputs, targets }, { epochs: 40, batchSize: 8, learningRate: 0.02, backend });
    const after = await model.evaluate({ inputs, targets }, { backend });
    expect(after.accuracy).toBeUndefined();
    expect(after.loss).toBeLessThan(before.loss / 5);
  });

  it('last-step-regression: learns the sum of each sequence, and predict agrees with evaluate', async () => {
    const targets = inputs.map((s) => [s.reduce((sum, [v]) => sum + (v as number), 0) / 4]);
    const model = SequenceModel.create({ cell: 'rnn', task: 'last-step-regression', inputSize: 1, outputSize: 1, hiddenSize: 8, bidirectional: true, seed: 2 });
    const before = await model.evaluate({ inputs, targets }, { backend });
    await model.fit({ inputs, targets }, { epochs: 40, batchSize: 8, learningRate: 0.02, backend });
    const after = await model.evaluate({ inputs, targets }, { backend });
    expect(after.loss).toBeLessThan(before.loss / 5);
    const predicted = await model.predict(inputs, { backend, batchSize: 5 });
    expect(predicted.steps.map((s) => s.length)).toEqual(inputs.map((s) => s.length));
    const mse = predicted.last.reduce((sum, [y], j) => sum + ((y as number) - (targets[j]![0] as number)) ** 2, 0) / inputs.length;
    expect(mse).toBeCloseTo(after.loss, 10);
    await expect(model.sample({ backend })).rejects.toBeInstanceOf(UnsupportedOperationError);
  });
});

describe('SequenceModel.fit: epochs, validation, callbacks and early stopping', () => {
  const targets = inputs.map((s) => [s.at(-1)![0] as number]);
  const make = (): SequenceModel => SequenceModel.create({ cell: 'gru', task: 'last-step-regression', inputSize: 1, outputSize: 1, hiddenSize: 4, seed: 3 });

  it('runs whole epochs, awaits its callbacks in order, and holds out a split fixed by the seed', async () => {
    const events: string[] = [];
    const held: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const model = make();
      const ends: EpochEnd[] = [];
      const report = await model.fit({ inputs, targets }, {
        epochs: 3, batchSize: 10, validationSplit: 0.25, seed: 4, backend,
        onProgress: async (p) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          if (run === 0) events.push(`iteration ${p.iteration} (epoch ${p.epoch})`);
        },
        onEpochEnd: async (e) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          ends.push(e);
          if (run === 0) events.push(`end of epoch ${e.epoch}`);
        },
      });
      // 36 examples train, 12 are held out: 4 batches of 10, 10, 10 and 6 per epoch.
      expect(report).toMatchObject({ iterations: 12, epochs: 3, stopped: false, stoppedEarly: false });
      expect(ends.map((e) => [e.epoch, e.iteration])).toEqual([[1, 4], [2, 8], [3, 12]]);
      for (const e of ends) expect(e.heldOutLoss).toBeGreaterThan(0);
      expect(report.history).toEqual(ends);
      held.push(ends.map((e) => e.heldOutLoss ?? Number.NaN));
    }
    expect(held[1]).toEqual(held[0]);
    expect(events.slice(0, 6)).toEqual(['iteration 1 (epoch 1)', 'iteration 2 (epoch 1)', 'iteration 3 (epoch 1)', 'iteration 4 (epoch 1)', 'end of epoch 1', 'iteration 5 (epoch 2)']);
  });

  it('stops when the held-out loss stops improving and puts back the best weights', async () => {
    // Held-out targets are the opposite of the training ones: the better the model fits, the worse it does there.
    const model = make();
    const snapshots: Record<string, Float64Array>[] = [];
    const report = await model.fit({ inputs, targets }, {
      epochs: 30, batchSize: 8, learningRate: 0.05, backend,
      heldOut: { inputs, targets: targets.map(([v]) => [-(v as number)]) },
      earlyStopping: { patience: 2 },
      onEpochEnd: () => void snapshots.push(cloneParameters(model.parameters)),
    });
    expect(report.stoppedEarly).toBe(true);
    expect(report.stopped).toBe(false);
    expect(report.bestEpoch).toBeDefined();
    const best = report.bestEpoch as number;
    expect(report.epochs).toBe(best + 2);
    expect(report.restoredBest).toBe(true);
    expect(model.parameters).toEqual(snapshots[best - 1]);
    const losses = report.history.map((e) => e.heldOutLoss as number);
    expect(report.heldOutLoss).toBe(Math.min(...losses));
    expect(model.metadata.iterations).toBe(best * 6);
  });

  it('keeps the last weights when asked not to restore, and needs held-out data', async () => {
    const model = make();
    const report = await model.fit({ inputs, targets }, {
      epochs: 30, batchSize: 8, learningRate: 0.05, backend,
      heldOut: { inputs, targets: targets.map(([v]) => [-(v as number)]) },
      earlyStopping: { patience: 1, restoreBestWeights: false },
    });
    expect(report.stoppedEarly).toBe(true);
    expect(report.restoredBest).toBe(false);
    expect(model.metadata.iterations).toBe(report.iterations);
    await expect(make().fit({ inputs, targets }, { epochs: 1, backend, earlyStopping: { patience: 1 } })).rejects.toThrow(/^SequenceModel\.fit: earlyStopping watches the held-out loss: give heldOut or validationSplit/);
  });
});

describe('SequenceModel on numeric sequences refuses bad input with typed errors', () => {
  const model = SequenceModel.create({ cell: 'lstm', task: 'step-classification', inputSize: 2, outputSize: 3, hiddenSize: 4, seed: 1 });
  const good = { inputs: [[[0, 1], [1, 0]], [[0.5, 0.5]]], targets: [[0, 2], [null]] };

  it.each([
    ['names', ['ab'], /data must be a SequenceDataset \{ inputs, targets \} for a step-classification model/],
    ['no examples', { inputs: [], targets: [] }, /data\.inputs holds no examples/],
    ['an empty example', { inputs: [[]], targets: [[]] }, /data\.inputs\[0\] must be a non-empty array of steps/],
    ['a step of the wrong width', { inputs: [[[0, 1], [1]]], targets: [[0, 1]] }, /data\.inputs\[0\]\[1\] must hold inputSize = 2 numbers, got 1/],
    ['a NaN input', { inputs: [[[0, Number.NaN]]], targets: [[0]] }, /data\.inputs\[0\]\[0\]\[1\] must be a finite number, got NaN/],
    ['targets for fewer examples', { inputs: good.inputs, targets: [[0, 2]] }, /data\.targets must hold one entry per example \(2\), got 1/],
    ['targets for fewer steps', { inputs: good.inputs, targets: [[0], [null]] }, /data\.targets\[0\] must hold one target per step \(2\), got 1/],
    ['a class out of range', { inputs: good.inputs, targets: [[0, 3], [null]] }, /data\.targets\[0\]\[1\] must be a class in \[0, 3\) or null, got 3/],
    ['a fractional class', { inputs: good.inputs, targets: [[0, 1.5], [null]] }, /must be a class in \[0, 3\) or null, got 1\.5/],
  ])('fit refuses %s', async (_, data, message) => {
    const before = cloneParameters(model.parameters);
    await expect(model.fit(data as never, { iterations: 1, backend })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(model.fit(data as never, { iterations: 1, backend })).rejects.toThrow(message);
    expect(model.parameters).toEqual(before);
  });

  it.each([
    [{ iterations: 1, epochs: 1 }, /options needs exactly one of iterations and epochs, got both/],
    [{}, /options needs exactly one of iterations and epochs, got neither/],
    [{ epochs: 1.5 }, /epochs must be an integer ≥ 0, got 1\.5/],
    [{ iterations: 1, batchSize: 0 }, /batchSize must be an integer ≥ 1, got 0/],
    [{ iterations: 1, validationSplit: 1 }, /validationSplit must be a fraction in \(0, 1\), got 1/],
    [{ iterations: 1, validationSplit: 0.1 }, /validationSplit of 0\.1 leaves 0 of 2 examples held out/],
    [{ iterations: 1, validationSplit: 0.5, heldOut: good }, /validationSplit and heldOut both say what to hold out/],
    [{ iterations: 1, heldOut: { inputs: [[[1]]], targets: [[0]] } }, /heldOut\.inputs\[0\]\[0\] must hold inputSize = 2 numbers/],
    [{ iterations: 1, onEpochEnd: 'log' }, /onEpochEnd must be a function, got string/],
    [{ iterations: 1, earlyStopping: { patience: 0 }, heldOut: good }, /earlyStopping\.patience must be an integer ≥ 1, got 0/],
    [{ iterations: 1, earlyStopping: { patience: 1, minDelta: -1 }, heldOut: good }, /earlyStopping\.minDelta must be a finite number ≥ 0, got -1/],
    [{ iterations: 1, schedule: 'linear' }, /schedule must be 'constant' or 'cosine', got linear/],
    [{ iterations: 1, learningRate: -1 }, /learningRate must be a positive finite number, got -1/],
    [{ iterations: 1, dtype: 'float32' }, /options\.dtype is chosen once, when the model is made/],
  ])('fit refuses the options %j', async (options, message) => {
    await expect(model.fit(good, { backend, ...(options as object) } as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(model.fit(good, { backend, ...(options as object) } as never)).rejects.toThrow(message);
  });

  it('predict and evaluate refuse bad input, and a per-call dtype', async () => {
    await expect(model.predict([[[1, 2, 3]]], { backend })).rejects.toThrow(/^SequenceModel\.predict: inputs\[0\]\[0\] must hold inputSize = 2 numbers, got 3/);
    await expect(model.predict('abc' as never, { backend })).rejects.toThrow(/inputs must be an array of examples/);
    await expect(model.predict(good.inputs, { backend, batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer/);
    await expect(model.evaluate(good, { backend, dtype: 'float64' } as never)).rejects.toThrow(/^SequenceModel\.evaluate: options\.dtype is chosen once/);
    await expect(model.predict(good.inputs, { backend, dtype: 'float64' } as never)).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('regression targets are checked per task', async () => {
    const steps = SequenceModel.create({ cell: 'rnn', task: 'step-regression', inputSize: 1, outputSize: 2, hiddenSize: 3, seed: 1 });
    await expect(steps.fit({ inputs: [[[1], [2]]], targets: [[[1, 2], [3]]] }, { iterations: 1, backend })).rejects.toThrow(/data\.targets\[0\]\[1\] must hold outputSize = 2 numbers, got 1/);
    const last = SequenceModel.create({ cell: 'rnn', task: 'last-step-regression', inputSize: 1, outputSize: 2, hiddenSize: 3, seed: 1 });
    await expect(last.fit({ inputs: [[[1], [2]]], targets: [[1, Number.POSITIVE_INFINITY]] }, { iterations: 1, backend })).rejects.toThrow(/data\.targets\[0\]\[1\] must be a finite number, got Infinity/);
    expect((await last.predict([[[1], [2]]], { backend })).last[0]).toHaveLength(2);
  });
});
