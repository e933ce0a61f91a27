import { createCpuBackend } from '@rnn/backend-cpu';
import { describe, it } from 'vitest';
import { expectMatchesOrt, recurrentCases } from './test-support/recurrent-cases.js';

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
