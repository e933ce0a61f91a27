import { InvalidArgumentError, RandomState } from '@rnn/tensor';
import { checkCell, parameterShapes, type CellType, type HostParameters, type ModelDims } from './parameters.js';

/**
 * How weights are drawn.
 * - `scaled` (default): `W = randn(rows, cols) / √cols` (variance 1/fan-in), biases 0, and the
 *   LSTM forget-gate bias `bf = 1` so the cell remembers from the start.
 * - `numpy`: the NumPy exercise's `randn(rows, cols) · 0.01`, biases 0.
 */
export type InitScheme = 'scaled' | 'numpy';

/** Options of `initParameters`. */
export interface InitOptions {
  /** Seed of the `RandomState` the weights are drawn from. */
  readonly seed: number;
  /** Default `scaled`. */
  readonly scheme?: InitScheme | undefined;
}

/**
 * Seeded parameters for `cell`, float64 on the host. Weights are drawn from one
 * `RandomState(seed)` in storage order (`Wf, Wi, Wc, Wo, Wy` for the LSTM, `Waa, Wax, Wya`
 * for the RNN), each filled in C order, so the same seed gives the same model everywhere.
 * An unsupported `cell` is refused with an `InvalidArgumentError`.
 *
 * @example
 * ```ts
 * const parameters = initParameters('lstm', { nX: 27, nA: 64, nY: 27 }, { seed: 1 });
 * parameters.Wf.length;   // 64 · (64 + 27)
 * ```
 */
export function initParameters(cell: CellType, dims: ModelDims, { seed, scheme = 'scaled' }: InitOptions): Record<string, Float64Array> {
  checkCell('initParameters', cell);
  for (const [key, value] of Object.entries(dims)) {
    if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('initParameters', `dims.${key}`, `must be a positive integer, got ${value}`);
  }
  const rng = new RandomState(seed);
  const out: Record<string, Float64Array> = {};
  for (const [name, [rows, cols]] of parameterShapes(cell, dims)) {
    const values = new Float64Array(rows * cols);
    if (name.startsWith('W')) {
      const scale = scheme === 'numpy' ? 0.01 : 1 / Math.sqrt(cols);
      for (let i = 0; i < values.length; i++) values[i] = rng.nextGaussian() * scale;
    } else if (name === 'bf' && scheme === 'scaled') {
      values.fill(1);
    }
    out[name] = values;
  }
  return out;
}

/** Total number of scalars in a parameter map. */
export function countParameters(params: HostParameters): number {
  let n = 0;
  for (const values of Object.values(params)) n += values.length;
  return n;
}
