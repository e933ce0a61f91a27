import { disposeCaches, lstmBackward, lstmForward, rnnBackward, rnnForward, type LstmCaches, type RnnCaches } from '@rnn/cells';
import { resolveBackend, tensor, zeros, type Backend, type DType, type Tensor } from '@rnn/tensor';
import type { Batch } from './batching.js';
import { maskedCrossEntropy, outputLayerBackward, type CrossEntropy } from './loss.js';
import { nativeDType } from './native-dtype.js';
import { outputWeightName, parameter, toTensors, type CellType, type HostParameters } from './parameters.js';

/** Where the recurrent math runs. */
export interface StepOptions {
  /** Backend for the cells; the default set with `setBackend` when absent. */
  readonly backend?: Backend | undefined;
  /**
   * Element type of the tensors sent to the backend. Default: the model's `dtype` in
   * `SequenceModel`'s methods, else what the backend computes in, `float64` on the CPU backend
   * and `float32` on gpu.js (see `SequenceModel.dtype`).
   */
  readonly dtype?: DType | undefined;
}

/** Loss and gradients of one batch. */
export interface StepResult extends CrossEntropy {
  /** Gradient of `totalNats / normalizer` for every parameter, keyed by parameter name (`grads.Wf` is `dWf`), float64. */
  readonly grads: Record<string, Float64Array>;
}

/** Sizes a step needs besides the batch: hidden units `n_a` and classes `n_y`. */
export interface HiddenDims {
  /** Hidden units `n_a`. */
  readonly nA: number;
  /** Output classes `n_y`. */
  readonly nY: number;
}

interface Forward {
  readonly yPred: Float64Array;
  readonly a: Float64Array;
  readonly caches: { readonly kind: 'lstm'; readonly caches: LstmCaches } | { readonly kind: 'rnn'; readonly caches: RnnCaches };
  readonly inputs: readonly Tensor[];
}

/**
 * Forward through the recurrence on the backend (`lstmForward` / `rnnForward` with `a⟨0⟩ = 0`),
 * then reads `a` and `yPred` back to the host.
 */
async function forward(cell: CellType, { nA, nY }: HiddenDims, params: HostParameters, batch: Batch, backend: Backend, dtype: DType): Promise<Forward> {
  const dims = { nX: batch.nX, nA, nY };
  const x = tensor(batch.x, [batch.nX, batch.m, batch.T], dtype);
  const a0 = zeros([nA, batch.m], dtype);
  const backendOpts = { backend };
  if (cell === 'lstm') {
    const p = toTensors('lstm', dims, params, dtype);
    const out = lstmForward(x, a0, p, backendOpts);
    const [a, yPred] = await Promise.all([out.a.data(), out.yPred.data()]);
    const inputs = [x, a0, out.a, out.c, out.yPred, ...Object.values(p)];
    return { a: Float64Array.from(a), yPred: Float64Array.from(yPred), caches: { kind: 'lstm', caches: out.caches }, inputs };
  }
  const p = toTensors('rnn', dims, params, dtype);
  const out = rnnForward(x, a0, p, backendOpts);
  const [a, yPred] = await Promise.all([out.a.data(), out.yPred.data()]);
  const inputs = [x, a0, out.a, out.yPred, ...Object.values(p)];
  return { a: Float64Array.from(a), yPred: Float64Array.from(yPred), caches: { kind: 'rnn', caches: out.caches }, inputs };
}

/** Frees every tensor a forward pass made or uploaded. */
function release(f: Forward): void {
  disposeCaches(f.caches.caches);
  for (const t of f.inputs) t.dispose();
}

/**
 * Summed masked cross-entropy of a batch, forward only (for held-out evaluation).
 *
 * @example
 * ```ts
 * const batch = encodeBatch(heldOut.map((n) => vocabulary.encode(n)), vocabulary.size, vocabulary.endIndex);
 * const { totalNats, count } = await batchLoss('lstm', { nA: 64, nY: vocabulary.size }, parameters, batch, { backend });
 * totalNats / count;   // nats per character
 * ```
 */
export async function batchLoss(cell: CellType, dims: HiddenDims, params: HostParameters, batch: Batch, opts: StepOptions = {}): Promise<CrossEntropy> {
  const backend = resolveBackend('batchLoss', opts);
  const f = await forward(cell, dims, params, batch, backend, opts.dtype ?? nativeDType(backend));
  try {
    return maskedCrossEntropy(f.yPred, batch.targets, batch.mask, { nY: dims.nY, m: batch.m, T: batch.T });
  } finally {
    release(f);
  }
}

/**
 * Loss and gradients of one padded batch for `loss = totalNats / normalizer` (default
 * `normalizer = Σ mask`, the mean nats per character).
 *
 * The recurrence runs on the backend: `lstmForward` / `rnnForward`, then `lstmBackward` /
 * `rnnBackward` with `da` from the output layer. The loss, the output layer's gradient
 * (`dWy, dby` or `dWya, dby`) and `da (n_a, m, T)` are computed on the host in float64 from the
 * values read back with `await t.data()` (see `outputLayerBackward`).
 *
 * @example
 * ```ts
 * const dims = { nX: vocabulary.size, nA: 64, nY: vocabulary.size };
 * const parameters = initParameters('lstm', dims, { seed: 1 });
 * const optimizer = new Adam(0.01);
 * const batch = encodeBatch(names.map((n) => vocabulary.encode(n)), vocabulary.size, vocabulary.endIndex);
 * const { totalNats, count, grads } = await lossAndGradients('lstm', dims, parameters, batch, { backend });
 * clipByValue(grads, 5);
 * optimizer.step(parameters, grads);   // one training step; totalNats / count is the loss before it
 * ```
 */
export async function lossAndGradients(
  cell: CellType,
  dims: HiddenDims,
  params: HostParameters,
  batch: Batch,
  opts: StepOptions & { readonly normalizer?: number | undefined } = {},
): Promise<StepResult> {
  const { nA, nY } = dims;
  const { m, T } = batch;
  const backend = resolveBackend('lossAndGradients', opts);
  const dtype = opts.dtype ?? nativeDType(backend);
  const f = await forward(cell, dims, params, batch, backend, dtype);
  const owned: Tensor[] = [];
  try {
    const { totalNats, count } = maskedCrossEntropy(f.yPred, batch.targets, batch.mask, { nY, m, T });
    const normalizer = opts.normalizer ?? Math.max(count, 1);
    const Wy = parameter(params, outputWeightName(cell), 'lossAndGradients');
    const out = outputLayerBackward(f.yPred, f.a, Wy, batch.targets, batch.mask, { nY, nA, m, T }, normalizer);
    const da = tensor(out.da, [nA, m, T], dtype);
    owned.push(da);
    const backendOpts = { backend };
    const grads: Record<string, Float64Array> = {};
    const read = async (entries: Record<string, Tensor>): Promise<void> => {
      owned.push(...Object.values(entries));
      const names = Object.keys(entries);
      const values = await Promise.all(Object.values(entries).map((t) => t.data()));
      names.forEach((name, i) => (grads[name] = Float64Array.from(values[i] ?? [])));
    };
    if (f.caches.kind === 'lstm') {
      const g = lstmBackward(da, f.caches.caches, backendOpts);
      owned.push(g.dx, g.da0);
      await read({ Wf: g.dWf, bf: g.dbf, Wi: g.dWi, bi: g.dbi, Wc: g.dWc, bc: g.dbc, Wo: g.dWo, bo: g.dbo });
      grads.Wy = out.dWy;
    } else {
      const g = rnnBackward(da, f.caches.caches, backendOpts);
      owned.push(g.dx, g.da0);
      await read({ Waa: g.dWaa, Wax: g.dWax, ba: g.dba });
      grads.Wya = out.dWy;
    }
    grads.by = out.dby;
    return { totalNats, count, grads };
  } finally {
    for (const t of owned) t.dispose();
    release(f);
  }
}
