import { createCpuBackend } from '@rnn/backend-cpu';
import { describe, expect, it } from 'vitest';
import { CheckpointError } from './errors.js';
import { SequenceModel } from './sequence-model.js';
import { Vocabulary } from './vocabulary.js';

const backend = createCpuBackend();
const names = ['aabb', 'abab', 'bbaa', 'aab', 'abba', 'baab', 'ab', 'ba', 'aaab', 'bbba', 'abbb', 'baaa'];
const vocabulary = Vocabulary.fromText(names.join(''));

describe.each(['lstm', 'rnn'] as const)('SequenceModel (%s)', (cell) => {
  it('lowers its loss on the names it trains on', async () => {
    const model = SequenceModel.create({ cell, vocabulary, hiddenSize: 8, seed: 1 });
    const before = (await model.evaluate(names, { backend })).natsPerChar;
    const losses: number[] = [];
    const report = await model.fit(names, { iterations: 60, batchSize: 4, learningRate: 0.03, backend, onProgress: (p) => void losses.push(p.loss) });
    const after = (await model.evaluate(names, { backend })).natsPerChar;
    expect(report.iterations).toBe(60);
    expect(losses).toHaveLength(60);
    expect(after).toBeLessThan(before - 0.2);
    expect(model.metadata.iterations).toBe(60);
  });

  it('gives the same weights and samples for the same seeds', async () => {
    const train = async (): Promise<SequenceModel> => {
      const m = SequenceModel.create({ cell, vocabulary, hiddenSize: 6, seed: 4 });
      await m.fit(names, { iterations: 5, batchSize: 3, seed: 2, backend });
      return m;
    };
    const [a, b] = [await train(), await train()];
    expect(Array.from(a.parameters.by!)).toEqual(Array.from(b.parameters.by!));
    expect((await a.sample({ seed: 8, backend })).text).toBe((await b.sample({ seed: 8, backend })).text);
  });

  it('saves and loads to the same predictions, and refuses a checkpoint of another cell', async () => {
    const model = SequenceModel.create({ cell, vocabulary, hiddenSize: 5, seed: 2 });
    await model.fit(names, { iterations: 3, batchSize: 4, backend });
    const loaded = SequenceModel.load(model.save());
    expect(loaded.metadata.iterations).toBe(3);
    expect((await loaded.evaluate(names, { backend })).totalNats).toBe((await model.evaluate(names, { backend })).totalNats);
    expect(() => SequenceModel.load(model.save(), { cell: cell === 'lstm' ? 'rnn' : 'lstm' })).toThrow(CheckpointError);
  });

  it('stops early when its signal is aborted and reports the held-out loss', async () => {
    const model = SequenceModel.create({ cell, vocabulary, hiddenSize: 4, seed: 3 });
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
});

describe('SequenceModel checks', () => {
  it('refuses names with characters outside its vocabulary', async () => {
    const model = SequenceModel.create({ cell: 'lstm', vocabulary, hiddenSize: 4, seed: 3 });
    await expect(model.fit(['abz'], { iterations: 1, backend })).rejects.toThrow(/"z" is not in the vocabulary/);
  });
});
