import { InvalidArgumentError } from '@rnn/tensor';

/**
 * Sizes of a batch at the head: `n_y` classes or outputs, `m` examples, `T` steps. Flat arrays
 * are C order with time last: `yPred (n_y, m, T)`, class `targets` and `mask (m, T)`, value
 * targets `(n_y, m, T)`.
 */
export interface OutputDims {
  /** Classes or outputs `n_y`. */
  readonly nY: number;
  /** Examples `m`. */
  readonly m: number;
  /** Steps `T`. */
  readonly T: number;
}

/** The smallest probability the loss takes the log of, so a float32 underflow to 0 costs ≈ 69 nats, not ∞. */
export const MIN_PROBABILITY = 1e-30;

/** Summed cross-entropy of a batch and the number of steps it covers. */
export interface CrossEntropy {
  /** `−Σ_{j,t} mask[j,t] · log yPred[target[j,t], j, t]`, in nats. */
  readonly totalNats: number;
  /** `Σ mask`: the predictions counted. */
  readonly count: number;
}

/**
 * Softmax cross-entropy of predictions that are already probabilities (the softmax head's
 * `yPred`), summed over the steps where `mask` is 1; padded steps add nothing.
 * `loss = −Σ mask ⊙ log max(yPred[target], MIN_PROBABILITY)`.
 */
export function maskedCrossEntropy(yPred: ArrayLike<number>, targets: ArrayLike<number>, mask: ArrayLike<number>, dims: OutputDims): CrossEntropy {
  const { nY, m, T } = checkDims('maskedCrossEntropy', dims);
  checkLength('maskedCrossEntropy', 'yPred', yPred, nY * m * T, '(n_y, m, T)');
  checkLength('maskedCrossEntropy', 'targets', targets, m * T, '(m, T)');
  checkLength('maskedCrossEntropy', 'mask', mask, m * T, '(m, T)');
  const cols = m * T;
  let totalNats = 0;
  let count = 0;
  for (let c = 0; c < cols; c++) {
    const w = mask[c] as number;
    if (w === 0) continue;
    const p = yPred[(targets[c] as number) * cols + c] as number;
    totalNats -= w * Math.log(Math.max(p, MIN_PROBABILITY));
    count += w;
  }
  return { totalNats, count };
}

/** How many counted steps of a batch have their target as the most likely class of `yPred (n_y, m, T)` (ties: the first). */
export function maskedCorrect(yPred: ArrayLike<number>, targets: ArrayLike<number>, mask: ArrayLike<number>, dims: OutputDims): number {
  const { nY, m, T } = checkDims('maskedCorrect', dims);
  checkLength('maskedCorrect', 'yPred', yPred, nY * m * T, '(n_y, m, T)');
  const cols = m * T;
  let correct = 0;
  for (let c = 0; c < cols; c++) {
    if (mask[c] === 0) continue;
    let best = 0;
    for (let k = 1; k < nY; k++) if ((yPred[k * cols + c] as number) > (yPred[best * cols + c] as number)) best = k;
    if (best === targets[c]) correct++;
  }
  return correct;
}

/**
 * The gradient of `maskedCrossEntropy(…).totalNats / normalizer` with respect to the softmax
 * head's logits `z = Wy·a + by`: `dz = (yPred − onehot(target)) ⊙ mask / normalizer`, `(n_y, m, T)`.
 * What `layersBackward({ dLogits })` takes; masked steps get 0, so they reach no weight.
 *
 * @param normalizer what the summed loss is divided by, usually `Σ mask` (mean nats per step)
 */
export function crossEntropyLogitsGradient(yPred: ArrayLike<number>, targets: ArrayLike<number>, mask: ArrayLike<number>, dims: OutputDims, normalizer: number): Float64Array {
  const fn = 'crossEntropyLogitsGradient';
  const { nY, m, T } = checkDims(fn, dims);
  checkLength(fn, 'yPred', yPred, nY * m * T, '(n_y, m, T)');
  checkLength(fn, 'targets', targets, m * T, '(m, T)');
  checkLength(fn, 'mask', mask, m * T, '(m, T)');
  checkNormalizer(fn, normalizer);
  const cols = m * T;
  const dz = new Float64Array(nY * cols);
  for (let c = 0; c < cols; c++) {
    const w = (mask[c] as number) / normalizer;
    if (w === 0) continue;
    for (let k = 0; k < nY; k++) dz[k * cols + c] = w * (yPred[k * cols + c] as number);
    const target = targets[c] as number;
    dz[target * cols + c] = (dz[target * cols + c] as number) - w;
  }
  return dz;
}

/** Summed squared error of a batch and the number of values it covers. */
export interface SquaredError {
  /** `Σ_{k,j,t} mask[j,t] · (yPred[k,j,t] − target[k,j,t])²`. */
  readonly totalSquaredError: number;
  /** `n_y · Σ mask`: the values counted. */
  readonly count: number;
}

/** Squared error of a linear head's `yPred (n_y, m, T)` against `targets (n_y, m, T)`, summed over the steps where `mask` is 1. */
export function maskedSquaredError(yPred: ArrayLike<number>, targets: ArrayLike<number>, mask: ArrayLike<number>, dims: OutputDims): SquaredError {
  const fn = 'maskedSquaredError';
  const { nY, m, T } = checkDims(fn, dims);
  checkLength(fn, 'yPred', yPred, nY * m * T, '(n_y, m, T)');
  checkLength(fn, 'targets', targets, nY * m * T, '(n_y, m, T)');
  checkLength(fn, 'mask', mask, m * T, '(m, T)');
  const cols = m * T;
  let totalSquaredError = 0;
  let steps = 0;
  for (let c = 0; c < cols; c++) {
    const w = mask[c] as number;
    if (w === 0) continue;
    steps += w;
    for (let k = 0; k < nY; k++) totalSquaredError += w * ((yPred[k * cols + c] as number) - (targets[k * cols + c] as number)) ** 2;
  }
  return { totalSquaredError, count: steps * nY };
}

/**
 * The gradient of `maskedSquaredError(…).totalSquaredError / normalizer` with respect to a
 * linear head's output (its logits): `dz = 2 (yPred − target) ⊙ mask / normalizer`, `(n_y, m, T)`.
 *
 * @param normalizer usually `n_y · Σ mask` (the mean squared error)
 */
export function squaredErrorGradient(yPred: ArrayLike<number>, targets: ArrayLike<number>, mask: ArrayLike<number>, dims: OutputDims, normalizer: number): Float64Array {
  const fn = 'squaredErrorGradient';
  const { nY, m, T } = checkDims(fn, dims);
  checkLength(fn, 'yPred', yPred, nY * m * T, '(n_y, m, T)');
  checkLength(fn, 'targets', targets, nY * m * T, '(n_y, m, T)');
  checkLength(fn, 'mask', mask, m * T, '(m, T)');
  checkNormalizer(fn, normalizer);
  const cols = m * T;
  const dz = new Float64Array(nY * cols);
  for (let c = 0; c < cols; c++) {
    const w = (2 * (mask[c] as number)) / normalizer;
    if (w === 0) continue;
    for (let k = 0; k < nY; k++) dz[k * cols + c] = w * ((yPred[k * cols + c] as number) - (targets[k * cols + c] as number));
  }
  return dz;
}

function checkNormalizer(fn: string, normalizer: number): void {
  if (!(normalizer > 0 && Number.isFinite(normalizer))) throw new InvalidArgumentError(fn, 'normalizer', `must be positive, got ${normalizer}`);
}

function checkDims(fn: string, dims: OutputDims): OutputDims {
  for (const key of ['nY', 'm', 'T'] as const) {
    const value = dims[key];
    if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(fn, `dims.${key}`, `must be a positive integer, got ${String(value)}`);
  }
  return dims;
}

function checkLength(fn: string, arg: string, values: ArrayLike<number>, expected: number, shape: string): void {
  if (values.length !== expected) throw new InvalidArgumentError(fn, arg, `holds ${values.length} values but ${shape} = ${expected} were expected`);
}
