import { createCpuBackend } from '@rnn/backend-cpu';
import { InvalidArgumentError } from '@rnn/tensor';
import { describe, expect, it } from 'vitest';
import { CheckpointError, UnsupportedOperationError } from './errors.js';
import { SequenceModel } from './sequence-model.js';
import { Vocabulary } from './vocabulary.js';

const backend = createCpuBackend();
const names = ['aabb', 'abab', 'bbaa', 'aab', 'abba', 'baab', 'ab', 'ba', 'aaab', 'bbba', 'abbb', 'baaa'];
const vocabulary = Vocabulary.fromText(names.join(''));

describe.each([['lstm', 1], ['rnn', 1], ['gru', 1], ['gru', 2], ['lstm', 2]] as const)('SequenceModel (%s, %i layers)', (cell, numLayers) => {
  it('lowers its loss on the names it trains on', async () => {
    const model = SequenceModel.create({ cell, numLayers, vocabulary, hiddenSize: 8, seed: 1 });
    const before = (await model.evaluate(names, { backend })).natsPerChar;
    const losses: number[] = [];
    const report = await model.fit(names, { iterations: 60, batchSize: 4, learningRate: 0.03, backend, onProgress: (p) => void losses.push(p.loss) });
    const after = await model.evaluate(names, { backend });
    expect(report.iterations).toBe(60);
    expect(losses).toHaveLength(60);
    expect(after.natsPerChar).toBeLessThan(before - 0.2);
    expect(after.loss).toBe(after.natsPerChar);
    expect(after.accuracy).toBeGreaterThan(0.4);
    expect(model.metadata.iterations).toBe(60);
  });

  it('gives the same weights and samples for the same seeds', async () => {
    const train = async (): Promise<SequenceModel> => {
      const m = SequenceModel.create({ cell, numLayers, vocabulary, hiddenSize: 6, seed: 4 });
      await m.fit(names, { iterations: 5, batchSize: 3, seed: 2, backend });
      return m;
    };
    const [a, b] = [await train(), await train()];
    expect(Array.from(a.parameters.by!)).toEqual(Array.from(b.parameters.by!));
    expect((await a.sample({ seed: 8, backend })).text).toBe((await b.sample({ seed: 8, backend })).text);
  });

  it('saves and loads to the same predictions, and refuses a checkpoint of another cell', async () => {
    const model = SequenceModel.create({ cell, numLayers, vocabulary, hiddenSize: 5, seed: 2 });
    await model.fit(names, { iterations: 3, batchSize: 4, backend });
    const loaded = SequenceModel.load(model.save());
    expect(loaded.metadata.iterations).toBe(3);
    expect(loaded.layers).toEqual(model.layers);
    expect((await loaded.evaluate(names, { backend })).totalNats).toBe((await model.evaluate(names, { backend })).totalNats);
    expect(() => SequenceModel.load(model.save(), { cell: cell === 'lstm' ? 'gru' : 'lstm' })).toThrow(CheckpointError);
  });

  it('stops early when its signal is aborted and reports the held-out loss', async () => {
    const model = SequenceModel.create({ cell, numLayers, vocabulary, hiddenSize: 4, seed: 3 });
    const controller = new AbortController();
    const report = await model.fit(names.slice(2), {
      iterations: 50, batchSize: 2, backend, heldOut: names.slice(0, 2),
      onProgress: (p) => { if (p.iteration === 7) controller.abort(); },
      signal: controller.signal,
    });
    expect(report.iterations).toBe(7);
    expect(report.stopped).toBe(true);
    expect(report.heldOutLoss).toBeGreaterThan(0);
  });

  it('continues a prefix: the text starts with it, and the same seed draws the same continuation', async () => {
    const model = SequenceModel.create({ cell, numLayers, vocabulary, hiddenSize: 6, seed: 5 });
    await model.fit(names, { iterations: 20, batchSize: 4, learningRate: 0.03, backend });
    for (const seed of [1, 2, 3]) {
      const s = await model.sample({ prefix: 'ba', seed, backend, trace: true });
      expect(s.text.startsWith('ba')).toBe(true);
      expect(s.text).toBe((await model.sample({ prefix: 'ba', seed, backend })).text);
      const steps = s.text.length + (s.ended ? 1 : 0);
      expect(s.trace?.layers).toHaveLength(numLayers);
      expect(s.trace?.layers[0]?.a).toHaveLength(steps);
    }
  });
});

describe('SequenceModel character models refuse what they cannot do', () => {
  it('refuses names with characters outside its vocabulary', async () => {
    const model = SequenceModel.create({ cell: 'lstm', vocabulary, hiddenSize: 4, seed: 3 });
    await expect(model.fit(['abz'], { iterations: 1, backend })).rejects.toThrow(/"z" is not in the vocabulary/);
  });

  it('refuses to sample a bidirectional model, with an UnsupportedOperationError (it still trains and evaluates)', async () => {
    const model = SequenceModel.create({ cell: 'gru', bidirectional: true, vocabulary, hiddenSize: 4, seed: 3 });
    await model.fit(names, { iterations: 2, batchSize: 4, backend });
    expect((await model.evaluate(names, { backend })).natsPerChar).toBeGreaterThan(0);
    await expect(model.sample({ backend })).rejects.toBeInstanceOf(UnsupportedOperationError);
    await expect(model.sample({ backend })).rejects.toThrow(/^SequenceModel\.sample: sampling a bidirectional model is not supported: its reverse direction reads the characters after each step/);
  });

  it('refuses a prefix with characters outside the vocabulary or the end of name', async () => {
    const model = SequenceModel.create({ cell: 'rnn', vocabulary, hiddenSize: 4, seed: 3 });
    await expect(model.sample({ prefix: 'az', backend })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(model.sample({ prefix: 'az', backend })).rejects.toThrow(/^SequenceModel\.sample: prefix\[1\] "z" is not in the vocabulary/);
    await expect(model.sample({ prefix: 'a\nb', backend })).rejects.toThrow(/prefix\[1\] is the end of name/);
    await expect(model.sample({ prefix: 3 as unknown as string, backend })).rejects.toThrow(/prefix must be a string/);
  });

  it('refuses numeric data, with an InvalidArgumentError', async () => {
    const model = SequenceModel.create({ cell: 'rnn', vocabulary, hiddenSize: 4, seed: 3 });
    const data = { inputs: [[[1, 0, 0]]], targets: [[1]] };
    await expect(model.fit(data, { iterations: 1, backend })).rejects.toThrow(/^SequenceModel\.fit: data must be an array of names \(strings\) for a characters model/);
    await expect(model.evaluate(data, { backend })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
