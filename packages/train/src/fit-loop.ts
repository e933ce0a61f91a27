import { InvalidArgumentError } from '@rnn/tensor';
import { BatchSampler } from './batching.js';
import { clipByGlobalNorm, clipByValue } from './clip.js';
import { TrainingDivergedError } from './errors.js';
import { yieldToEventLoop } from './event-loop.js';
import { Adam, Sgd, type Optimizer } from './optimizers.js';
import { cloneParameters, type HostParameters } from './parameters.js';
import type { StepResult } from './train-step.js';

/** Progress of `fit`, reported after each iteration. */
export interface FitProgress {
  /** Iterations done in this call, from 1. */
  readonly iteration: number;
  /** Iterations this call plans (`iterations`, or `epochs` × batches per epoch). */
  readonly iterations: number;
  /** Mean loss of this iteration's batch: nats per character or step, or mean squared error. */
  readonly loss: number;
  /** Exponential moving average of `loss` (weight 0.05 per step). */
  readonly smoothLoss: number;
  /** Mean loss on the held-out examples, when they were evaluated at this iteration. */
  readonly heldOutLoss?: number | undefined;
  /** Examples (names) trained on so far in this call. */
  readonly examples: number;
  /** Wall-clock seconds since `fit` started. */
  readonly seconds: number;
  /** The pass over the training examples this batch came from, from 1. */
  readonly epoch: number;
}

/** What `fit` reports at the end of each pass over the training examples. */
export interface EpochEnd {
  /** The pass that ended, from 1. */
  readonly epoch: number;
  /** Iterations done in this call when it ended. */
  readonly iteration: number;
  /** Mean training loss over the pass's batches (each counted step, or value, weighs the same). */
  readonly loss: number;
  /** Mean loss on the held-out examples after the pass, when there are some and `onEpochEnd` or `earlyStopping` asks for it. */
  readonly heldOutLoss?: number | undefined;
}

/** Stop when the held-out loss stops improving (checked at the end of every epoch). */
export interface EarlyStopping {
  /** Epochs without an improvement of more than `minDelta` after which training stops. */
  readonly patience: number;
  /** What counts as an improvement: a held-out loss below the best by more than this (default 0). */
  readonly minDelta?: number | undefined;
  /** Put back the weights of the best epoch when stopping or finishing (default true). */
  readonly restoreBestWeights?: boolean | undefined;
}

/** How `fit` trains: the schedule, the optimizer, clipping, callbacks and stopping. */
export interface TrainingOptions {
  /** Mini-batches to train on; give this or `epochs`. */
  readonly iterations?: number | undefined;
  /** Passes over the training examples; give this or `iterations`. */
  readonly epochs?: number | undefined;
  /** Examples (names) per batch (default 32). */
  readonly batchSize?: number | undefined;
  /** `adam` (default) or `sgd`, or an optimizer object (its state carries over between calls). */
  readonly optimizer?: 'adam' | 'sgd' | Optimizer | undefined;
  /** Default 0.01 (used when `optimizer` is a name). */
  readonly learningRate?: number | undefined;
  /**
   * `constant` (default) keeps the learning rate; `cosine` anneals it over this call's
   * iterations: `lr(i) = lr · (0.05 + 0.95 · (1 + cos(π · i / iterations)) / 2)`, ending at 5 %.
   */
  readonly schedule?: 'constant' | 'cosine' | undefined;
  /** Adam's decoupled weight decay `λ` (default 0; used when `optimizer` is `adam`). */
  readonly weightDecay?: number | undefined;
  /** Clip every gradient element to `[−clipValue, clipValue]` (default 5, as the NumPy exercise; `null` turns it off). */
  readonly clipValue?: number | null | undefined;
  /** Rescale gradients whose global norm exceeds this (default off). */
  readonly clipNorm?: number | null | undefined;
  /** Seed of the batch shuffling and of `validationSplit` (default 0). */
  readonly seed?: number | undefined;
  /** Evaluate the held-out examples every this many iterations (default: only at the end). */
  readonly evaluateEvery?: number | undefined;
  /** Called after every iteration; `fit` waits for a returned promise. */
  readonly onProgress?: ((progress: FitProgress) => void | Promise<void>) | undefined;
  /** Called at the end of every epoch, after `onProgress`; `fit` waits for a returned promise. */
  readonly onEpochEnd?: ((end: EpochEnd) => void | Promise<void>) | undefined;
  /** Stop when the held-out loss stops improving; needs held-out examples (`heldOut` or `validationSplit`). */
  readonly earlyStopping?: EarlyStopping | undefined;
  /**
   * Stops training after the current iteration when aborted. `fit` yields to the event loop
   * before every iteration, so an abort from a timer, a signal handler or a message is seen.
   */
  readonly signal?: AbortSignal | undefined;
}

/** What `fit` did. */
export interface FitReport {
  /** Iterations completed (fewer than planned when stopped). */
  readonly iterations: number;
  /** Epochs completed. */
  readonly epochs: number;
  /** Wall-clock seconds `fit` took. */
  readonly seconds: number;
  /** Mean loss of the last batch. */
  readonly finalLoss: number;
  /** The moving average of the batch loss at the end (see `FitProgress.smoothLoss`). */
  readonly smoothLoss: number;
  /** Held-out loss of the weights the model ends with, when there are held-out examples. */
  readonly heldOutLoss?: number | undefined;
  /** True when `signal` stopped training early. */
  readonly stopped: boolean;
  /** True when `earlyStopping` stopped training early. */
  readonly stoppedEarly: boolean;
  /** The epoch with the lowest held-out loss, when `earlyStopping` watched it. */
  readonly bestEpoch?: number | undefined;
  /** True when the weights of `bestEpoch` were put back. */
  readonly restoredBest: boolean;
  /** Every epoch's end, in order. */
  readonly history: readonly EpochEnd[];
}

/** What the loop trains: the model's weights, its examples and how to step and evaluate them. */
export interface Trainer {
  /** Names the caller in errors: `SequenceModel.fit`. */
  readonly fn: string;
  /** float64 weights, updated in place. */
  readonly parameters: Record<string, Float64Array>;
  /** Training examples by index, with their lengths (for bucketing). */
  readonly train: readonly { readonly index: number; readonly length: number }[];
  /** Whether there are held-out examples. */
  readonly hasHeldOut: boolean;
  /** Loss and gradients of the examples `indices`. */
  step(indices: readonly number[]): Promise<StepResult>;
  /** Mean loss on the held-out examples. */
  heldOutLoss(): Promise<number>;
  /** Called once at the end, even on an error, with the iterations whose updates the weights hold. */
  record(kept: number, optimizer: Optimizer, batchSize: number, learningRate: number, schedule: 'constant' | 'cosine'): void;
}

function count(fn: string, arg: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new InvalidArgumentError(fn, arg, `must be an integer ≥ ${min}, got ${String(value)}`);
  return value;
}

function positive(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && Number.isFinite(value))) throw new InvalidArgumentError(fn, arg, `must be a positive finite number, got ${String(value)}`);
  return value;
}

function callback<F>(fn: string, arg: string, value: F | undefined): F | undefined {
  if (value !== undefined && typeof value !== 'function') throw new InvalidArgumentError(fn, arg, `must be a function, got ${typeof value}`);
  return value;
}

/** The checked options, with defaults. */
function settings(fn: string, options: TrainingOptions, hasHeldOut: boolean) {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(fn, 'options', 'must be an object with iterations or epochs');
  if ((options.iterations === undefined) === (options.epochs === undefined)) {
    throw new InvalidArgumentError(fn, 'options', `needs exactly one of iterations and epochs, got ${options.iterations === undefined ? 'neither' : 'both'}`);
  }
  const iterations = options.iterations === undefined ? undefined : count(fn, 'iterations', options.iterations, 0);
  const epochs = options.epochs === undefined ? undefined : count(fn, 'epochs', options.epochs, 0);
  const schedule = options.schedule ?? 'constant';
  if (schedule !== 'constant' && schedule !== 'cosine') throw new InvalidArgumentError(fn, 'schedule', `must be 'constant' or 'cosine', got ${String(schedule)}`);
  const { clipValue = 5, clipNorm = null, earlyStopping } = options;
  if (clipValue !== null) positive(fn, 'clipValue', clipValue);
  if (clipNorm !== null) positive(fn, 'clipNorm', clipNorm);
  if (earlyStopping !== undefined) {
    if (typeof earlyStopping !== 'object' || earlyStopping === null) throw new InvalidArgumentError(fn, 'earlyStopping', 'must be an object { patience, minDelta?, restoreBestWeights? }');
    count(fn, 'earlyStopping.patience', earlyStopping.patience, 1);
    const minDelta = earlyStopping.minDelta ?? 0;
    if (typeof minDelta !== 'number' || !(minDelta >= 0 && Number.isFinite(minDelta))) throw new InvalidArgumentError(fn, 'earlyStopping.minDelta', `must be a finite number ≥ 0, got ${String(minDelta)}`);
    if (!hasHeldOut) throw new InvalidArgumentError(fn, 'earlyStopping', 'watches the held-out loss: give heldOut or validationSplit');
  }
  let optimizer: Optimizer;
  if (typeof options.optimizer === 'object' && options.optimizer !== null) optimizer = options.optimizer;
  else if (options.optimizer === undefined || options.optimizer === 'adam' || options.optimizer === 'sgd') {
    const lr = positive(fn, 'learningRate', options.learningRate ?? 0.01);
    optimizer = options.optimizer === 'sgd' ? new Sgd(lr) : new Adam(lr, { weightDecay: options.weightDecay });
  } else throw new InvalidArgumentError(fn, 'optimizer', `must be 'adam', 'sgd' or an Optimizer, got ${String(options.optimizer)}`);
  return {
    iterations, epochs, schedule, clipValue, clipNorm, earlyStopping, optimizer,
    batchSize: count(fn, 'batchSize', options.batchSize ?? 32, 1),
    seed: count(fn, 'seed', options.seed ?? 0, 0),
    evaluateEvery: count(fn, 'evaluateEvery', options.evaluateEvery ?? 0, 0),
    onProgress: callback(fn, 'onProgress', options.onProgress),
    onEpochEnd: callback(fn, 'onEpochEnd', options.onEpochEnd),
  };
}

/**
 * The training loop of `SequenceModel.fit`: seeded bucketed batches (`BatchSampler`), per
 * iteration a step on the backend, clipping and one optimizer step on the host; divergence checks,
 * the abort signal, the callbacks, held-out evaluation and early stopping.
 */
export async function fitLoop(t: Trainer, options: TrainingOptions): Promise<FitReport> {
  const { fn } = t;
  const s = settings(fn, options, t.hasHeldOut);
  const { optimizer, earlyStopping } = s;
  const sampler = new BatchSampler(t.train, { batchSize: s.batchSize, seed: s.seed });
  const total = s.iterations ?? (s.epochs as number) * sampler.batchesPerEpoch;
  const baseRate = optimizer.learningRate;
  const kept = cloneParameters(t.parameters);
  const history: EpochEnd[] = [];
  const start = performance.now();
  let done = 0;
  let seen = 0;
  let loss = Number.NaN;
  let smoothLoss = Number.NaN;
  let heldOutLoss: number | undefined;
  let epochTotal = 0;
  let epochCount = 0;
  let best: { loss: number; epoch: number; iteration: number; parameters: Record<string, Float64Array> } | undefined;
  let waited = 0;
  let stoppedEarly = false;
  let restoredBest = false;
  let keptIterations = 0;
  try {
    while (done < total) {
      await yieldToEventLoop();
      if (options.signal?.aborted === true) break;
      const iteration = done + 1;
      const items = sampler.next();
      const { total: batchTotal, count: batchCount, grads } = await t.step(items.map((e) => e.index));
      loss = batchTotal / Math.max(batchCount, 1);
      if (!Number.isFinite(loss)) throw new TrainingDivergedError(fn, iteration, 'loss', loss);
      if (s.clipValue !== null) clipByValue(grads, s.clipValue);
      if (s.clipNorm !== null) clipByGlobalNorm(grads, s.clipNorm);
      checkFinite(fn, iteration, 'gradient d', grads);
      if (s.schedule === 'cosine') optimizer.learningRate = scheduledRate(baseRate, done, total);
      optimizer.step(t.parameters, grads);
      try {
        checkFinite(fn, iteration, 'parameter ', t.parameters);
      } catch (error) {
        copyInto(t.parameters, kept);
        throw error;
      }
      copyInto(kept, t.parameters);
      done = iteration;
      keptIterations = done;
      seen += items.length;
      smoothLoss = Number.isNaN(smoothLoss) ? loss : 0.95 * smoothLoss + 0.05 * loss;
      epochTotal += batchTotal;
      epochCount += batchCount;
      const evaluate = t.hasHeldOut && ((s.evaluateEvery > 0 && done % s.evaluateEvery === 0) || done === total);
      heldOutLoss = evaluate ? await t.heldOutLoss() : undefined;
      let end: EpochEnd | undefined;
      if (sampler.batchesLeftInEpoch === 0) {
        if (heldOutLoss === undefined && t.hasHeldOut && (s.onEpochEnd !== undefined || earlyStopping !== undefined)) heldOutLoss = await t.heldOutLoss();
        end = { epoch: sampler.epoch, iteration: done, loss: epochTotal / Math.max(epochCount, 1), heldOutLoss };
        history.push(end);
        epochTotal = 0;
        epochCount = 0;
        if (earlyStopping !== undefined && heldOutLoss !== undefined) {
          if (best === undefined || heldOutLoss < best.loss - (earlyStopping.minDelta ?? 0)) {
            best = { loss: heldOutLoss, epoch: end.epoch, iteration: done, parameters: cloneParameters(t.parameters) };
            waited = 0;
          } else if (++waited >= earlyStopping.patience) {
            stoppedEarly = true;
          }
        }
      }
      await s.onProgress?.({ iteration: done, iterations: total, loss, smoothLoss, heldOutLoss, examples: seen, seconds: (performance.now() - start) / 1000, epoch: sampler.epoch });
      if (end !== undefined) await s.onEpochEnd?.(end);
      if (stoppedEarly) break;
    }
    if (best !== undefined && earlyStopping?.restoreBestWeights !== false && best.iteration !== done) {
      copyInto(t.parameters, best.parameters);
      keptIterations = best.iteration;
      heldOutLoss = best.loss;
      restoredBest = true;
    }
  } finally {
    optimizer.learningRate = baseRate;
    t.record(keptIterations, optimizer, s.batchSize, baseRate, s.schedule);
  }
  if (t.hasHeldOut && heldOutLoss === undefined) heldOutLoss = await t.heldOutLoss();
  return {
    iterations: done, epochs: history.length, seconds: (performance.now() - start) / 1000, finalLoss: loss, smoothLoss, heldOutLoss,
    stopped: done < total && !stoppedEarly, stoppedEarly, bestEpoch: best?.epoch, restoredBest, history,
  };
}

function copyInto(target: Record<string, Float64Array>, source: HostParameters): void {
  for (const [name, values] of Object.entries(source)) target[name]?.set(values);
}

/** Throws a `TrainingDivergedError` at the first element of `values` that is not finite. */
function checkFinite(fn: string, iteration: number, prefix: string, values: HostParameters): void {
  for (const [name, v] of Object.entries(values)) {
    const bad = v.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new TrainingDivergedError(fn, iteration, `${prefix}${name}[${bad}]`, v[bad] as number);
  }
}

/** The cosine schedule: from `lr` at iteration 0 down to `0.05 · lr` at the last. */
export function scheduledRate(lr: number, iteration: number, iterations: number): number {
  return lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * iteration) / Math.max(1, iterations))));
}
