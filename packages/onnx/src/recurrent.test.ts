import { createCpuBackend } from '@rnn/backend-cpu';
import { compareClose } from '@rnn/tensor/testing';
import { describe, expect, it } from 'vitest';
import { OnnxModel } from './index.js';
import { encodeWithOnnxProto } from './test-support/onnx-proto-encode.js';
import { asFeeds, runOrt } from './test-support/ort.js';
import { recurrentModel, type RecurrentCase } from './test-support/recurrent-models.js';

const TOLERANCE = { rtol: 1e-4, atol: 1e-5 };
const backend = createCpuBackend();

describe('smoke', () => {
  it.each<RecurrentCase>([
    { cell: 'lstm', direction: 'forward', nX: 3, nA: 4, m: 2, T: 5 },
    { cell: 'gru', direction: 'bidirectional', nX: 3, nA: 4, m: 3, T: 5, lengths: [5, 2, 0], initialState: true, linearBeforeReset: 1 },
    { cell: 'rnn', direction: 'reverse', nX: 3, nA: 4, m: 3, T: 5, lengths: [5, 2, 1], initialState: true },
  ])('$cell $direction', async (c) => {
    const { spec, feeds } = recurrentModel(c, 3);
    const bytes = await encodeWithOnnxProto(spec);
    const want = await runOrt(bytes, feeds);
    const got = await OnnxModel.load(bytes).run(await asFeeds(feeds), { backend });
    for (const [name, w] of Object.entries(want)) {
      const g = got[name];
      expect(g?.shape).toEqual(w.dims);
      const r = compareClose(g?.dataSync() ?? [], w.data, TOLERANCE);
      expect(r.ok, `${name}: ${r.message}`).toBe(true);
    }
  });
});
