import { lstmCellForward, rnnCellForward } from '@rnn/cells';
import { InvalidArgumentError, tensor, zeros, type RandomState, type Tensor } from '@rnn/tensor';
import { toTensors, type CellType, type HostParameters, type ModelDims } from './parameters.js';
import type { StepOptions } from './train-step.js';

/**
 * Rescales probabilities by a temperature: `p_i ∝ y_i^(1/τ)`, which is `softmax(z/τ)` for
 * `y = softmax(z)`. `τ < 1` sharpens towards the most likely class, `τ > 1` flattens, `τ = 1`
 * returns `y` renormalised. Computed in float64 through logs, so small `τ` does not overflow.
 */
export function applyTemperature(y: ArrayLike<number>, temperature: number): Float64Array {
  checkTemperature('applyTemperature', temperature);
  const logits = Float64Array.from(y, (p) => Math.log(Math.max(p, Number.MIN_VALUE)) / temperature);
  let max = Number.NEGATIVE_INFINITY;
  for (const l of logits) max = Math.max(max, l);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp((logits[i] as number) - max);
    logits[i] = e;
    sum += e;
  }
  for (let i = 0; i < logits.length; i++) logits[i] = (logits[i] as number) / sum;
  return logits;
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
 * or `maxLength` characters were.
 */
export async function sampleSequence(cell: CellType, dims: ModelDims, params: HostParameters, endIndex: number, options: SampleOptions): Promise<SampledSequence> {
  const { rng, temperature = 1, maxLength = 50, trace = false } = options;
  const dtype = options.dtype ?? 'float64';
  const backendOpts = { backend: options.backend };
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new InvalidArgumentError('sampleSequence', 'maxLength', `must be a positive integer, got ${maxLength}`);
  checkTemperature('sampleSequence', temperature);
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
      const idx = rng.choice(applyTemperature(await yt.data(), temperature));
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
