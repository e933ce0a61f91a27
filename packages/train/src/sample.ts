import { lstmCellForward, rnnCellForward } from '@rnn/cells';
import { InvalidArgumentError, resolveBackend, tensor, zeros, type RandomState, type Tensor } from '@rnn/tensor';
import { NonFiniteError } from './errors.js';
import { nativeDType } from './native-dtype.js';
import { toTensors, type CellType, type HostParameters, type ModelDims } from './parameters.js';
import type { StepOptions } from './train-step.js';

/**
 * Rescales probabilities by a temperature: `p_i ∝ y_i^(1/τ)`, which is `softmax(z/τ)` for
 * `y = softmax(z)`. `τ < 1` sharpens towards the most likely class, `τ > 1` flattens, `τ = 1`
 * returns `y` renormalised. Computed in float64 from logs relative to the largest,
 * `p_i ∝ exp((log y_i − log y_max) / τ)`, so no `τ` overflows: as `τ → 0` (even `1e-310`, whose
 * `1/τ` is ∞) the result tends to the most likely class, as `τ → ∞` to uniform.
 *
 * Throws a `NonFiniteError` when `y` holds NaN or ±∞ (never a silent draw) and an
 * `InvalidArgumentError` for a negative or empty `y` or a temperature that is not finite and positive.
 *
 * @example
 * ```ts
 * applyTemperature([0.1, 0.6, 0.3], 0.5);   // ≈ [0.022, 0.783, 0.196]: sharper
 * applyTemperature([0.1, 0.6, 0.3], 1e-9);  // [0, 1, 0]
 * ```
 */
export function applyTemperature(y: ArrayLike<number>, temperature: number): Float64Array {
  const fn = 'applyTemperature';
  checkTemperature(fn, temperature);
  checkProbabilities(fn, 'y', y);
  const logs = Float64Array.from(y, (p) => Math.log(Math.max(p, Number.MIN_VALUE)));
  let max = Number.NEGATIVE_INFINITY;
  for (const l of logs) max = Math.max(max, l);
  let sum = 0;
  for (let i = 0; i < logs.length; i++) {
    const e = Math.exp(((logs[i] as number) - max) / temperature);
    logs[i] = e;
    sum += e;
  }
  for (let i = 0; i < logs.length; i++) logs[i] = (logs[i] as number) / sum;
  return logs;
}

/** What an LSTM did at each step of a sample, for plotting: each entry is one step, `(n_a)` values. */
export interface GateTrace {
  /** Forget gate `ft`. */
  readonly forget: Float64Array[];
  /** Update (input) gate `it`. */
  readonly update: Float64Array[];
  /** Output gate `ot`. */
  readonly output: Float64Array[];
  /** Memory cell `c⟨t⟩`. */
  readonly cell: Float64Array[];
}

/** Options of `sampleSequence`. */
export interface SampleOptions extends StepOptions {
  /** The draws come from here (`rng.choice`), so a seed fixes the sample. */
  readonly rng: RandomState;
  /** Default 1; see `applyTemperature`. */
  readonly temperature?: number | undefined;
  /** Characters drawn at most before stopping (default 50, as the NumPy exercise). */
  readonly maxLength?: number | undefined;
  /** Record the LSTM gates and cell state at every step (ignored for the RNN). */
  readonly trace?: boolean | undefined;
}

/** One sampled sequence. */
export interface SampledSequence {
  /** The indices drawn, the end-of-name index excluded. */
  readonly indices: number[];
  /** True when the end of name was drawn, false when `maxLength` stopped it. */
  readonly ended: boolean;
  /** Gates at each step, when asked for and the cell is an LSTM. */
  readonly trace?: GateTrace | undefined;
}

/**
 * Draws one sequence, NumPy's `sample`: start from `x⟨1⟩ = 0`, `a⟨0⟩ = 0` (`c⟨0⟩ = 0`); at each
 * step run the cell on the backend, read `ŷ⟨t⟩` back, rescale it by the temperature, draw
 * `idx = rng.choice(p)`, and feed `onehot(idx)` as the next input, until `endIndex` is drawn
 * or `maxLength` characters were. Tensors are sent in `dtype`, by default what the backend
 * computes in (float64 on the CPU, float32 on gpu.js). A `ŷ⟨t⟩` holding NaN or ±∞ throws a
 * `NonFiniteError` instead of drawing.
 *
 * @example
 * ```ts
 * const dims = { nX: vocabulary.size, nA: 16, nY: vocabulary.size };
 * const parameters = initParameters('lstm', dims, { seed: 1 });
 * const { indices } = await sampleSequence('lstm', dims, parameters, vocabulary.endIndex, { rng: new RandomState(2), backend });
 * vocabulary.decode(indices);   // an (untrained) name
 * ```
 */
export async function sampleSequence(cell: CellType, dims: ModelDims, params: HostParameters, endIndex: number, options: SampleOptions): Promise<SampledSequence> {
  const fn = 'sampleSequence';
  const { rng, temperature = 1, maxLength = 50, trace = false } = options;
  const backend = resolveBackend(fn, options);
  const dtype = options.dtype ?? nativeDType(backend);
  const backendOpts = { backend };
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new InvalidArgumentError(fn, 'maxLength', `must be a positive integer, got ${maxLength}`);
  checkTemperature(fn, temperature);
  const { nX, nA } = dims;
  const gates: GateTrace | undefined = trace && cell === 'lstm' ? { forget: [], update: [], output: [], cell: [] } : undefined;
  const p = cell === 'lstm' ? toTensors('lstm', dims, params, dtype) : toTensors('rnn', dims, params, dtype);
  const live: Tensor[] = [...Object.values(p)];
  const indices: number[] = [];
  let xt = zeros([nX, 1], dtype);
  let aPrev = zeros([nA, 1], dtype);
  let cPrev = zeros([nA, 1], dtype);
  live.push(xt, aPrev, cPrev);
  try {
    while (indices.length < maxLength) {
      let yt: Tensor;
      if ('Wf' in p) {
        const out = lstmCellForward(xt, aPrev, cPrev, p, backendOpts);
        live.push(out.aNext, out.cNext, out.ytPred, out.cache.ft, out.cache.it, out.cache.cct, out.cache.ot);
        if (gates !== undefined) {
          const [f, i, o, c] = await Promise.all([out.cache.ft.data(), out.cache.it.data(), out.cache.ot.data(), out.cNext.data()]);
          gates.forget.push(Float64Array.from(f));
          gates.update.push(Float64Array.from(i));
          gates.output.push(Float64Array.from(o));
          gates.cell.push(Float64Array.from(c));
        }
        [yt, aPrev, cPrev] = [out.ytPred, out.aNext, out.cNext];
      } else {
        const out = rnnCellForward(xt, aPrev, p, backendOpts);
        live.push(out.aNext, out.ytPred);
        [yt, aPrev] = [out.ytPred, out.aNext];
      }
      const y = await yt.data();
      checkProbabilities(fn, `ŷ⟨${indices.length + 1}⟩`, y);
      const idx = rng.choice(applyTemperature(y, temperature));
      if (idx === endIndex) return { indices, ended: true, trace: gates };
      indices.push(idx);
      const onehot = new Float64Array(nX);
      onehot[idx] = 1;
      xt = tensor(onehot, [nX, 1], dtype);
      live.push(xt);
    }
    return { indices, ended: false, trace: gates };
  } finally {
    for (const t of live) t.dispose();
  }
}

function checkTemperature(fn: string, temperature: number): void {
  if (!(temperature > 0 && Number.isFinite(temperature))) {
    throw new InvalidArgumentError(fn, 'temperature', `must be a positive finite number, got ${temperature}`);
  }
}

/** Probabilities to draw from: at least one, each finite and non-negative. */
function checkProbabilities(fn: string, arg: string, y: ArrayLike<number>): void {
  if (y.length === 0) throw new InvalidArgumentError(fn, arg, 'is empty: there is nothing to draw from');
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (!Number.isFinite(v)) throw new NonFiniteError(fn, arg, i, v);
    if (v < 0) throw new InvalidArgumentError(fn, arg, `holds ${v} at index ${i}; probabilities cannot be negative`);
  }
}
