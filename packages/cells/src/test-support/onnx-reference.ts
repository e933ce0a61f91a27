import { RandomState, tensor, type Tensor } from '@rnn/tensor';
import type { CellName, LayerParameters } from '../index.js';

/**
 * onnxruntime-node's `LSTM`, `GRU` and `RNN` operators as an independent reference: a one-node
 * model built in memory (layout 0, default activations, GRU with `linear_before_reset = 1`), run
 * on random ONNX weights, with the weights mapped to ours the way an importer would.
 */

/** One ONNX recurrent node's attributes and inputs. */
export interface OnnxRecurrentCase {
  readonly cell: CellName;
  readonly direction: 'forward' | 'reverse' | 'bidirectional';
  readonly nX: number;
  readonly nA: number;
  readonly m: number;
  readonly T: number;
  /** `sequence_lens`, when given. */
  readonly lengths?: readonly number[] | undefined;
  /** Give `initial_h` (and for the LSTM `initial_c`). */
  readonly initialState: boolean;
  /** ONNX's `clip`. */
  readonly clip?: number | undefined;
  /** LSTM peepholes `P` (drawn at random). */
  readonly peepholes?: boolean | undefined;
  /** LSTM `input_forget = 1`. */
  readonly inputForget?: boolean | undefined;
  /** GRU `linear_before_reset` (default 1). */
  readonly linearBeforeReset?: 0 | 1 | undefined;
}

/** ONNX's gate blocks per cell, in its order, and ours. */
const GATES: Readonly<Record<CellName, { readonly onnx: readonly string[] }>> = {
  lstm: { onnx: ['i', 'o', 'f', 'c'] },
  gru: { onnx: ['z', 'r', 'h'] },
  rnn: { onnx: ['a'] },
};

/** What onnxruntime returned and the inputs it ran, as flat float32 arrays in ONNX's layouts. */
export interface OnnxRun {
  /** `(T, D, m, n_a)`. */
  readonly Y: Float32Array;
  /** `(D, m, n_a)`. */
  readonly Yh: Float32Array;
  /** `(D, m, n_a)`, the LSTM only. */
  readonly Yc: Float32Array | undefined;
  /** The inputs, as ours: `x (n_x, m, T)`, `a0`/`c0 (D, n_a, m)`, the layer parameters mapped from W, R, B, and the peepholes `[Pi, Po, Pf]` per direction. */
  readonly ours: {
    readonly x: Tensor;
    readonly a0: Tensor | undefined;
    readonly c0: Tensor | undefined;
    readonly parameters: LayerParameters;
    readonly peepholes: readonly { readonly Pi: Tensor; readonly Po: Tensor; readonly Pf: Tensor }[] | undefined;
  };
}

/** Runs one ONNX node on onnxruntime-node with random weights drawn from `seed`. */
export async function runOnnxRecurrent(c: OnnxRecurrentCase, seed: number): Promise<OnnxRun> {
  const ort = await import('onnxruntime-node');
  const { onnx } = (await import('onnx-proto')).default;
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const INT32 = onnx.TensorProto.DataType.INT32;
  const D = c.direction === 'bidirectional' ? 2 : 1;
  const G = GATES[c.cell].onnx.length;
  const rng = new RandomState(seed);
  const draw = (n: number, scale: number): Float32Array => Float32Array.from(rng.randnAs([n], 'float32').dataSync(), (v) => v * scale);
  const X = draw(c.T * c.m * c.nX, 1);
  const W = draw(D * G * c.nA * c.nX, 0.5);
  const R = draw(D * G * c.nA * c.nA, 0.5);
  const B = draw(D * 2 * G * c.nA, 0.5);
  const H0 = c.initialState ? draw(D * c.m * c.nA, 1) : undefined;
  const C0 = c.initialState && c.cell === 'lstm' ? draw(D * c.m * c.nA, 1) : undefined;
  const P = c.peepholes === true ? draw(D * 3 * c.nA, 0.5) : undefined;

  const value = (name: string, dims: number[], type = FLOAT) =>
    onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: type, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
  const attr = (name: string, v: number | string) =>
    typeof v === 'number'
      ? onnx.AttributeProto.create({ name, i: v, type: onnx.AttributeProto.AttributeType.INT })
      : onnx.AttributeProto.create({ name, s: new TextEncoder().encode(v), type: onnx.AttributeProto.AttributeType.STRING });
  const inputs = ['X', 'W', 'R', 'B', c.lengths === undefined ? '' : 'L', H0 === undefined ? '' : 'H0', ...(c.cell === 'lstm' ? [C0 === undefined ? '' : 'C0', P === undefined ? '' : 'P'] : [])];
  while (inputs[inputs.length - 1] === '') inputs.pop();
  const outputs = ['Y', 'Yh', ...(c.cell === 'lstm' ? ['Yc'] : [])];
  const graph = onnx.GraphProto.create({
    name: c.cell,
    node: [onnx.NodeProto.create({
      opType: c.cell.toUpperCase(), input: inputs, output: outputs,
      attribute: [
        attr('hidden_size', c.nA), attr('direction', c.direction),
        ...(c.cell === 'gru' ? [attr('linear_before_reset', c.linearBeforeReset ?? 1)] : []),
        ...(c.clip === undefined ? [] : [onnx.AttributeProto.create({ name: 'clip', f: c.clip, type: onnx.AttributeProto.AttributeType.FLOAT })]),
        ...(c.inputForget === true ? [attr('input_forget', 1)] : []),
      ],
    })],
    input: [
      value('X', [c.T, c.m, c.nX]), value('W', [D, G * c.nA, c.nX]), value('R', [D, G * c.nA, c.nA]), value('B', [D, 2 * G * c.nA]),
      ...(c.lengths === undefined ? [] : [value('L', [c.m], INT32)]),
      ...(H0 === undefined ? [] : [value('H0', [D, c.m, c.nA])]),
      ...(C0 === undefined ? [] : [value('C0', [D, c.m, c.nA])]),
      ...(P === undefined ? [] : [value('P', [D, 3 * c.nA])]),
    ],
    output: [value('Y', [c.T, D, c.m, c.nA]), value('Yh', [D, c.m, c.nA]), ...(c.cell === 'lstm' ? [value('Yc', [D, c.m, c.nA])] : [])],
  });
  const model = onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph })).finish();
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
    X: new ort.Tensor('float32', X, [c.T, c.m, c.nX]),
    W: new ort.Tensor('float32', W, [D, G * c.nA, c.nX]),
    R: new ort.Tensor('float32', R, [D, G * c.nA, c.nA]),
    B: new ort.Tensor('float32', B, [D, 2 * G * c.nA]),
  };
  if (c.lengths !== undefined) feeds['L'] = new ort.Tensor('int32', Int32Array.from(c.lengths), [c.m]);
  if (H0 !== undefined) feeds['H0'] = new ort.Tensor('float32', H0, [D, c.m, c.nA]);
  if (C0 !== undefined) feeds['C0'] = new ort.Tensor('float32', C0, [D, c.m, c.nA]);
  if (P !== undefined) feeds['P'] = new ort.Tensor('float32', P, [D, 3 * c.nA]);
  const result = await session.run(feeds);
  await session.release();
  const data = (name: string): Float32Array => {
    const t = result[name];
    if (t === undefined || !(t.data instanceof Float32Array)) throw new Error(`onnxruntime returned no ${name}`);
    return t.data;
  };
  return {
    Y: data('Y'),
    Yh: data('Yh'),
    Yc: c.cell === 'lstm' ? data('Yc') : undefined,
    ours: {
      x: tensor(Float64Array.from({ length: c.nX * c.m * c.T }, (_, k) => {
        const [i, j, t] = [Math.floor(k / (c.m * c.T)), Math.floor(k / c.T) % c.m, k % c.T];
        return X[(t * c.m + j) * c.nX + i] as number;
      }), [c.nX, c.m, c.T]),
      a0: H0 === undefined ? undefined : stateTensor(H0, D, c.m, c.nA),
      c0: C0 === undefined ? undefined : stateTensor(C0, D, c.m, c.nA),
      parameters: mapWeights(c, D, W, R, B),
      peepholes: P === undefined ? undefined : Array.from({ length: D }, (_, d) => {
        const part = (k: number): Tensor => tensor(Float64Array.from(P.subarray((d * 3 + k) * c.nA, (d * 3 + k + 1) * c.nA)), [c.nA, 1]);
        return { Pi: part(0), Po: part(1), Pf: part(2) };
      }),
    },
  };
}

/** An ONNX state `(D, m, n_a)` as ours, `(D, n_a, m)`. */
function stateTensor(values: Float32Array, D: number, m: number, nA: number): Tensor {
  return tensor(Float64Array.from({ length: D * nA * m }, (_, k) => {
    const [d, u, j] = [Math.floor(k / (nA * m)), Math.floor(k / m) % nA, k % m];
    return values[(d * m + j) * nA + u] as number;
  }), [D, nA, m]);
}

/** Ours from ONNX's `(T, D, m, n_a)`, in our `(D·n_a, m, T)` layout. */
export function onnxY(values: Float32Array, T: number, D: number, m: number, nA: number): Float64Array {
  return Float64Array.from({ length: D * nA * m * T }, (_, k) => {
    const [row, j, t] = [Math.floor(k / (m * T)), Math.floor(k / T) % m, k % T];
    const [d, u] = [Math.floor(row / nA), row % nA];
    return values[((t * D + d) * m + j) * nA + u] as number;
  });
}

/** ONNX's `(D, m, n_a)` in our `(D, n_a, m)` layout. */
export function onnxState(values: Float32Array, D: number, m: number, nA: number): Float64Array {
  return stateTensor(values, D, m, nA).dataSync() as Float64Array;
}

/**
 * ONNX's `W (D, G·n_a, n_x)`, `R (D, G·n_a, n_a)`, `B (D, 2·G·n_a)` as our layer parameters:
 * each gate's weight is `[R_g | W_g]` (hidden columns first) and its bias `Wb_g + Rb_g`; the GRU
 * keeps the candidate's parts apart (`Whx = W_h`, `bhx = Wb_h`, `Whh = R_h`, `bhh = Rb_h`), as
 * `linear_before_reset = 1` does.
 */
function mapWeights(c: OnnxRecurrentCase, D: number, W: Float32Array, R: Float32Array, B: Float32Array): Record<string, Tensor> {
  const { nX, nA } = c;
  const G = GATES[c.cell].onnx.length;
  const out: Record<string, Tensor> = {};
  for (let d = 0; d < D; d++) {
    const at = `l0${d === 1 ? 'r' : ''}.`;
    const gate = (name: string): { w: (u: number, k: number) => number; r: (u: number, k: number) => number; wb: (u: number) => number; rb: (u: number) => number } => {
      const g = GATES[c.cell].onnx.indexOf(name);
      return {
        w: (u, k) => W[(d * G * nA + g * nA + u) * nX + k] as number,
        r: (u, k) => R[(d * G * nA + g * nA + u) * nA + k] as number,
        wb: (u) => B[d * 2 * G * nA + g * nA + u] as number,
        rb: (u) => B[d * 2 * G * nA + (G + g) * nA + u] as number,
      };
    };
    const concatWeight = (name: string): Tensor => {
      const g = gate(name);
      return tensor(Float64Array.from({ length: nA * (nA + nX) }, (_, k) => {
        const [u, col] = [Math.floor(k / (nA + nX)), k % (nA + nX)];
        return col < nA ? g.r(u, col) : g.w(u, col - nA);
      }), [nA, nA + nX]);
    };
    const summedBias = (name: string): Tensor => {
      const g = gate(name);
      return tensor(Float64Array.from({ length: nA }, (_, u) => g.wb(u) + g.rb(u)), [nA, 1]);
    };
    if (c.cell === 'lstm') {
      for (const [ours, onnxName] of [['f', 'f'], ['i', 'i'], ['c', 'c'], ['o', 'o']] as const) {
        out[`${at}W${ours}`] = concatWeight(onnxName);
        out[`${at}b${ours}`] = summedBias(onnxName);
      }
    } else if (c.cell === 'gru') {
      for (const name of ['z', 'r'] as const) {
        out[`${at}W${name}`] = concatWeight(name);
        out[`${at}b${name}`] = summedBias(name);
      }
      const h = gate('h');
      out[`${at}Whx`] = tensor(Float64Array.from({ length: nA * nX }, (_, k) => h.w(Math.floor(k / nX), k % nX)), [nA, nX]);
      out[`${at}bhx`] = tensor(Float64Array.from({ length: nA }, (_, u) => h.wb(u)), [nA, 1]);
      out[`${at}Whh`] = tensor(Float64Array.from({ length: nA * nA }, (_, k) => h.r(Math.floor(k / nA), k % nA)), [nA, nA]);
      out[`${at}bhh`] = tensor(Float64Array.from({ length: nA }, (_, u) => h.rb(u)), [nA, 1]);
    } else {
      const g = gate('a');
      out[`${at}Wax`] = tensor(Float64Array.from({ length: nA * nX }, (_, k) => g.w(Math.floor(k / nX), k % nX)), [nA, nX]);
      out[`${at}Waa`] = tensor(Float64Array.from({ length: nA * nA }, (_, k) => g.r(Math.floor(k / nA), k % nA)), [nA, nA]);
      out[`${at}ba`] = summedBias('a');
    }
  }
  return out;
}
