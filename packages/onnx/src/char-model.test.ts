import { createCpuBackend } from '@rnn/backend-cpu';
import { InvalidArgumentError } from '@rnn/tensor';
import { encodeBatch, SequenceModel, Vocabulary } from '@rnn/train';
import { describe, expect, it } from 'vitest';
import { characterVocabulary, encodeCharacters, exportOnnx, OnnxModel, sampleCharacters } from './index.js';
import { runOrt } from './test-support/ort.js';

const backend = createCpuBackend();
const vocabulary = Vocabulary.fromText('abc\ndea\nbead');
const model = SequenceModel.create({ cell: 'lstm', vocabulary, hiddenSize: 8, seed: 5 });
const onnx = OnnxModel.load(exportOnnx(model));

describe('character models over ONNX', () => {
  it('characterVocabulary reads the exported vocabulary; a model without one is refused', () => {
    expect(characterVocabulary(onnx)).toEqual(vocabulary.chars);
    const bare = OnnxModel.load(exportOnnx({ layers: model.layers, parameters: model.parameters }));
    expect(() => characterVocabulary(bare)).toThrow(InvalidArgumentError);
  });

  it('encodeCharacters lays out texts as @rnn/train\'s encodeBatch does, time first', () => {
    const { X, lengths } = encodeCharacters(['bead', 'ab'], vocabulary.chars);
    const batch = encodeBatch(['bead', 'ab'].map((t) => vocabulary.encode(t)), vocabulary.size, vocabulary.endIndex);
    const [T, m, V] = X.shape as [number, number, number];
    expect([T, m, V, lengths]).toEqual([batch.T, batch.m, vocabulary.size, batch.lengths]);
    const x = X.dataSync();
    for (let t = 0; t < T; t++) for (let j = 0; j < m; j++) for (let i = 0; i < V; i++) expect(x[(t * m + j) * V + i]).toBe(batch.x[(i * m + j) * T + t]);
    expect(() => encodeCharacters(['x'], vocabulary.chars)).toThrow(/"x", which is not in the vocabulary/);
  });

  it('sampleCharacters draws from the model\'s last step: seeded, within the vocabulary, greedy at a low temperature', async () => {
    const a = await sampleCharacters(onnx, { seed: 3, backend, prefix: 'b', maxLength: 8 });
    const b = await sampleCharacters(onnx, { seed: 3, backend, prefix: 'b', maxLength: 8 });
    expect(a).toEqual(b);
    expect(a.text.startsWith('b')).toBe(true);
    expect([...a.text].every((c) => vocabulary.chars.includes(c) && c !== '\n')).toBe(true);
    expect(a.text.length <= 9).toBe(true);
    const greedy = await sampleCharacters(onnx, { seed: 1, backend, prefix: 'de', maxLength: 1, temperature: 1e-3 });
    const { X } = encodeCharacters(['de'], vocabulary.chars);
    const probabilities = (await runOrt(exportOnnx(model), { X: { type: 'float32', dims: [...X.shape], data: X.dataSync() } }))['probabilities']?.data ?? [];
    const last = Array.from(probabilities).slice(-vocabulary.size);
    const argmax = vocabulary.chars[last.indexOf(Math.max(...last))];
    expect(greedy.ended ? '\n' : greedy.text.slice(2)).toBe(argmax);
  });
});
