import { readFileSync } from 'node:fs';
import { createCpuBackend } from '@rnn/backend-cpu';
import type { CellName } from '@rnn/cells';
import { describe, expect, it } from 'vitest';
import type { CreateOptions } from './model-config.js';
import { SequenceModel, type ModelData } from './sequence-model.js';
import type { ModelTask } from './task.js';
import { Vocabulary } from './vocabulary.js';

const backend = createCpuBackend();
const names = ['abc', 'cab', 'bca', 'aabbc', 'ccba'];
const vocabulary = Vocabulary.fromText(names.join(''));
const inputs = [[[0.1, 1], [0.4, -1], [0.2, 0]], [[-0.3, 0.5]], [[1, 1], [0, 0]]];
const DATA: Readonly<Record<ModelTask, ModelData>> = {
  characters: names,
  'step-classification': { inputs, targets: [[0, 1, null], [2], [1, 0]] },
  'step-regression': { inputs, targets: inputs.map((s) => s.map(([a, b]) => [a as number, (a as number) * (b as number)])) },
  'last-step-regression': { inputs, targets: [[1, 2], [3, 4], [5, 6]] },
};

const configs: { name: string; config: CreateOptions }[] = [];
for (const cell of ['rnn', 'lstm', 'gru'] as const satisfies readonly CellName[]) {
  for (const numLayers of [1, 2]) {
    for (const bidirectional of [false, true]) {
      for (const task of Object.keys(DATA) as ModelTask[]) {
        const shape = { cell, numLayers, bidirectional, hiddenSize: 3, seed: 7 };
        const config: CreateOptions = task === 'characters' ? { ...shape, vocabulary } : { ...shape, task, inputSize: 2, outputSize: task === 'step-classification' ? 3 : 2 };
        configs.push({ name: `${cell}, ${numLayers} layer(s)${bidirectional ? ', bidirectional' : ''}, ${task}`, config });
      }
    }
  }
}

describe('SequenceModel checkpoints', () => {
  it.each(configs)('round-trip $name: the same layers, task, weights and predictions', async ({ config }) => {
    const model = SequenceModel.create(config);
    const data = DATA[model.task];
    await model.fit(data, { iterations: 2, batchSize: 2, backend });
    const loaded = SequenceModel.load(model.save(), { cell: config.cell, numLayers: model.numLayers, bidirectional: model.bidirectional, task: model.task });
    expect(loaded.layers).toEqual(model.layers);
    expect(loaded.task).toBe(model.task);
    expect(loaded.vocabulary?.chars).toEqual(model.vocabulary?.chars);
    expect(loaded.metadata).toEqual(model.metadata);
    expect(loaded.parameters).toEqual(model.parameters);
    const [a, b] = [await model.evaluate(data as never, { backend }), await loaded.evaluate(data as never, { backend })];
    expect(b).toEqual(a);
  });

  it.each(['lstm', 'rnn'] as const)('a %s character model saved by @rnn/train 0.1 (format 1) loads, evaluates and samples as it did then', async (cell) => {
    const expected = (JSON.parse(readFileSync(new URL('fixtures/v1-expected.json', import.meta.url), 'utf8')) as Record<string, { names: string[]; totalNats: number; count: number; samples: string[] }>)[cell]!;
    const model = SequenceModel.load(new Uint8Array(readFileSync(new URL(`fixtures/v1-${cell}.ckpt`, import.meta.url))));
    expect(model).toMatchObject({ task: 'characters', cell, numLayers: 1, bidirectional: false, hiddenSize: 4, dtype: undefined });
    const evaluation = await model.evaluate(expected.names, { backend });
    expect(evaluation.count).toBe(expected.count);
    expect(evaluation.totalNats).toBeCloseTo(expected.totalNats, 10);
    const samples: string[] = [];
    for (let seed = 0; seed < expected.samples.length; seed++) samples.push((await model.sample({ seed, backend })).text);
    expect(samples).toEqual(expected.samples);
    const resaved = SequenceModel.load(model.save());
    expect(resaved.parameters).toEqual(model.parameters);
    expect(new DataView(model.save().buffer).getUint32(8, true)).toBe(2);
  });
});
