import { createCpuBackend } from '@rnn/backend-cpu';
import { tensor, type Tensor } from '@rnn/tensor';
import { compareClose } from '@rnn/tensor/testing';
import { describe, expect, it } from 'vitest';
import { CELLS, layersForward, type CellName } from './index.js';
import { onnxState, onnxY, runOnnxRecurrent, type OnnxRecurrentCase } from './test-support/onnx-reference.js';

/**
 * Our layers against onnxruntime-node's own `LSTM`, `GRU` and `RNN` operators on random weights:
 * every direction, with and without `sequence_lens` and initial states. onnxruntime computes in
 * float32 from float32 weights; we compute in float64 from the same values, so the outputs agree
 * to float32 rounding over a few steps: rtol 1e-4, atol 1e-5.
 */
const TOLERANCE = { rtol: 1e-4, atol: 1e-5 };
const backend = createCpuBackend();

const CASES: OnnxRecurrentCase[] = [];
for (const cell of ['lstm', 'gru', 'rnn'] as const satisfies readonly CellName[]) {
  for (const direction of ['forward', 'reverse', 'bidirectional'] as const) {
    CASES.push({ cell, direction, nX: 3, nA: 5, m: 4, T: 6, initialState: false });
    CASES.push({ cell, direction, nX: 4, nA: 3, m: 5, T: 5, lengths: [5, 2, 0, 4, 1], initialState: true });
  }
}

describe('layersForward equals onnxruntime-node\'s recurrent operators', () => {
  it.each(CASES)('$cell, $direction, lengths $lengths, initial state $initialState', async (c) => {
    const onnx = await runOnnxRecurrent(c, c.nA * 100 + c.T);
    const D = c.direction === 'bidirectional' ? 2 : 1;
    const config = { cell: c.cell, inputSize: c.nX, hiddenSize: c.nA, bidirectional: D === 2 };
    // A lone reverse direction is the reverse half of a bidirectional layer: run both, keep that half.
    const reverseOnly = c.direction === 'reverse';
    const run = layersForward(onnx.ours.x, reverseOnly ? withForwardHalf(onnx.ours.parameters) : onnx.ours.parameters,
      reverseOnly ? { ...config, bidirectional: true } : config,
      { backend, lengths: c.lengths, a0: reverseOnly ? doubled(onnx.ours.a0) : onnx.ours.a0, c0: reverseOnly ? doubled(onnx.ours.c0) : onnx.ours.c0 });
    const half = (values: ArrayLike<number>, size: number): ArrayLike<number> => (reverseOnly ? Array.from(values).slice(size) : values);
    const check = (got: ArrayLike<number>, want: ArrayLike<number>, what: string): void => {
      const report = compareClose(got, want, TOLERANCE);
      expect(report.ok, `${what}: ${report.message}`).toBe(true);
    };
    check(half(run.outputs.dataSync(), c.nA * c.m * c.T), onnxY(onnx.Y, c.T, D, c.m, c.nA), 'Y');
    check(half(run.aLast.dataSync(), c.nA * c.m), onnxState(onnx.Yh, D, c.m, c.nA), 'Y_h');
    if (onnx.Yc !== undefined && run.cLast !== undefined) check(half(run.cLast.dataSync(), c.nA * c.m), onnxState(onnx.Yc, D, c.m, c.nA), 'Y_c');
  });
});

/** Parameters of a reverse-only ONNX node (`l0.*`) as the reverse half (`l0r.*`) of a bidirectional layer, the forward half a copy. */
function withForwardHalf(p: Readonly<Record<string, Tensor>>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(p)) {
    out[k] = v;
    out[k.replace('l0.', 'l0r.')] = v;
  }
  return out;
}

/** An initial state `(1, n_a, m)` given to both directions, `(2, n_a, m)`. */
function doubled(t: Tensor | undefined): Tensor | undefined {
  return t === undefined ? undefined : backend.kernels.concatFlat([t, t], [2, ...t.shape.slice(1)]);
}

/** ONNX's forward-only options, run through the cell descriptions' `sequenceForward` with a `variant`. */
const VARIANTS: OnnxRecurrentCase[] = [
  { cell: 'lstm', direction: 'forward', nX: 3, nA: 5, m: 4, T: 6, initialState: true, clip: 0.7 },
  { cell: 'lstm', direction: 'reverse', nX: 3, nA: 5, m: 4, T: 6, initialState: true, peepholes: true },
  { cell: 'lstm', direction: 'forward', nX: 3, nA: 4, m: 3, T: 5, initialState: false, inputForget: true, lengths: [5, 0, 3] },
  { cell: 'lstm', direction: 'forward', nX: 2, nA: 6, m: 5, T: 4, initialState: true, peepholes: true, clip: 1.2, inputForget: true },
  { cell: 'gru', direction: 'forward', nX: 3, nA: 5, m: 4, T: 6, initialState: true, linearBeforeReset: 0 },
  { cell: 'gru', direction: 'reverse', nX: 4, nA: 3, m: 5, T: 5, initialState: true, linearBeforeReset: 0, clip: 0.5, lengths: [5, 2, 0, 4, 1] },
  { cell: 'gru', direction: 'forward', nX: 3, nA: 5, m: 4, T: 6, initialState: false, clip: 0.6 },
  { cell: 'rnn', direction: 'forward', nX: 3, nA: 5, m: 4, T: 6, initialState: true, clip: 0.4 },
];

describe('the forward-only cell variants equal onnxruntime-node\'s (clip, peepholes, input_forget, linear_before_reset = 0)', () => {
  for (const engine of ['wasm-simd', 'js'] as const) {
    const k = createCpuBackend({ engine }).kernels;
    it.each(VARIANTS)(`${engine}: $cell $direction, clip $clip, peepholes $peepholes, input_forget $inputForget, linear_before_reset $linearBeforeReset`, async (c) => {
      const onnx = await runOnnxRecurrent(c, c.nA * 10 + c.m);
      const cell = CELLS[c.cell];
      const weights = Object.fromEntries(Object.entries(onnx.ours.parameters).filter(([name]) => name.startsWith('l0.')).map(([name, t]) => [name.slice(3), t]));
      const zero = tensor(new Float64Array(c.nA * c.m), [c.nA, c.m]);
      const a0 = onnx.ours.a0 === undefined ? zero : k.sliceFlat(onnx.ours.a0, 0, [c.nA, c.m]);
      const c0 = c.cell !== 'lstm' ? undefined : onnx.ours.c0 === undefined ? zero : k.sliceFlat(onnx.ours.c0, 0, [c.nA, c.m]);
      const run = cell.sequenceForward(k, {
        x: onnx.ours.x, state: { a: a0, c: c0 }, weights, walk: { reverse: c.direction === 'reverse', lengths: c.lengths },
        variant: { clip: c.clip, peepholes: onnx.ours.peepholes?.[0], inputForget: c.inputForget, linearBeforeReset: c.linearBeforeReset === undefined ? undefined : c.linearBeforeReset === 1 },
      });
      const report = compareClose(run.states.a.dataSync(), onnxY(onnx.Y, c.T, 1, c.m, c.nA), TOLERANCE);
      expect(report.ok, `Y: ${report.message}`).toBe(true);
      expect(() => cell.sequenceBackward(k, { da: run.states.a, tape: run.tape, weights })).toThrow(/has no backward here/);
    });
  }
});
