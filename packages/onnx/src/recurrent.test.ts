import { createCpuBackend } from '@rnn/backend-cpu';
import { compareClose } from '@rnn/tensor/testing';
import { describe, expect, it } from 'vitest';
import { OnnxModel } from './index.js';
import { encodeModel } from './proto/onnx-encode.js';
import { asFeeds, runOrt } from './test-support/ort.js';
import { expectMatchesOrt, recurrentCases } from './test-support/recurrent-cases.js';
import { recurrentModel } from './test-support/recurrent-models.js';

/**
 * `OnnxModel.run` of one-node `LSTM` / `GRU` / `RNN` models against onnxruntime-node's run of the
 * same bytes, on the CPU backend, for every option (see `recurrentCases`). Both compute in
 * float32 from the same float32 weights; over 5 steps they agree to rtol 1e-4, atol 1e-5.
 */
const TOLERANCE = { rtol: 1e-4, atol: 1e-5 };
const backend = createCpuBackend();

describe('OnnxModel runs ONNX recurrent nodes as onnxruntime-node does (CPU backend)', () => {
  it.each(recurrentCases())('$cell $direction: $label', async (c) => {
    await expectMatchesOrt(c, backend, TOLERANCE);
  });
});

describe('hidden_size', () => {
  it('when a model leaves it out, it is R\'s last dimension', async () => {
    const { spec, feeds } = recurrentModel({ cell: 'lstm', direction: 'bidirectional', nX: 3, nA: 4, m: 2, T: 3 }, 9);
    const node = spec.graph.nodes[0];
    if (node === undefined) throw new Error('no node');
    const { hidden_size: _given, ...rest } = node.attributes ?? {};
    const without = { ...spec, graph: { ...spec.graph, nodes: [{ ...node, attributes: rest }] } };
    const want = await runOrt(encodeModel(spec), feeds);
    const got = await OnnxModel.load(encodeModel(without)).run(await asFeeds(feeds), { backend });
    for (const [name, w] of Object.entries(want)) {
      const report = compareClose(got[name]?.dataSync() ?? [], w.data, TOLERANCE);
      expect(report.ok, `${name}: ${report.message}`).toBe(true);
    }
  });
});
