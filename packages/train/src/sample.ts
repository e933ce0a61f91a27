import { CELLS, disposeLayerCaches, layersForward, SequenceStream, type CellName, type LayerConfig } from '@rnn/cells';
import { InvalidArgumentError, resolveBackend, tensor, type Backend, type DType, type RandomState, type Tensor } from '@rnn/tensor';
import { NonFiniteError, UnsupportedOperationError } from './errors.js';
import { nativeDType } from './native-dtype.js';
import { modelLayers, toTensors, type HostParameters, type ModelLayers } from './parameters.js';
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

/**
 * What the layers did at each step of a sample, for plotting: per layer (bottom first) the
 * activations the cell's description names (`ft, it, cct, ot` for the LSTM, `zt, rt, hct, hh`
 * for the GRU, none for the RNN) and its states, `a` and for the LSTM `c`. Each entry is a list
 * of steps (every step the model ran: the prefix, then one per drawn character), each `(n_a)` values.
 */
export interface GateTrace {
  /** The cell whose activations these are. */
  readonly cell: CellName;
  /** Per layer, bottom first: activation or state name → steps. */
  readonly layers: readonly Readonly<Record<string, readonly Float64Array[]>>[];
}

/** Options of `sampleSequence`. */
export interface SampleOptions extends StepOptions {
  /** The draws come from here (`rng.choice`), so a seed fixes the sample. */
  readonly rng: RandomState;
  /** Default 1; see `applyTemperature`. */
  readonly temperature?: number | undefined;
  /** Characters drawn at most before stopping, after the prefix (default 50, as the NumPy exercise). */
  readonly maxLength?: number | undefined;
  /** Indices fed after `x⟨1⟩ = 0` before the first draw: the sample continues them (default none). */
  readonly prefix?: readonly number[] | undefined;
  /** Record the activations and states of every layer at every step (see `GateTrace`). */
  readonly trace?: boolean | undefined;
}

/** One sampled sequence. */
export interface SampledSequence {
  /** The indices drawn after the prefix, the end-of-name index excluded. */
  readonly indices: number[];
  /** True when the end of name was drawn, false when `maxLength` stopped it. */
  readonly ended: boolean;
  /** Activations and states at each step, when asked for. */
  readonly trace?: GateTrace | undefined;
}

/** `(n_x, 1, t)` one-hot columns of `indices`, with a zero column first when `start` (the `x⟨1⟩ = 0` of a fresh name). */
function oneHots(indices: readonly number[], nX: number, start: boolean, dtype: DType): Tensor {
  const t = indices.length + (start ? 1 : 0);
  const x = new Float64Array(nX * t);
  indices.forEach((idx, k) => (x[idx * t + k + (start ? 1 : 0)] = 1));
  return tensor(x, [nX, 1, t], dtype);
}

/**
 * Draws one sequence, NumPy's `sample` on a `SequenceStream`: feed `x⟨1⟩ = 0` and the prefix as
 * one chunk (the layers start from zero states), then at each step read `ŷ` of the last step fed
 * back, rescale it by the temperature, draw `idx = rng.choice(p)`, and feed `onehot(idx)` as the
 * next chunk, carrying the state, until `endIndex` is drawn or `maxLength` characters were.
 * Tensors are sent in `dtype`, by default what the backend computes in. A `ŷ` holding NaN or ±∞
 * throws a `NonFiniteError` instead of drawing; a bidirectional stack (its reverse direction
 * would read characters not drawn yet) an `UnsupportedOperationError`.
 *
 * With `trace`, the sampled sequence is run once more through `layersForward` (equal to the
 * stream, step for step) and each layer's activations are read from its caches.
 *
 * @example
 * ```ts
 * const layers = { cell: 'lstm', inputSize: vocabulary.size, hiddenSize: 16, outputSize: vocabulary.size } as const;
 * const parameters = initParameters(layers, { seed: 1 });
 * const { indices } = await sampleSequence(layers, parameters, vocabulary.endIndex, { rng: new RandomState(2), prefix: vocabulary.encode('ab'), backend });
 * 'ab' + vocabulary.decode(indices);   // an (untrained) name that starts with ab
 * ```
 */
export async function sampleSequence(layers: LayerConfig, params: HostParameters, endIndex: number, options: SampleOptions): Promise<SampledSequence> {
  const fn = 'sampleSequence';
  const stack = modelLayers(fn, layers);
  const { rng, temperature = 1, maxLength = 50, trace = false, prefix = [] } = options;
  const backend = resolveBackend(fn, options);
  const dtype = options.dtype ?? nativeDType(backend);
  if (stack.bidirectional) throw new UnsupportedOperationError(fn, 'sampling a bidirectional model', 'its reverse direction reads the characters after each step, which are not drawn yet');
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new InvalidArgumentError(fn, 'maxLength', `must be a positive integer, got ${maxLength}`);
  checkTemperature(fn, temperature);
  const { inputSize: nX, outputSize: nY } = stack;
  if (nX !== nY) throw new UnsupportedOperationError(fn, 'sampling', `a sample feeds each draw back as the next input, so inputSize (${nX}) must equal outputSize (${nY})`);
  if (!Number.isInteger(endIndex) || endIndex < 0 || endIndex >= nY) throw new InvalidArgumentError(fn, 'endIndex', `must be in [0, ${nY}), got ${endIndex}`);
  if (!Array.isArray(prefix)) throw new InvalidArgumentError(fn, 'prefix', 'must be an array of indices');
  prefix.forEach((idx, k) => {
    if (!Number.isInteger(idx) || idx < 0 || idx >= nX) throw new InvalidArgumentError(fn, `prefix[${k}]`, `must be in [0, ${nX}), got ${String(idx)}`);
  });
  const p = toTensors(stack, params, dtype);
  const stream = new SequenceStream(p, stack, { backend, head: 'softmax' });
  const indices: number[] = [];
  let ended = false;
  try {
    let chunk = oneHots(prefix, nX, true, dtype);
    while (indices.length < maxLength) {
      const { outputs, yPred } = stream.push(chunk);
      chunk.dispose();
      outputs.dispose();
      if (yPred === undefined) throw new Error('sampleSequence: the stream returned no yPred');
      const all = await yPred.data();
      yPred.dispose();
      const t = all.length / nY;
      const y = Float64Array.from({ length: nY }, (_, k) => all[k * t + t - 1] as number);
      checkProbabilities(fn, `ŷ⟨${prefix.length + indices.length + 1}⟩`, y);
      const idx = rng.choice(applyTemperature(y, temperature));
      if (idx === endIndex) {
        ended = true;
        break;
      }
      indices.push(idx);
      if (indices.length < maxLength) chunk = oneHots([idx], nX, false, dtype);
    }
  } finally {
    stream.dispose();
  }
  try {
    const steps = [...prefix, ...indices.slice(0, ended ? indices.length : indices.length - 1)];
    return { indices, ended, trace: trace ? await traceOf(stack, p, steps, backend, dtype) : undefined };
  } finally {
    for (const t of Object.values(p)) t.dispose();
  }
}

/** Runs `x = [0; onehot(fed)]` through the layers once and reads every layer's activations and states at every step. */
async function traceOf(stack: ModelLayers, p: Readonly<Record<string, Tensor>>, fed: readonly number[], backend: Backend, dtype: DType): Promise<GateTrace> {
  const cell = CELLS[stack.cell];
  const x = oneHots(fed, stack.inputSize, true, dtype);
  const out = layersForward(x, p, stack, { backend, head: 'softmax' });
  try {
    const names: [string, string][] = [...cell.activations.map((a): [string, string] => [a, a]), ['a', 'aNext'], ...(cell.state.includes('c') ? [['c', 'cNext'] as [string, string]] : [])];
    const layers: Record<string, Float64Array[]>[] = [];
    for (const run of out.caches.runs) {
      const record: Record<string, Float64Array[]> = {};
      for (const [name, key] of names) {
        record[name] = await Promise.all(run.run.steps.map(async (step) => {
          const t = step[key];
          if (t === undefined) throw new Error(`sampleSequence: a ${stack.cell} step has no ${key}`);
          return Float64Array.from(await t.data());
        }));
      }
      layers[run.layer] = record;
    }
    return { cell: stack.cell, layers };
  } finally {
    disposeLayerCaches(out.caches);
    for (const t of [x, out.outputs, out.aLast, out.cLast, out.yPred]) t?.dispose();
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
