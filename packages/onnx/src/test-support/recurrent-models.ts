import { RandomState } from '@rnn/tensor';
import type { AttributeSpec, ModelSpec, NodeSpec, TensorSpec, ValueSpec } from '../proto/onnx-encode.js';
import type { OrtValue } from './ort.js';

/** One ONNX recurrent node with its options, as PyTorch and tf2onnx emit them. */
export interface RecurrentCase {
  readonly cell: 'lstm' | 'gru' | 'rnn';
  readonly direction: 'forward' | 'reverse' | 'bidirectional';
  readonly nX: number;
  readonly nA: number;
  readonly m: number;
  readonly T: number;
  readonly layout?: 0 | 1;
  /** `sequence_lens`. */
  readonly lengths?: readonly number[];
  /** Feed `initial_h` (and `initial_c`). */
  readonly initialState?: boolean;
  readonly clip?: number;
  /** LSTM peepholes `P` (random). */
  readonly peepholes?: boolean;
  readonly inputForget?: boolean;
  /** GRU `linear_before_reset` (written even when 0). */
  readonly linearBeforeReset?: 0 | 1;
  /** Leave `B` out. */
  readonly noBias?: boolean;
  /** `W`, `R`, `B` as graph inputs instead of initializers. */
  readonly weightsAsInputs?: boolean;
  /** Write the default activations explicitly. */
  readonly explicitActivations?: boolean;
  readonly opset?: number;
}

const GATES = { lstm: 4, gru: 3, rnn: 1 } as const;
const ACTIVATIONS = { lstm: ['Sigmoid', 'Tanh', 'Tanh'], gru: ['Sigmoid', 'Tanh'], rnn: ['Tanh'] } as const;

/** Draws float32-exact values. */
export function drawer(seed: number): (n: number, scale?: number) => number[] {
  const rng = new RandomState(seed);
  return (n, scale = 1) => Array.from(rng.randnAs([n], 'float32').dataSync(), (v) => Math.fround(v * scale));
}

/** A model with one recurrent node (outputs `Y`, `Y_h`, and for the LSTM `Y_c`) and feeds for it. */
export function recurrentModel(c: RecurrentCase, seed: number): { spec: ModelSpec; feeds: Record<string, OrtValue> } {
  const draw = drawer(seed);
  const D = c.direction === 'bidirectional' ? 2 : 1;
  const G = GATES[c.cell];
  const layout = c.layout ?? 0;
  const { nX, nA, m, T } = c;
  const batchFirst = layout === 1;
  const xDims = batchFirst ? [m, T, nX] : [T, m, nX];
  const stateDims = batchFirst ? [m, D, nA] : [D, m, nA];
  const weights: TensorSpec[] = [
    { name: 'W', type: 'float32', dims: [D, G * nA, nX], data: draw(D * G * nA * nX, 0.6) },
    { name: 'R', type: 'float32', dims: [D, G * nA, nA], data: draw(D * G * nA * nA, 0.6) },
    ...(c.noBias === true ? [] : [{ name: 'B', type: 'float32' as const, dims: [D, 2 * G * nA], data: draw(D * 2 * G * nA, 0.5) }]),
  ];
  const feeds: Record<string, OrtValue> = { X: { type: 'float32', dims: xDims, data: draw(T * m * nX) } };
  const inputs: ValueSpec[] = [{ name: 'X', type: 'float32', shape: xDims }];
  if (c.weightsAsInputs === true) {
    for (const w of weights) {
      feeds[w.name as string] = { type: 'float32', dims: w.dims, data: w.data };
      inputs.push({ name: w.name as string, type: 'float32', shape: [...w.dims] });
    }
  }
  const nodeInputs = ['X', 'W', 'R', c.noBias === true ? '' : 'B', '', '', ...(c.cell === 'lstm' ? ['', ''] : [])];
  if (c.lengths !== undefined) {
    nodeInputs[4] = 'sequence_lens';
    feeds['sequence_lens'] = { type: 'int32', dims: [m], data: [...c.lengths] };
    inputs.push({ name: 'sequence_lens', type: 'int32', shape: [m] });
  }
  if (c.initialState === true) {
    nodeInputs[5] = 'initial_h';
    feeds['initial_h'] = { type: 'float32', dims: stateDims, data: draw(D * m * nA) };
    inputs.push({ name: 'initial_h', type: 'float32', shape: stateDims });
    if (c.cell === 'lstm') {
      nodeInputs[6] = 'initial_c';
      feeds['initial_c'] = { type: 'float32', dims: stateDims, data: draw(D * m * nA) };
      inputs.push({ name: 'initial_c', type: 'float32', shape: stateDims });
    }
  }
  const initializers = c.weightsAsInputs === true ? [] : [...weights];
  if (c.peepholes === true) {
    nodeInputs[7] = 'P';
    initializers.push({ name: 'P', type: 'float32', dims: [D, 3 * nA], data: draw(D * 3 * nA, 0.5) });
  }
  while (nodeInputs[nodeInputs.length - 1] === '') nodeInputs.pop();
  const attributes: Record<string, AttributeSpec> = { hidden_size: { int: nA } };
  if (c.direction !== 'forward') attributes['direction'] = { string: c.direction };
  if (layout === 1) attributes['layout'] = { int: 1 };
  if (c.clip !== undefined) attributes['clip'] = { float: c.clip };
  if (c.inputForget === true) attributes['input_forget'] = { int: 1 };
  if (c.linearBeforeReset !== undefined) attributes['linear_before_reset'] = { int: c.linearBeforeReset };
  if (c.explicitActivations === true) attributes['activations'] = { strings: Array.from({ length: D }, () => ACTIVATIONS[c.cell]).flat() };
  const outputs = ['Y', 'Y_h', ...(c.cell === 'lstm' ? ['Y_c'] : [])];
  const node: NodeSpec = { opType: c.cell.toUpperCase(), name: `/${c.cell}/${c.cell.toUpperCase()}`, inputs: nodeInputs, outputs, attributes };
  const yDims = batchFirst ? [m, T, D, nA] : [T, D, m, nA];
  return {
    spec: {
      irVersion: 8, opset: c.opset ?? 17, producerName: 'rnn-onnx-tests', producerVersion: '0',
      graph: {
        name: c.cell, nodes: [node], initializers, inputs,
        outputs: outputs.map((name) => ({ name, type: 'float32', shape: name === 'Y' ? yDims : stateDims })),
      },
    },
    feeds,
  };
}
