import { InvalidArgumentError } from '@rnn/tensor';

/**
 * Sizes of a sequence batch at the output layer: `n_y` classes, `n_a` hidden units,
 * `m` examples, `T` steps. Flat arrays are C order with time last: `a (n_a, m, T)`,
 * `yPred (n_y, m, T)`, `targets` and `mask (m, T)`.
 */
export interface OutputDims {
  /** Classes `n_y`. */
  readonly nY: number;
  /** Hidden units `n_a`. */
  readonly nA: number;
  /** Examples `m`. */
  readonly m: number;
  /** Steps `T`. */
  readonly T: number;
}

/** The smallest probability the loss takes the log of, so a float32 underflow to 0 costs ≈ 69 nats, not ∞. */
export const MIN_PROBABILITY = 1e-30;

/**
 * The output layer on the host in float64, for every step at once:
 * `yPred[:, j, t] = softmax(Wy · a[:, j, t] + by)`. The cells compute the same thing on the
 * backend; this one serves evaluation on read-back states and gradient checks.
 *
 * @param a hidden states `(n_a, m, T)`
 * @param Wy `(n_y, n_a)`; @param by `(n_y, 1)`
 * @returns `yPred (n_y, m, T)`
 */
export function outputLayerForward(a: ArrayLike<number>, Wy: ArrayLike<number>, by: ArrayLike<number>, dims: OutputDims): Float64Array {
  const { nY, nA, m, T } = checkDims('outputLayerForward', dims, { a, Wy, by });
  const cols = m * T;
  const z = new Float64Array(nY * cols);
  for (let k = 0; k < nY; k++) {
    const row = k * cols;
    z.fill(by[k] as number, row, row + cols);
    for (let i = 0; i < nA; i++) {
      const w = Wy[k * nA + i] as number;
      const aRow = i * cols;
      for (let c = 0; c < cols; c++) z[row + c] = (z[row + c] as number) + w * (a[aRow + c] as number);
    }
  }
  for (let c = 0; c < cols; c++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < nY; k++) max = Math.max(max, z[k * cols + c] as number);
    let sum = 0;
    for (let k = 0; k < nY; k++) {
      const e = Math.exp((z[k * cols + c] as number) - max);
      z[k * cols + c] = e;
      sum += e;
    }
    for (let k = 0; k < nY; k++) z[k * cols + c] = (z[k * cols + c] as number) / sum;
  }
  return z;
}

/** Summed cross-entropy of a batch and the number of steps it covers. */
export interface CrossEntropy {
  /** `−Σ_{j,t} mask[j,t] · log yPred[target[j,t], j, t]`, in nats. */
  readonly totalNats: number;
  /** `Σ mask`: the predictions counted. */
  readonly count: number;
}

/**
 * Softmax cross-entropy of predictions that are already probabilities (the cells' `yPred`),
 * summed over the steps where `mask` is 1; padded steps add nothing.
 * `loss = −Σ mask ⊙ log max(yPred[target], MIN_PROBABILITY)`.
 */
export function maskedCrossEntropy(yPred: ArrayLike<number>, targets: ArrayLike<number>, mask: ArrayLike<number>, dims: Pick<OutputDims, 'nY' | 'm' | 'T'>): CrossEntropy {
  const { nY, m, T } = dims;
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

/** Gradients of the output layer. */
export interface OutputLayerGradients {
  /** `(n_y, n_a)` — `dWya` for the RNN. */
  readonly dWy: Float64Array;
  /** `(n_y, 1)` */
  readonly dby: Float64Array;
  /** Gradient of the loss with respect to every hidden state, `(n_a, m, T)`: the `da` that `lstmBackward` / `rnnBackward` take. */
  readonly da: Float64Array;
}

/**
 * Backward pass of `loss = maskedCrossEntropy(...).totalNats / normalizer` through the
 * softmax output layer, on the host in float64. With `dz = mask ⊙ (yPred − onehot(target)) / normalizer`
 * `(n_y, m, T)`: `dWy = Σ_{j,t} dz⟨t⟩ · a⟨t⟩ᵀ`, `dby = Σ_{j,t} dz`, `da⟨t⟩ = Wyᵀ · dz⟨t⟩`.
 * Padded steps have `dz = 0`, so their `da` is 0 and they reach no weight.
 *
 * @param normalizer what the summed loss is divided by, usually `Σ mask` (mean nats per character)
 */
export function outputLayerBackward(
  yPred: ArrayLike<number>,
  a: ArrayLike<number>,
  Wy: ArrayLike<number>,
  targets: ArrayLike<number>,
  mask: ArrayLike<number>,
  dims: OutputDims,
  normalizer: number,
): OutputLayerGradients {
  const fn = 'outputLayerBackward';
  const { nY, nA, m, T } = checkDims(fn, dims, { a, Wy });
  checkLength(fn, 'yPred', yPred, nY * m * T, '(n_y, m, T)');
  checkLength(fn, 'targets', targets, m * T, '(m, T)');
  checkLength(fn, 'mask', mask, m * T, '(m, T)');
  if (!(normalizer > 0)) throw new InvalidArgumentError(fn, 'normalizer', `must be positive, got ${normalizer}`);
  const cols = m * T;
  const dz = new Float64Array(nY * cols);
  for (let c = 0; c < cols; c++) {
    const w = (mask[c] as number) / normalizer;
    if (w === 0) continue;
    for (let k = 0; k < nY; k++) dz[k * cols + c] = w * (yPred[k * cols + c] as number);
    const target = targets[c] as number;
    dz[target * cols + c] = (dz[target * cols + c] as number) - w;
  }
  const dWy = new Float64Array(nY * nA);
  const dby = new Float64Array(nY);
  const da = new Float64Array(nA * cols);
  for (let k = 0; k < nY; k++) {
    const zRow = k * cols;
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += dz[zRow + c] as number;
    dby[k] = sum;
    for (let i = 0; i < nA; i++) {
      const aRow = i * cols;
      const w = Wy[k * nA + i] as number;
      let dot = 0;
      for (let c = 0; c < cols; c++) {
        const g = dz[zRow + c] as number;
        dot += g * (a[aRow + c] as number);
        da[aRow + c] = (da[aRow + c] as number) + w * g;
      }
      dWy[k * nA + i] = dot;
    }
  }
  return { dWy, dby, da };
}

function checkDims(fn: string, dims: OutputDims, arrays: { a: ArrayLike<number>; Wy: ArrayLike<number>; by?: ArrayLike<number> }): OutputDims {
  for (const [key, value] of Object.entries(dims)) {
    if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(fn, `dims.${key}`, `must be a positive integer, got ${String(value)}`);
  }
  checkLength(fn, 'a', arrays.a, dims.nA * dims.m * dims.T, '(n_a, m, T)');
  checkLength(fn, 'Wy', arrays.Wy, dims.nY * dims.nA, '(n_y, n_a)');
  if (arrays.by !== undefined) checkLength(fn, 'by', arrays.by, dims.nY, '(n_y, 1)');
  return dims;
}

function checkLength(fn: string, arg: string, values: ArrayLike<number>, expected: number, shape: string): void {
  if (values.length !== expected) throw new InvalidArgumentError(fn, arg, `holds ${values.length} values but ${shape} = ${expected} were expected`);
}
