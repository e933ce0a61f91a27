import type { Backend } from '@rnn/tensor';
import { compareClose, type Tolerance } from '@rnn/tensor/testing';
import { expect } from 'vitest';
import { transposeValue } from '../graph/layout.js';
import { OnnxModel } from '../onnx-model.js';
import { encodeWithOnnxProto } from './onnx-proto-encode.js';
import { asFeeds, runOrt, type OrtValue } from './ort.js';
import { recurrentModel, type RecurrentCase } from './recurrent-models.js';

/** A recurrent case and whether it needs a forward-only cell variant (clip, peepholes, input_forget, linear_before_reset = 0). */
export interface NamedCase extends RecurrentCase {
  readonly label: string;
  readonly variant: boolean;
}

/**
 * Every option of ONNX's `LSTM`, `GRU` and `RNN` that onnxruntime honours on the default
 * activations, for each cell and direction: plain; `sequence_lens` (with an empty example) and
 * initial states; `layout = 1`; `clip`; no `B`, explicit default activations, weights fed as
 * inputs at opset 13; the LSTM's peepholes and `input_forget`; the GRU's `linear_before_reset` 0 and 1.
 */
export function recurrentCases(): NamedCase[] {
  const cases: NamedCase[] = [];
  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    const lbr = cell === 'gru' ? { linearBeforeReset: 1 as const } : {};
    for (const direction of ['forward', 'reverse', 'bidirectional'] as const) {
      const base = { cell, direction, nX: 3, nA: 4, m: 4, T: 5, ...lbr };
      const padded = { lengths: [5, 2, 0, 3], initialState: true };
      cases.push({ ...base, label: 'plain', variant: false });
      cases.push({ ...base, ...padded, label: 'sequence_lens, initial states', variant: false });
      cases.push({ ...base, ...padded, layout: 1, label: 'layout 1, sequence_lens, initial states', variant: false });
      cases.push({ ...base, noBias: true, explicitActivations: true, weightsAsInputs: true, opset: 13, label: 'no B, explicit activations, weights as inputs, opset 13', variant: false });
      cases.push({ ...base, clip: 0.7, label: 'clip', variant: true });
      if (cell === 'lstm') {
        cases.push({ ...base, peepholes: true, label: 'peepholes', variant: true });
        cases.push({ ...base, inputForget: true, label: 'input_forget', variant: true });
        cases.push({ ...base, ...padded, layout: 1, peepholes: true, inputForget: true, clip: 1.5, label: 'peepholes, input_forget, clip, layout 1, sequence_lens', variant: true });
      }
      if (cell === 'gru') {
        cases.push({ ...base, linearBeforeReset: 0, label: 'linear_before_reset 0', variant: true });
        cases.push({ ...base, ...padded, linearBeforeReset: 0, clip: 1.5, label: 'linear_before_reset 0, clip, sequence_lens, initial states', variant: true });
      }
    }
  }
  return cases;
}

const PERM_X = [1, 0, 2];

function transposed(v: OrtValue, perm: readonly number[]): OrtValue {
  const t = transposeValue({ type: 'float32', shape: [...v.dims], data: Float32Array.from(v.data) }, perm);
  return { type: v.type, dims: t.shape, data: t.data };
}

/**
 * Runs `c` on onnxruntime-node and with `OnnxModel` on `backend`, and expects every output to
 * agree within `tolerance`. onnxruntime refuses `layout = 1`, so a layout-1 model is compared with
 * the layout-0 model on transposed inputs, its outputs transposed back. Returns the largest
 * absolute difference.
 */
export async function expectMatchesOrt(c: RecurrentCase, backend: Backend, tolerance: Tolerance, seed = 7): Promise<number> {
  const { spec, feeds } = recurrentModel(c, seed);
  const bytes = await encodeWithOnnxProto(spec);
  const model = OnnxModel.load(bytes);
  const got = await model.run(await asFeeds(feeds), { backend });
  let want: Record<string, { dims: number[]; data: ArrayLike<number> }>;
  if (c.layout === 1) {
    const zero = recurrentModel({ ...c, layout: 0 }, seed);
    const ortFeeds: Record<string, OrtValue> = { ...feeds };
    for (const name of ['X', 'initial_h', 'initial_c']) {
      const v = feeds[name];
      if (v !== undefined) ortFeeds[name] = transposed(v, PERM_X);
    }
    const raw = await runOrt(await encodeWithOnnxProto(zero.spec), ortFeeds);
    want = {};
    for (const [name, v] of Object.entries(raw)) {
      const back = transposed({ type: 'float32', dims: v.dims, data: v.data }, name === 'Y' ? [2, 0, 1, 3] : PERM_X);
      want[name] = { dims: [...back.dims], data: back.data };
    }
  } else {
    want = await runOrt(bytes, feeds);
  }
  let worst = 0;
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const [name, w] of Object.entries(want)) {
    const g = got[name];
    expect(g?.shape, name).toEqual(w.dims);
    expect(g?.dtype).toBe('float32');
    const report = compareClose(g?.dataSync() ?? [], w.data, tolerance);
    expect(report.ok, `${name}: ${report.message}`).toBe(true);
    worst = Math.max(worst, report.maxAbsError);
  }
  model.dispose();
  return worst;
}
