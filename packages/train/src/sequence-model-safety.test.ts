import { createCpuBackend } from '@rnn/backend-cpu';
import { InvalidArgumentError } from '@rnn/tensor';
import { describe, expect, it } from 'vitest';
import { CheckpointError, TrainingDivergedError } from './errors.js';
import { cloneParameters } from './parameters.js';
import { SequenceModel } from './sequence-model.js';
import { float32OnlyBackend } from './test-support/float32-backend.js';
import { Vocabulary } from './vocabulary.js';

const backend = createCpuBackend();
const names = ['aabb', 'abab', 'bbaa', 'aab', 'abba', 'baab', 'ab', 'ba', 'aaab', 'bbba', 'abbb', 'baaa'];
const vocabulary = Vocabulary.fromText(names.join(''));
const small = (cell: 'lstm' | 'rnn' | 'gru' = 'lstm'): SequenceModel => SequenceModel.create({ cell, vocabulary, hiddenSize: 4, seed: 3 });

describe('SequenceModel.fit is interruptible', () => {
  it('yields to the event loop every iteration: an abort queued as a macrotask stops it after the current iteration', async () => {
    const controller = new AbortController();
    const report = await small().fit(names, {
      iterations: 200, batchSize: 2, backend, signal: controller.signal,
      // setImmediate runs only when the event loop gets a turn, which fit must give it.
      onProgress: (p) => { if (p.iteration === 3) setImmediate(() => controller.abort()); },
    });
    expect(report.stopped).toBe(true);
    expect(report.iterations).toBe(3);
  });

  it('lets a timer abort a long run', async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 20);
    const report = await small('rnn').fit(names, { iterations: 5000, batchSize: 2, backend, signal: controller.signal });
    clearTimeout(timer);
    expect(report.stopped).toBe(true);
    expect(report.iterations).toBeLessThan(5000);
  });

  it('does nothing when the signal is already aborted', async () => {
    const model = small();
    const before = cloneParameters(model.parameters);
    const report = await model.fit(names, { iterations: 10, backend, signal: AbortSignal.abort() });
    expect(report).toMatchObject({ iterations: 0, stopped: true });
    expect(model.parameters).toEqual(before);
  });
});

describe('SequenceModel.fit stops when training diverges', () => {
  it.each(['lstm', 'rnn', 'gru'] as const)('%s: throws a TrainingDivergedError naming the iteration and keeps the last good parameters', async (cell) => {
    const model = small(cell);
    const snapshots: Record<string, Float64Array>[] = [];
    let error: unknown;
    try {
      // Adam's first step moves every weight by about the learning rate: ±1e308 overflows the
      // LSTM's next step to ∞ and makes the RNN's next loss NaN.
      await model.fit(names, { iterations: 20, batchSize: 4, learningRate: 1e308, backend, onProgress: () => void snapshots.push(cloneParameters(model.parameters)) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainingDivergedError);
    const diverged = error as TrainingDivergedError;
    expect(diverged.fn).toBe('SequenceModel.fit');
    expect(diverged.iteration).toBe(snapshots.length + 1);
    expect(diverged.message).toMatch(new RegExp(`^SequenceModel\\.fit: training diverged at iteration ${diverged.iteration}: (loss|parameter \\w+\\[\\d+\\]) is (NaN|-?Infinity)`));
    for (const values of Object.values(model.parameters)) expect(values.every(Number.isFinite)).toBe(true);
    const lastGood = snapshots.at(-1);
    expect(lastGood).toBeDefined();
    expect(model.parameters).toEqual(lastGood);
    expect(model.metadata.iterations).toBe(snapshots.length);
    expect(SequenceModel.load(model.save()).parameters).toEqual(lastGood);
  });

  it('never encodes weights that are not finite', () => {
    const model = small();
    model.parameters['l0.Wf']![7] = Number.NaN;
    expect(() => model.save()).toThrow(CheckpointError);
    expect(() => model.save()).toThrow(/checkpoint rejected \(non-finite\): parameter l0\.Wf holds NaN at index 7/);
  });
});

describe('SequenceModel refuses bad input with typed errors', () => {
  it('refuses an unsupported cell when it is created', () => {
    expect(() => SequenceModel.create({ cell: 'tcn' as 'lstm', vocabulary, hiddenSize: 4, seed: 1 })).toThrow(InvalidArgumentError);
    expect(() => SequenceModel.create({ cell: 'tcn' as 'lstm', vocabulary, hiddenSize: 4, seed: 1 })).toThrow(/^SequenceModel\.create: cell must be 'rnn', 'lstm', 'gru', got 'tcn'$/);
  });

  it.each([
    [{ cell: 'gru', vocabulary, hiddenSize: 0 }, /hiddenSize must be a positive integer, got 0/],
    [{ cell: 'gru', vocabulary, hiddenSize: 4, numLayers: 1.5 }, /numLayers must be a positive integer, got 1\.5/],
    [{ cell: 'gru', vocabulary, hiddenSize: 4, bidirectional: 'yes' }, /bidirectional must be a boolean, got yes/],
    [{ cell: 'gru', vocabulary, hiddenSize: 4, dtype: 'int8' }, /dtype must be 'float64', 'float32' or undefined, got int8/],
    [{ cell: 'gru', vocabulary, hiddenSize: 4, inputSize: 3 }, /inputSize is the vocabulary size for a characters model; leave it out/],
    [{ cell: 'gru', hiddenSize: 4 }, /vocabulary must be a Vocabulary for a characters model/],
    [{ cell: 'gru', task: 'translation', hiddenSize: 4 }, /task must be one of 'characters', 'step-classification', 'step-regression', 'last-step-regression', got 'translation'/],
    [{ cell: 'gru', task: 'step-regression', hiddenSize: 4, inputSize: 2 }, /outputSize must be a positive integer, got undefined/],
    [{ cell: 'gru', task: 'step-regression', hiddenSize: 4, inputSize: 2, outputSize: 1, vocabulary }, /vocabulary belongs to the characters task, not step-regression/],
  ])('refuses the configuration %#, naming the field', (config, message) => {
    expect(() => SequenceModel.create({ ...config, seed: 1 } as never)).toThrow(InvalidArgumentError);
    expect(() => SequenceModel.create({ ...config, seed: 1 } as never)).toThrow(message);
  });

  it('refuses parameters that do not fit its layers', () => {
    const model = small('gru');
    const { 'l0.Wz': _, ...missing } = model.parameters;
    expect(() => new SequenceModel({ cell: 'gru', vocabulary, hiddenSize: 4 }, missing)).toThrow(/^SequenceModel: parameters\.l0\.Wz is missing/);
    expect(() => new SequenceModel({ cell: 'gru', vocabulary, hiddenSize: 4 }, { ...model.parameters, extra: new Float64Array(1) })).toThrow(/has keys this gru stack does not use: extra/);
    expect(() => new SequenceModel({ cell: 'gru', vocabulary, hiddenSize: 4 }, { ...model.parameters, by: new Float64Array(1) })).toThrow(/parameters\.by holds 1 values but \(3, 1\) = 3 were expected/);
  });

  it('refuses to evaluate no names instead of returning NaN', async () => {
    await expect(small().evaluate([], { backend })).rejects.toThrow(InvalidArgumentError);
    await expect(small().evaluate([], { backend })).rejects.toThrow(/SequenceModel\.evaluate: names is empty/);
  });

  it('refuses a backend name in fit, evaluate and sample, naming the method', async () => {
    const cpu = 'cpu' as never;
    await expect(small().fit(names, { iterations: 1, backend: cpu })).rejects.toThrow(/^SequenceModel\.fit: options\.backend is not a backend/);
    await expect(small().evaluate(names, { backend: cpu })).rejects.toThrow(/^SequenceModel\.evaluate: options\.backend is not a backend/);
    await expect(small().sample({ backend: cpu })).rejects.toThrow(/^SequenceModel\.sample: options\.backend is not a backend/);
    await expect(small().sample({ backend: cpu })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('SequenceModel dtype: chosen once', () => {
  const float32 = float32OnlyBackend(backend);

  it('sends what the backend computes in when no dtype is chosen, with no dtype in any call', async () => {
    const model = small();
    expect(model.dtype).toBeUndefined();
    await model.fit(names, { iterations: 3, batchSize: 4, backend: float32 });
    expect((await model.evaluate(names, { backend: float32 })).natsPerChar).toBeGreaterThan(0);
    expect(typeof (await model.sample({ seed: 1, backend: float32 })).text).toBe('string');
    expect((await model.evaluate(names, { backend })).natsPerChar).toBeGreaterThan(0);
  });

  it('uses the dtype chosen at create in every call, saves it, and load can choose another', async () => {
    const model = SequenceModel.create({ cell: 'gru', vocabulary, hiddenSize: 4, seed: 3, dtype: 'float32' });
    expect(model.dtype).toBe('float32');
    await model.fit(names, { iterations: 2, batchSize: 4, backend: float32 });
    const f32 = await model.evaluate(names, { backend });
    const kept = SequenceModel.load(model.save());
    expect(kept.dtype).toBe('float32');
    expect((await kept.evaluate(names, { backend: float32 })).natsPerChar).toBe(f32.natsPerChar);
    const loaded = SequenceModel.load(model.save(), undefined, { dtype: 'float64' });
    expect(loaded.dtype).toBe('float64');
    const f64 = await loaded.evaluate(names, { backend });
    expect(f32.natsPerChar).not.toBe(f64.natsPerChar);
    expect(f32.natsPerChar).toBeCloseTo(f64.natsPerChar, 4);
    await expect(loaded.evaluate(names, { backend: float32 })).rejects.toThrow(/float64 but this backend computes in float32/);
  });

  it('refuses a dtype in a call, with an InvalidArgumentError naming the method', async () => {
    const model = small();
    const dtype = 'float64' as never;
    await expect(model.fit(names, { iterations: 1, backend, dtype })).rejects.toThrow(/^SequenceModel\.fit: options\.dtype is chosen once, when the model is made \(SequenceModel\.create\(\{ dtype \}\) or load\(bytes, expect, \{ dtype \}\)\); this model's is each backend's own$/);
    await expect(model.evaluate(names, { backend, dtype })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(model.sample({ backend, dtype })).rejects.toThrow(/^SequenceModel\.sample: options\.dtype is chosen once/);
  });
});
