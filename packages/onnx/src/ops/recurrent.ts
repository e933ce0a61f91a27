import type { CellName } from '@rnn/cells';
import type { Attributes } from '../graph/attributes.js';
import { checkShape, type Dim, type HostValue, type Known } from '../graph/host-value.js';
import { sameDim, type Fail } from '../graph/shape.js';
import { input, requireRank, requireType, type BoundNode, type NodeContext, type Operator } from './operator.js';
import { prepareWeights, runRecurrent, type PreparedWeights } from './recurrent-run.js';

/** A recurrent node's attributes, checked. */
export interface RecurrentAttributes {
  readonly cell: CellName;
  /** The directions walked, in ONNX's order (forward first). */
  readonly directions: readonly ('forward' | 'reverse')[];
  /** `hidden_size`, when given. */
  readonly hiddenSize: number | undefined;
  /** 0: `X (T, m, n_x)`; 1: `X (m, T, n_x)` (batch first). */
  readonly layout: 0 | 1;
  readonly clip: number | undefined;
  /** LSTM `input_forget = 1`. */
  readonly inputForget: boolean;
  /** GRU `linear_before_reset` (ONNX's default is 0). */
  readonly linearBeforeReset: boolean;
}

/** Gates per cell, the default activations per direction, and the input positions of each operator. */
const CELL = {
  lstm: { gates: 4, activations: ['sigmoid', 'tanh', 'tanh'], outputs: 3 },
  gru: { gates: 3, activations: ['sigmoid', 'tanh'], outputs: 2 },
  rnn: { gates: 1, activations: ['tanh'], outputs: 2 },
} as const;

/** Input positions: X, W, R, B, sequence_lens, initial_h, then for the LSTM initial_c and P. */
export const IN = { X: 0, W: 1, R: 2, B: 3, lengths: 4, h0: 5, c0: 6, P: 7 } as const;

function bindAttributes(cell: CellName, attrs: Attributes, ctx: NodeContext): RecurrentAttributes {
  const direction = attrs.string('direction', 'forward');
  if (direction !== 'forward' && direction !== 'reverse' && direction !== 'bidirectional') ctx.fail(`direction ${JSON.stringify(direction)} is not forward, reverse or bidirectional`);
  const directions = direction === 'bidirectional' ? (['forward', 'reverse'] as const) : ([direction] as const);
  const activations = attrs.strings('activations');
  const defaults = directions.flatMap(() => CELL[cell].activations);
  if (activations !== undefined && (activations.length !== defaults.length || activations.some((a, i) => a.toLowerCase() !== defaults[i]))) {
    ctx.fail(`attribute activations = [${activations.join(', ')}] is not supported: only the default activations [${defaults.join(', ')}] run on the cells of @rnn/cells`);
  }
  for (const name of ['activation_alpha', 'activation_beta']) {
    if (attrs.floats(name) !== undefined) ctx.fail(`attribute ${name} is not supported: only the default activations (which take no alpha or beta) run on the cells of @rnn/cells`);
  }
  const clip = attrs.float('clip');
  if (clip !== undefined && !(clip > 0)) ctx.fail(`attribute clip = ${clip} must be positive`);
  const hiddenSize = attrs.int('hidden_size');
  if (hiddenSize !== undefined && !(hiddenSize > 0)) ctx.fail(`attribute hidden_size = ${hiddenSize} must be positive`);
  const layout = attrs.int('layout', 0, 14);
  if (layout !== 0 && layout !== 1) ctx.fail(`attribute layout = ${layout} must be 0 or 1`);
  const inputForget = cell === 'lstm' ? attrs.int('input_forget', 0) : 0;
  if (inputForget !== 0 && inputForget !== 1) ctx.fail(`attribute input_forget = ${inputForget} must be 0 or 1`);
  const lbr = cell === 'gru' ? attrs.int('linear_before_reset', 0) : 1;
  if (lbr !== 0 && lbr !== 1) ctx.fail(`attribute linear_before_reset = ${lbr} must be 0 or 1`);
  attrs.done();
  return { cell, directions, hiddenSize, layout, clip, inputForget: inputForget === 1, linearBeforeReset: lbr === 1 };
}

/** The sizes of a run: steps, batch, inputs, hidden units, directions. */
export interface RecurrentDims {
  readonly T: Dim;
  readonly m: Dim;
  readonly nX: Dim;
  readonly nA: number;
  readonly D: number;
}

/**
 * Checks every input's type and shape against the others (dims may be unknown at load, never at
 * run) and returns the sizes. `shapeOf(i)` is the shape of input `i`, undefined when absent or unknown.
 */
export function recurrentDims(a: RecurrentAttributes, inputs: readonly (Known | HostValue | undefined)[], fail: Fail): RecurrentDims {
  const G = CELL[a.cell].gates;
  const D = a.directions.length;
  const x = input(inputs, IN.X);
  requireType(x, ['float32'], 'input X', fail);
  for (const [i, name] of [[IN.W, 'W'], [IN.R, 'R'], [IN.B, 'B'], [IN.h0, 'initial_h'], [IN.c0, 'initial_c'], [IN.P, 'P']] as const) {
    const k = inputs[i];
    if (k !== undefined) requireType(k, ['float32'], `input ${name}`, fail);
  }
  const lens = inputs[IN.lengths];
  if (lens !== undefined) requireType(lens, ['int32'], 'input sequence_lens', fail);
  const ranks: [number, number, string][] = [[IN.X, 3, 'X'], [IN.W, 3, 'W'], [IN.R, 3, 'R'], [IN.B, 2, 'B'], [IN.lengths, 1, 'sequence_lens'], [IN.h0, 3, 'initial_h'], [IN.c0, 3, 'initial_c'], [IN.P, 2, 'P']];
  for (const [i, rank, name] of ranks) {
    const k = inputs[i];
    if (k !== undefined) requireRank(k as Known, rank, `input ${name}`, fail);
  }
  const dims = (i: number): readonly Dim[] | undefined => inputs[i]?.shape;
  const X = dims(IN.X);
  const [T, m] = X === undefined ? [null, null] : a.layout === 0 ? [X[0] as Dim, X[1] as Dim] : [X[1] as Dim, X[0] as Dim];
  const W = dims(IN.W);
  const R = dims(IN.R);
  const nA = a.hiddenSize ?? R?.[2] ?? null;
  if (nA === null) fail('hidden_size is not given and R\'s shape is not known');
  const expect = (i: number, name: string, want: readonly Dim[], why: string): void => {
    const got = dims(i);
    if (got === undefined) return;
    want.forEach((d, k) => sameDim(got[k] as Dim, d, fail, `input ${name} of shape [${got.map((g) => g ?? '?').join(', ')}] should be ${why}, dimension ${k}`));
  };
  const nX = X?.[2] ?? W?.[2] ?? null;
  expect(IN.W, 'W', [D, G * nA, nX], `(num_directions, ${G}·hidden_size, input_size)`);
  expect(IN.R, 'R', [D, G * nA, nA], `(num_directions, ${G}·hidden_size, hidden_size) with hidden_size ${nA}`);
  expect(IN.X, 'X', a.layout === 0 ? [T, m, nX] : [m, T, nX], `${a.layout === 0 ? '(seq_length, batch_size, input_size)' : '(batch_size, seq_length, input_size)'} with input_size from W`);
  expect(IN.B, 'B', [D, 2 * G * nA], `(num_directions, ${2 * G}·hidden_size)`);
  expect(IN.lengths, 'sequence_lens', [m], '(batch_size)');
  const state = a.layout === 0 ? [D, m, nA] : [m, D, nA];
  expect(IN.h0, 'initial_h', state, a.layout === 0 ? '(num_directions, batch_size, hidden_size)' : '(batch_size, num_directions, hidden_size)');
  expect(IN.c0, 'initial_c', state, a.layout === 0 ? '(num_directions, batch_size, hidden_size)' : '(batch_size, num_directions, hidden_size)');
  expect(IN.P, 'P', [D, 3 * nA], '(num_directions, 3·hidden_size)');
  return { T, m, nX, nA, D };
}

/** The shapes of `Y`, `Y_h` (and `Y_c`) for `layout`. */
export function outputShapes(a: RecurrentAttributes, d: RecurrentDims): Dim[][] {
  const Y = a.layout === 0 ? [d.T, d.D, d.m, d.nA] : [d.m, d.T, d.D, d.nA];
  const state = a.layout === 0 ? [d.D, d.m, d.nA] : [d.m, d.D, d.nA];
  return [Y, state, ...(a.cell === 'lstm' ? [state] : [])];
}

function bindRecurrent(cell: CellName, attrs: Attributes, ctx: NodeContext): BoundNode {
  const a = bindAttributes(cell, attrs, ctx);
  let prepared: PreparedWeights | undefined;
  return {
    foldable: false,
    infer(inputs) {
      const dims = recurrentDims(a, inputs, ctx.fail);
      const shapes = outputShapes(a, dims);
      shapes.forEach((s, i) => checkShape(s, ctx.limits, ctx.fail, `output ${i}`));
      const [W, R, B, P] = [IN.W, IN.R, IN.B, IN.P].map((i) => inputs[i]);
      const constant = (k: Known | undefined): boolean => k === undefined || k.value !== undefined;
      if (W?.value !== undefined && R?.value !== undefined && constant(B) && constant(P)) {
        prepared = prepareWeights(a, dims, W.value, R.value, B?.value, P?.value);
      }
      return shapes.map((shape) => ({ type: 'float32', shape }));
    },
    run(inputs, run) {
      return runRecurrent(a, inputs, run, prepared);
    },
    dispose() {
      for (const t of prepared?.tensors ?? []) t.dispose();
    },
  };
}

/** ONNX `LSTM` (opset 7, 14, 22). */
export const LSTM: Operator = { inputs: [3, 8], outputs: [0, 3], since: 7, bind: (attrs, ctx) => bindRecurrent('lstm', attrs, ctx) };
/** ONNX `GRU` (opset 7, 14, 22). */
export const GRU: Operator = { inputs: [3, 6], outputs: [0, 2], since: 7, bind: (attrs, ctx) => bindRecurrent('gru', attrs, ctx) };
/** ONNX `RNN` (opset 7, 14, 22). */
export const RNN: Operator = { inputs: [3, 6], outputs: [0, 2], since: 7, bind: (attrs, ctx) => bindRecurrent('rnn', attrs, ctx) };
