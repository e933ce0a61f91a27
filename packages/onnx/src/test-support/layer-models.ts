import { layerParameterShapes, layersForward, type LayerConfig } from '@rnn/cells';
import { RandomState, tensor, type Backend, type Tensor } from '@rnn/tensor';

/** Random parameters for a layer stack, float64 values exactly representable in float32. */
export function randomParameters(config: LayerConfig, seed: number, scale = 0.5): Record<string, Float64Array> {
  const rng = new RandomState(seed);
  const out: Record<string, Float64Array> = {};
  for (const p of layerParameterShapes(config)) {
    out[p.name] = Float64Array.from(rng.randn(p.shape[0] * p.shape[1]).dataSync(), (v) => Math.fround(v * scale));
  }
  return out;
}

/** Random float32-exact values. */
export function randomValues(n: number, seed: number): number[] {
  return Array.from(new RandomState(seed).randn(n).dataSync(), (v) => Math.fround(v));
}

/** `X (T, m, n)` row-major as our `x (n, m, T)`. */
export function timeMajorToOurs(X: ArrayLike<number>, T: number, m: number, n: number): Tensor {
  const x = new Float64Array(n * m * T);
  for (let t = 0; t < T; t++) for (let j = 0; j < m; j++) for (let i = 0; i < n; i++) x[(i * m + j) * T + t] = X[(t * m + j) * n + i] as number;
  return tensor(x, [n, m, T]);
}

/** Ours `(n, m, T)` as ONNX's `(T, m, n)`. */
export function oursToTimeMajor(values: ArrayLike<number>, n: number, m: number, T: number): Float64Array {
  const out = new Float64Array(T * m * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) for (let t = 0; t < T; t++) out[(t * m + j) * n + i] = values[(i * m + j) * T + t] as number;
  return out;
}

/** A state `(S, m, n_a)` (PyTorch's, ONNX's) as ours `(S, n_a, m)`, or back: the last two axes swapped. */
export function swapLastTwo(values: ArrayLike<number>, S: number, a: number, b: number): Float64Array {
  const out = new Float64Array(S * a * b);
  for (let s = 0; s < S; s++) for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) out[(s * b + j) * a + i] = values[(s * a + i) * b + j] as number;
  return out;
}

/** Our layer stack's forward in float64 on `backend`, with ONNX-shaped inputs and outputs. */
export function ourForward(config: LayerConfig, parameters: Record<string, Float64Array>, head: 'softmax' | 'linear', X: ArrayLike<number>, T: number, m: number, backend: Backend, extra: { lengths?: readonly number[]; h0?: ArrayLike<number>; c0?: ArrayLike<number> } = {}): { output: Float64Array; hn: Float64Array; cn: Float64Array | undefined } {
  const D = config.bidirectional === true ? 2 : 1;
  const S = (config.numLayers ?? 1) * D;
  const nA = config.hiddenSize;
  const shapes = new Map(layerParameterShapes(config).map((s) => [s.name, [...s.shape]]));
  const p = Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, tensor(v, shapes.get(k))]));
  const state = (v: ArrayLike<number> | undefined) => (v === undefined ? undefined : tensor(swapLastTwo(v, S, m, nA), [S, nA, m]));
  const out = layersForward(timeMajorToOurs(X, T, m, config.inputSize), p, config, { backend, head, lengths: extra.lengths, a0: state(extra.h0), c0: state(extra.c0) });
  const y = out.yPred ?? out.outputs;
  return {
    output: oursToTimeMajor(y.dataSync(), y.shape[0] as number, m, T),
    hn: swapLastTwo(out.aLast.dataSync(), S, nA, m),
    cn: out.cLast === undefined ? undefined : swapLastTwo(out.cLast.dataSync(), S, nA, m),
  };
}
