import { disposeLayerCaches, layersBackward, layersForward, type LayerConfig, type LayersForwardOutput } from '@rnn/cells';
import { InvalidArgumentError, resolveBackend, tensor, type Backend, type DType, type Tensor } from '@rnn/tensor';
import type { Batch, BatchBase } from './batching.js';
import { crossEntropyLogitsGradient, maskedCorrect, maskedCrossEntropy, maskedSquaredError, squaredErrorGradient } from './loss.js';
import { nativeDType } from './native-dtype.js';
import { modelLayers, toTensors, type HostParameters, type ModelLayers } from './parameters.js';

/** Where the layers run. */
export interface StepOptions {
  /** Backend for the layers; the default set with `setBackend` when absent. */
  readonly backend?: Backend | undefined;
  /**
   * Element type of the tensors sent to the backend. Default: what the backend computes in,
   * `float64` on the CPU backend and `float32` on gpu.js. (`SequenceModel` fixes it once, at
   * `create` or `load`.)
   */
  readonly dtype?: DType | undefined;
}

/** A batch's summed loss: `total / count` is the mean. */
export interface LossTotal {
  /** `cross-entropy` (nats, counted per step) or `mse` (squared error, counted per value). */
  readonly loss: 'cross-entropy' | 'mse';
  /** Summed nats, or summed squared error. */
  readonly total: number;
  /** Steps (cross-entropy) or values, `n_y` per step (squared error), counted. */
  readonly count: number;
  /** Cross-entropy: the counted steps whose most likely class is the target. */
  readonly correct?: number | undefined;
}

/** Loss and gradients of one batch. */
export interface StepResult extends LossTotal {
  /** Gradient of `total / normalizer` for every parameter, keyed like the parameters (`grads['l0.Wf']` is layer 0's `dWf`), float64. */
  readonly grads: Record<string, Float64Array>;
}

/** A forward pass with the head on the device, `yPred` read back, and what to free. */
interface Forward {
  readonly yPred: Float64Array;
  readonly out: LayersForwardOutput;
  readonly owned: Tensor[];
}

/** The head a batch's loss needs. */
function headOf(batch: Batch): 'softmax' | 'linear' {
  return batch.loss === 'cross-entropy' ? 'softmax' : 'linear';
}

function checkBatch(fn: string, layers: ModelLayers, batch: BatchBase): void {
  if (typeof batch !== 'object' || batch === null || !(batch.x instanceof Float64Array)) throw new InvalidArgumentError(fn, 'batch', 'must be a Batch (see encodeBatch)');
  if (batch.nX !== layers.inputSize) throw new InvalidArgumentError(fn, 'batch', `has n_x = ${batch.nX} features but the layers read inputSize = ${layers.inputSize}`);
  if ('nY' in batch && batch.nY !== layers.outputSize) throw new InvalidArgumentError(fn, 'batch', `has n_y = ${String(batch.nY)} targets but the head has outputSize = ${layers.outputSize}`);
}

/**
 * `layersForward` over the batch (with its lengths) and the head, on the backend; reads back
 * only `yPred (n_y, m, T)`.
 */
async function forward(layers: ModelLayers, params: HostParameters, batch: BatchBase, head: 'softmax' | 'linear', backend: Backend, dtype: DType): Promise<Forward> {
  const x = tensor(batch.x, [batch.nX, batch.m, batch.T], dtype);
  const p = toTensors(layers, params, dtype);
  const owned = [x, ...Object.values(p)];
  try {
    const out = layersForward(x, p, layers, { backend, lengths: batch.lengths, head });
    owned.push(out.outputs, out.aLast, ...(out.cLast === undefined ? [] : [out.cLast]), ...(out.yPred === undefined ? [] : [out.yPred]));
    if (out.yPred === undefined) throw new Error('forward: the layers returned no yPred');
    return { yPred: Float64Array.from(await out.yPred.data()), out, owned };
  } catch (error) {
    for (const t of owned) t.dispose();
    throw error;
  }
}

function release(f: Forward): void {
  disposeLayerCaches(f.out.caches);
  for (const t of f.owned) t.dispose();
}

/** The summed loss of a batch from its read-back `yPred`. */
function lossOf(batch: Batch, yPred: Float64Array, nY: number): LossTotal {
  const dims = { nY, m: batch.m, T: batch.T };
  if (batch.loss === 'cross-entropy') {
    const ce = maskedCrossEntropy(yPred, batch.targets, batch.mask, dims);
    return { loss: 'cross-entropy', total: ce.totalNats, count: ce.count, correct: maskedCorrect(yPred, batch.targets, batch.mask, dims) };
  }
  const se = maskedSquaredError(yPred, batch.targets, batch.mask, dims);
  return { loss: 'mse', total: se.totalSquaredError, count: se.count };
}

/**
 * The head's outputs for a batch, forward only: `yPred (n_y, m, T)` read back in float64
 * (probabilities for `softmax`, values for `linear`); zero-input steps past an example's length
 * hold what the head makes of zero outputs.
 */
export async function batchPredictions(layers: LayerConfig, params: HostParameters, batch: BatchBase, head: 'softmax' | 'linear', opts: StepOptions = {}): Promise<Float64Array> {
  const fn = 'batchPredictions';
  const stack = modelLayers(fn, layers);
  checkBatch(fn, stack, batch);
  const backend = resolveBackend(fn, opts);
  const f = await forward(stack, params, batch, head, backend, opts.dtype ?? nativeDType(backend));
  release(f);
  return f.yPred;
}

/**
 * Summed loss of a batch, forward only (for held-out evaluation): cross-entropy for a `ClassBatch`
 * (softmax head), squared error for a `RegressionBatch` (linear head).
 *
 * @example
 * ```ts
 * const layers = { cell: 'lstm', inputSize: vocabulary.size, hiddenSize: 64, outputSize: vocabulary.size } as const;
 * const batch = encodeBatch(heldOut.map((n) => vocabulary.encode(n)), vocabulary.size, vocabulary.endIndex);
 * const { total, count } = await batchLoss(layers, parameters, batch, { backend });
 * total / count;   // nats per character
 * ```
 */
export async function batchLoss(layers: LayerConfig, params: HostParameters, batch: Batch, opts: StepOptions = {}): Promise<LossTotal> {
  const fn = 'batchLoss';
  const stack = modelLayers(fn, layers);
  checkBatch(fn, stack, batch);
  const backend = resolveBackend(fn, opts);
  const f = await forward(stack, params, batch, headOf(batch), backend, opts.dtype ?? nativeDType(backend));
  try {
    return lossOf(batch, f.yPred, stack.outputSize);
  } finally {
    release(f);
  }
}

/**
 * Loss and gradients of one padded batch for `loss = total / normalizer` (default: the mean,
 * `normalizer = count`).
 *
 * Everything but the loss runs on the backend: `layersForward` with the head (softmax for a
 * `ClassBatch`, linear for a `RegressionBatch`), then `layersBackward({ dLogits })`. The host
 * reads back only `yPred`, computes the loss and the gradient at the head's logits in float64 —
 * `(ŷ − y) ⊙ mask / normalizer` for softmax with cross-entropy, `2 (ŷ − y) ⊙ mask / normalizer`
 * for squared error — and reads the parameters' gradients back.
 *
 * @example
 * ```ts
 * const layers = { cell: 'gru', inputSize: vocabulary.size, hiddenSize: 64, numLayers: 2, outputSize: vocabulary.size } as const;
 * const parameters = initParameters(layers, { seed: 1 });
 * const optimizer = new Adam(0.01);
 * const batch = encodeBatch(names.map((n) => vocabulary.encode(n)), vocabulary.size, vocabulary.endIndex);
 * const { total, count, grads } = await lossAndGradients(layers, parameters, batch, { backend });
 * clipByValue(grads, 5);
 * optimizer.step(parameters, grads);   // one training step; total / count is the loss before it
 * ```
 */
export async function lossAndGradients(
  layers: LayerConfig,
  params: HostParameters,
  batch: Batch,
  opts: StepOptions & { readonly normalizer?: number | undefined } = {},
): Promise<StepResult> {
  const fn = 'lossAndGradients';
  const stack = modelLayers(fn, layers);
  checkBatch(fn, stack, batch);
  if (opts.normalizer !== undefined && !(opts.normalizer > 0 && Number.isFinite(opts.normalizer))) throw new InvalidArgumentError(fn, 'opts.normalizer', `must be positive, got ${opts.normalizer}`);
  const backend = resolveBackend(fn, opts);
  const dtype = opts.dtype ?? nativeDType(backend);
  const f = await forward(stack, params, batch, headOf(batch), backend, dtype);
  const owned: Tensor[] = [];
  try {
    const nY = stack.outputSize;
    const { m, T } = batch;
    const loss = lossOf(batch, f.yPred, nY);
    const normalizer = opts.normalizer ?? Math.max(loss.count, 1);
    const dims = { nY, m, T };
    const dz = batch.loss === 'cross-entropy'
      ? crossEntropyLogitsGradient(f.yPred, batch.targets, batch.mask, dims, normalizer)
      : squaredErrorGradient(f.yPred, batch.targets, batch.mask, dims, normalizer);
    const dLogits = tensor(dz, [nY, m, T], dtype);
    owned.push(dLogits);
    const g = layersBackward({ dLogits }, f.out.caches, { backend });
    owned.push(g.dx, g.da0, ...(g.dc0 === undefined ? [] : [g.dc0]), ...Object.values(g.grads));
    const names = Object.keys(g.grads);
    const values = await Promise.all(Object.values(g.grads).map((t) => t.data()));
    const grads: Record<string, Float64Array> = {};
    names.forEach((name, i) => (grads[name] = Float64Array.from(values[i] ?? [])));
    return { ...loss, grads };
  } finally {
    for (const t of owned) t.dispose();
    release(f);
  }
}
