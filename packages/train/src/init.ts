import { InvalidArgumentError, RandomState } from '@rnn/tensor';
import { layerParameterShapes, type LayerConfig } from '@rnn/cells';
import { modelLayers, type HostParameters } from './parameters.js';

/**
 * How weights are drawn.
 * - `scaled` (default): `W = randn(rows, cols) / √cols` (variance 1/fan-in) and the biases the
 *   cell's description gives (0, and the LSTM forget-gate bias `bf = 1` so the cell remembers).
 * - `numpy`: the NumPy exercise's `randn(rows, cols) · 0.01`, every bias 0.
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
 * Seeded parameters of a layer stack with a head, float64 on the host, keyed as
 * `layerParameterShapes` names them. Each parameter starts as its cell's description says
 * (`init: 'weight'` is drawn, `{ bias: v }` is filled with `v`); weights are drawn from one
 * `RandomState(seed)` in storage order, each filled in C order, so the same seed gives the same
 * model everywhere. A bad configuration is refused with an `InvalidArgumentError`.
 *
 * @example
 * ```ts
 * const parameters = initParameters({ cell: 'gru', inputSize: 27, hiddenSize: 64, numLayers: 2, outputSize: 27 }, { seed: 1 });
 * parameters['l0.Wz'].length;   // 64 · (64 + 27)
 * Object.keys(parameters);      // ['l0.Wz', 'l0.bz', …, 'l1.bhh', 'Wy', 'by']
 * ```
 */
export function initParameters(config: LayerConfig, { seed, scheme = 'scaled' }: InitOptions): Record<string, Float64Array> {
  const fn = 'initParameters';
  const layers = modelLayers(fn, config);
  if (scheme !== 'scaled' && scheme !== 'numpy') throw new InvalidArgumentError(fn, 'scheme', `must be 'scaled' or 'numpy', got ${String(scheme)}`);
  const rng = new RandomState(seed);
  const out: Record<string, Float64Array> = {};
  for (const { name, shape: [rows, cols], spec } of layerParameterShapes(layers)) {
    const values = new Float64Array(rows * cols);
    if (spec.init === 'weight') {
      const scale = scheme === 'numpy' ? 0.01 : 1 / Math.sqrt(cols);
      for (let i = 0; i < values.length; i++) values[i] = rng.nextGaussian() * scale;
    } else if (scheme === 'scaled') {
      values.fill(spec.init.bias);
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
