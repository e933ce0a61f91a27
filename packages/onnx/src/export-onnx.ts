import { InvalidArgumentError } from '@rnn/tensor';
import { checkModel, directionParameters, type CheckedModel, type RecurrentModel } from './model-source.js';
import { encodeModel, type AttributeSpec, type NodeSpec, type TensorSpec, type ValueSpec } from './proto/onnx-encode.js';
import { GATE_ORDERS, gateWeights } from './weights/gate-weights.js';

/** Options of `exportOnnx`. */
export interface ExportOnnxOptions {
  /** The default domain's opset to stamp, 13 to 22 (default 17). */
  readonly opset?: number | undefined;
  /** Add an int32 input `sequence_lens (batch)`: each example's length in a padded batch. */
  readonly sequenceLens?: boolean | undefined;
  /**
   * Add inputs `h0` (and for an LSTM `c0`) `(numLayers·D, batch, hiddenSize)`, layer by layer,
   * forward direction first, and outputs `h_n` (and `c_n`) of the same shape: the final states,
   * as PyTorch's `nn.LSTM` returns them.
   */
  readonly states?: boolean | undefined;
  /** `producer_name` (default `@rnn/onnx`). */
  readonly producerName?: string | undefined;
  /** `doc_string`: a description of the model. */
  readonly docString?: string | undefined;
  /** More `metadata_props` (key–value strings) besides the ones `exportOnnx` records. */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

/** The output name `exportOnnx` gives each kind of model. */
export const EXPORT_OUTPUTS = {
  /** A softmax head's output `(T, batch, outputSize)`. */
  softmax: 'probabilities',
  /** A linear head's output `(T, batch, outputSize)`. */
  linear: 'predictions',
  /** Without a head, the top layer's states `(T, batch, D·hiddenSize)`. */
  none: 'hidden',
} as const;

const ONNX_OP = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN' } as const;

/** `W (D, G·n_a, n_in)`, `R (D, G·n_a, n_a)`, `B (D, 2·G·n_a)` of layer `layer`, in ONNX's gate order. */
function layerWeights(m: CheckedModel, layer: number): { W: number[]; R: number[]; B: number[]; nIn: number } {
  const nIn = layer === 0 ? m.nX : m.D * m.nA;
  const W: number[] = [];
  const R: number[] = [];
  const B: number[] = [];
  for (let d = 0; d < m.D; d++) {
    const g = gateWeights(m.cell, directionParameters(m, layer, d), GATE_ORDERS.onnx[m.cell], { nA: m.nA, nX: nIn });
    for (const v of g.W) W.push(v);
    for (const v of g.R) R.push(v);
    for (const v of g.Wb) B.push(v);
    for (const v of g.Rb) B.push(v);
  }
  return { W, R, B, nIn };
}

/**
 * Writes a recurrent model as an ONNX model that onnxruntime (and `OnnxModel`) runs, laid out as
 * PyTorch's exporter lays out an `nn.LSTM` / `nn.GRU` / `nn.RNN` with a linear head: input
 * `X (T, batch, inputSize)` float32; per layer one `LSTM`/`GRU`/`RNN` node with its `W`, `R`, `B`
 * initializers (our weights mapped as SPEC's ONNX paragraph says; a GRU is `linear_before_reset = 1`),
 * a `Squeeze` of the direction axis after a one-direction layer or `Transpose` + `Reshape` after a
 * bidirectional one; then the head as `MatMul` + `Add` (+ `Softmax` over the last axis).
 *
 * The output is `probabilities (T, batch, outputSize)` for a softmax head (a character model: `X`
 * one-hot over the vocabulary), `predictions` for a linear head, or the top layer's states
 * `hidden (T, batch, D·hiddenSize)` without a head. Dimensions `T` and `batch` are symbolic.
 * Parameters are written as float32.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { exportOnnx } from '@rnn/onnx';
 *
 * const bytes = exportOnnx({ layers: { cell: 'lstm', inputSize: 27, hiddenSize: 64, outputSize: 27 }, parameters });
 * await writeFile('model.onnx', bytes);   // onnxruntime: session.run({ X }) → { probabilities }
 * ```
 */
export function exportOnnx(model: RecurrentModel, opts: ExportOnnxOptions = {}): Uint8Array {
  const fn = 'exportOnnx';
  const m = checkModel(fn, model);
  const opset = opts.opset ?? 17;
  if (!Number.isInteger(opset) || opset < 13 || opset > 22) throw new InvalidArgumentError(fn, 'opts.opset', `must be an integer from 13 to 22, got ${String(opset)}`);
  const { cell, nA, D, layers } = m;
  const op = ONNX_OP[cell];
  const nodes: NodeSpec[] = [];
  const initializers: TensorSpec[] = [];
  const inputs: ValueSpec[] = [{ name: 'X', type: 'float32', shape: ['T', 'batch', m.nX] }];
  const stateShape = [layers * D, 'batch', nA];
  const lstm = cell === 'lstm';
  if (opts.sequenceLens === true) inputs.push({ name: 'sequence_lens', type: 'int32', shape: ['batch'] });
  if (opts.states === true) {
    inputs.push({ name: 'h0', type: 'float32', shape: stateShape });
    if (lstm) inputs.push({ name: 'c0', type: 'float32', shape: stateShape });
  }
  const int64 = (name: string, data: number[]): string => {
    initializers.push({ name, type: 'int64', dims: [data.length], data });
    return name;
  };
  const attributes: Record<string, AttributeSpec> = { hidden_size: { int: nA } };
  if (D === 2) attributes['direction'] = { string: 'bidirectional' };
  if (cell === 'gru') attributes['linear_before_reset'] = { int: m.variant.linearBeforeReset === false ? 0 : 1 };
  if (m.variant.clip !== undefined) attributes['clip'] = { float: m.variant.clip };
  if (m.variant.inputForget === true) attributes['input_forget'] = { int: 1 };

  let x = 'X';
  const hn: string[] = [];
  const cn: string[] = [];
  for (let layer = 0; layer < layers; layer++) {
    const suffix = layer === 0 ? '' : `_${layer}`;
    const { W, R, B, nIn } = layerWeights(m, layer);
    const G = W.length / (D * nA * nIn);
    initializers.push(
      { name: `l${layer}.W`, type: 'float32', dims: [D, G * nA, nIn], data: W },
      { name: `l${layer}.R`, type: 'float32', dims: [D, G * nA, nA], data: R },
      { name: `l${layer}.B`, type: 'float32', dims: [D, 2 * G * nA], data: B },
    );
    const state = (from: string): string => {
      if (opts.states !== true) return '';
      if (layers === 1) return from;
      const out = `/rnn/${from}_slice${suffix}`;
      nodes.push({ opType: 'Slice', name: `/rnn/Slice_${from}${suffix}`, inputs: [from, int64(`${out}.starts`, [layer * D]), int64(`${out}.ends`, [(layer + 1) * D]), int64(`${out}.axes`, [0])], outputs: [out] });
      return out;
    };
    const nodeInputs = [x, `l${layer}.W`, `l${layer}.R`, `l${layer}.B`, opts.sequenceLens === true ? 'sequence_lens' : '', state('h0'), ...(lstm ? [state('c0')] : [])];
    while (nodeInputs[nodeInputs.length - 1] === '') nodeInputs.pop();
    const [Y, Yh, Yc] = [`/rnn/${op}${suffix}_output_0`, `/rnn/${op}${suffix}_output_1`, `/rnn/${op}${suffix}_output_2`];
    nodes.push({ opType: op, name: `/rnn/${op}${suffix}`, inputs: nodeInputs, outputs: lstm ? [Y, Yh, Yc] : [Y, Yh], attributes });
    hn.push(Yh);
    cn.push(Yc);
    // Y (T, D, batch, n_a) → (T, batch, D·n_a): the next layer's input, or the head's.
    const next = `/rnn/layer${layer}_output`;
    if (D === 1) {
      nodes.push({ opType: 'Squeeze', name: `/rnn/Squeeze${suffix}`, inputs: [Y, int64(`/rnn/Squeeze${suffix}.axes`, [1])], outputs: [next] });
    } else {
      const t = `/rnn/Transpose${suffix}_output_0`;
      nodes.push({ opType: 'Transpose', name: `/rnn/Transpose${suffix}`, inputs: [Y], outputs: [t], attributes: { perm: { ints: [0, 2, 1, 3] } } });
      nodes.push({ opType: 'Reshape', name: `/rnn/Reshape${suffix}`, inputs: [t, int64(`/rnn/Reshape${suffix}.shape`, [0, 0, -1])], outputs: [next] });
    }
    x = next;
  }

  const outputs: ValueSpec[] = [];
  if (m.nY === undefined) {
    nodes.push({ opType: 'Identity', name: '/Identity', inputs: [x], outputs: [EXPORT_OUTPUTS.none] });
    outputs.push({ name: EXPORT_OUTPUTS.none, type: 'float32', shape: ['T', 'batch', D * nA] });
  } else {
    const nY = m.nY;
    const Wy = m.values.get('Wy') as Float64Array;
    const WyT = new Array<number>(D * nA * nY);
    for (let o = 0; o < nY; o++) for (let k = 0; k < D * nA; k++) WyT[k * nY + o] = Wy[o * D * nA + k] as number;
    initializers.push({ name: 'head.weight_T', type: 'float32', dims: [D * nA, nY], data: WyT }, { name: 'head.bias', type: 'float32', dims: [nY], data: Array.from(m.values.get('by') as Float64Array) });
    nodes.push({ opType: 'MatMul', name: '/head/MatMul', inputs: [x, 'head.weight_T'], outputs: ['/head/MatMul_output_0'] });
    const name = EXPORT_OUTPUTS[m.head];
    const logits = m.head === 'softmax' ? '/head/Add_output_0' : name;
    nodes.push({ opType: 'Add', name: '/head/Add', inputs: ['/head/MatMul_output_0', 'head.bias'], outputs: [logits] });
    if (m.head === 'softmax') nodes.push({ opType: 'Softmax', name: '/Softmax', inputs: [logits], outputs: [name], attributes: { axis: { int: -1 } } });
    outputs.push({ name, type: 'float32', shape: ['T', 'batch', nY] });
  }
  if (opts.states === true) {
    for (const [name, parts] of lstm ? ([['h_n', hn], ['c_n', cn]] as const) : ([['h_n', hn]] as const)) {
      nodes.push(parts.length === 1
        ? { opType: 'Identity', name: `/${name}`, inputs: [parts[0] as string], outputs: [name] }
        : { opType: 'Concat', name: `/${name}`, inputs: [...parts], outputs: [name], attributes: { axis: { int: 0 } } });
      outputs.push({ name, type: 'float32', shape: stateShape });
    }
  }
  return encodeModel({
    irVersion: 8,
    opset,
    producerName: opts.producerName ?? '@rnn/onnx',
    producerVersion: '0.1.0',
    docString: opts.docString ?? `@rnn ${cell} ${JSON.stringify(m.config)}${m.nY === undefined ? '' : `, ${m.head} head`}`,
    metadata: {
      'rnn.config': JSON.stringify(m.config),
      ...(m.nY === undefined ? {} : { 'rnn.head': m.head }),
      ...(model.task === undefined ? {} : { 'rnn.task': model.task }),
      ...(model.vocabulary === undefined ? {} : { 'rnn.vocabulary': JSON.stringify(model.vocabulary.chars) }),
      ...opts.metadata,
    },
    graph: { name: `rnn_${cell}`, nodes, initializers, inputs, outputs },
  });
}
