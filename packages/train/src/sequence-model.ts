import { InvalidArgumentError, RandomState, resolveBackend, type Backend, type DType } from '@rnn/tensor';
import { BatchSampler, encodeBatch } from './batching.js';
import { decodeCheckpoint, encodeCheckpoint, type CheckpointExpectation, type CheckpointMetadata } from './checkpoint.js';
import { clipByGlobalNorm, clipByValue } from './clip.js';
import { TrainingDivergedError } from './errors.js';
import { yieldToEventLoop } from './event-loop.js';
import { initParameters, type InitScheme } from './init.js';
import type { CrossEntropy } from './loss.js';
import { nativeDType } from './native-dtype.js';
import { Adam, Sgd, type Optimizer } from './optimizers.js';
import { checkCell, checkParameters, cloneParameters, type CellType, type HostParameters, type ModelDims } from './parameters.js';
import { sampleSequence, type GateTrace } from './sample.js';
import { batchLoss, lossAndGradients, type StepOptions } from './train-step.js';
import { Vocabulary } from './vocabulary.js';

/** What a sequence model is: its cell, its characters and its width. */
export interface SequenceModelConfig {
  /** `lstm` or `rnn`. */
  readonly cell: CellType;
  /** The characters it reads and writes. */
  readonly vocabulary: Vocabulary;
  /** `n_a`. */
  readonly hiddenSize: number;
  /**
   * Element type of the tensors the model sends to a backend, used by `fit`, `evaluate` and
   * `sample`. Default: what each backend computes in (see `SequenceModel.dtype`).
   */
  readonly dtype?: DType | undefined;
}

/** Options of `SequenceModel.create`, besides the model's `SequenceModelConfig`. */
export interface CreateOptions extends SequenceModelConfig {
  /** Seed of the initial weights (see `initParameters`). */
  readonly seed: number;
  /** How the weights are drawn (default `scaled`). */
  readonly init?: InitScheme | undefined;
}

/** Options of `SequenceModel.load`. */
export interface LoadOptions {
  /** Element type of the tensors the loaded model sends to a backend (see `SequenceModel.dtype`). */
  readonly dtype?: DType | undefined;
}

/** Progress of `fit`, reported after each iteration. */
export interface FitProgress {
  /** Iterations done in this call, from 1. */
  readonly iteration: number;
  /** Iterations this call was asked for. */
  readonly iterations: number;
  /** Mean nats per character of this iteration's batch. */
  readonly loss: number;
  /** Exponential moving average of `loss` (weight 0.05 per step). */
  readonly smoothLoss: number;
  /** Nats per character on the held-out names, when they were evaluated at this iteration. */
  readonly heldOutLoss?: number | undefined;
  /** Names trained on so far in this call. */
  readonly names: number;
  /** Wall-clock seconds since `fit` started. */
  readonly seconds: number;
  /** The pass over the training names this batch came from, from 1. */
  readonly epoch: number;
}

/** Options of `SequenceModel.fit`. */
export interface FitOptions extends StepOptions {
  /** Mini-batches to train on. */
  readonly iterations: number;
  /** Names per batch (default 32). */
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
  /** Seed of the batch shuffling (default 0). */
  readonly seed?: number | undefined;
  /** Names to evaluate on every `evaluateEvery` iterations and at the end. */
  readonly heldOut?: readonly string[] | undefined;
  /** Default: only at the end. */
  readonly evaluateEvery?: number | undefined;
  /** Called after every iteration; `fit` waits for a returned promise. */
  readonly onProgress?: ((progress: FitProgress) => void | Promise<void>) | undefined;
  /**
   * Stops training after the current iteration when aborted. `fit` yields to the event loop
   * before every iteration, so an abort from a timer, a signal handler or a message is seen.
   */
  readonly signal?: AbortSignal | undefined;
}

/** What `fit` did. */
export interface FitReport {
  /** Iterations completed (fewer than asked when stopped). */
  readonly iterations: number;
  /** Wall-clock seconds `fit` took. */
  readonly seconds: number;
  /** Mean nats per character of the last batch. */
  readonly finalLoss: number;
  /** The moving average of the batch loss at the end (see `FitProgress.smoothLoss`). */
  readonly smoothLoss: number;
  /** Held-out nats per character at the end, when `heldOut` was given. */
  readonly heldOutLoss?: number | undefined;
  /** True when `signal` stopped training early. */
  readonly stopped: boolean;
}

/** Options of `SequenceModel.evaluate`. */
export interface EvaluateOptions extends StepOptions {
  /** Names per forward pass (default 256). */
  readonly batchSize?: number | undefined;
}

/** What `SequenceModel.evaluate` returns. */
export interface Evaluation extends CrossEntropy {
  /** `totalNats / count`: the mean cross-entropy per character, end of name included. */
  readonly natsPerChar: number;
}

/** A sampled name. */
export interface SampledName {
  /** The name, without the end of name. */
  readonly text: string;
  /** False when the length limit, not the end of name, stopped it. */
  readonly ended: boolean;
  /** LSTM gates at every step (one step per character, then the end of name), when asked for. */
  readonly trace?: GateTrace | undefined;
}

/** Options of `SequenceModel.sample`. */
export interface ModelSampleOptions extends StepOptions {
  /** A generator to draw from, or a seed for a fresh one (default 0). */
  readonly rng?: RandomState | undefined;
  /** Seed of a fresh `RandomState` when `rng` is not given (default 0). */
  readonly seed?: number | undefined;
  /** Default 1; see `applyTemperature`. */
  readonly temperature?: number | undefined;
  /** Characters drawn at most (default 50). */
  readonly maxLength?: number | undefined;
  /** Record the LSTM gates at every step. */
  readonly trace?: boolean | undefined;
}

/**
 * A character-level sequence model: an RNN or LSTM cell over one-hot characters with a
 * softmax output, trained on names. The recurrence runs on any backend; the float64 master
 * weights, the loss, the output layer's gradient and the optimizer live on the host.
 *
 * @example
 * ```ts
 * const model = SequenceModel.create({ cell: 'lstm', vocabulary: Vocabulary.fromText(text), hiddenSize: 64, seed: 1 });
 * await model.fit(names, { iterations: 1000, backend });
 * (await model.sample({ seed: 2, backend })).text;
 * const bytes = model.save();   // SequenceModel.load(bytes) gives it back
 * ```
 */
export class SequenceModel {
  /** `lstm` or `rnn`. */
  readonly cell: CellType;
  /** The characters it reads and writes. */
  readonly vocabulary: Vocabulary;
  /** `n_a`. */
  readonly hiddenSize: number;
  /** float64 weights by NumPy key; `fit` updates them in place. */
  readonly parameters: Record<string, Float64Array>;
  /**
   * Element type of the tensors sent to a backend by `fit`, `evaluate` and `sample`, chosen
   * once at `create` or `load`. `undefined` (the default) sends what each backend computes in:
   * float64 on the CPU backend, float32 on gpu.js, so the same program runs on either with only
   * the backend changed. A `dtype` in one call's options overrides it for that call.
   */
  readonly dtype: DType | undefined;
  /** Facts about how the model was trained; saved with it (see `CheckpointMetadata`). */
  metadata: CheckpointMetadata;

  constructor(config: SequenceModelConfig, parameters: HostParameters, metadata: CheckpointMetadata = {}) {
    const fn = 'SequenceModel';
    checkCell(fn, config.cell);
    if (!Number.isInteger(config.hiddenSize) || config.hiddenSize < 1) {
      throw new InvalidArgumentError(fn, 'hiddenSize', `must be a positive integer, got ${config.hiddenSize}`);
    }
    if (config.dtype !== undefined && config.dtype !== 'float64' && config.dtype !== 'float32') {
      throw new InvalidArgumentError(fn, 'dtype', `must be 'float64', 'float32' or undefined, got ${String(config.dtype)}`);
    }
    this.cell = config.cell;
    this.vocabulary = config.vocabulary;
    this.hiddenSize = config.hiddenSize;
    this.dtype = config.dtype;
    checkParameters(fn, this.cell, this.dims, parameters);
    this.parameters = cloneParameters(parameters);
    this.metadata = { ...metadata };
  }

  /**
   * A fresh model with seeded weights (see `initParameters`). An unsupported `cell` (anything
   * but `lstm` and `rnn`) is refused here with an `InvalidArgumentError`.
   *
   * @example
   * ```ts
   * const model = SequenceModel.create({ cell: 'lstm', vocabulary: Vocabulary.fromText(names.join('')), hiddenSize: 64, seed: 1 });
   * ```
   */
  static create(config: CreateOptions): SequenceModel {
    checkCell('SequenceModel.create', config.cell);
    const dims = { nX: config.vocabulary.size, nA: config.hiddenSize, nY: config.vocabulary.size };
    return new SequenceModel(config, initParameters(config.cell, dims, { seed: config.seed, scheme: config.init }), { initSeed: config.seed, iterations: 0 });
  }

  /**
   * Reads a checkpoint made by `save`; throws `CheckpointError` when it is corrupt, holds
   * metadata of the wrong type or is not what `expect` says.
   *
   * @example
   * ```ts
   * const model = SequenceModel.load(bytes, { cell: 'lstm' });
   * model.metadata.iterations;   // iterations it was trained for
   * ```
   */
  static load(bytes: Uint8Array, expect?: CheckpointExpectation, options: LoadOptions = {}): SequenceModel {
    const data = decodeCheckpoint(bytes, expect);
    return new SequenceModel({ cell: data.cell, vocabulary: new Vocabulary(data.vocabulary), hiddenSize: data.hiddenSize, dtype: options.dtype }, data.parameters, data.metadata);
  }

  /** `n_x = n_y = ` vocabulary size, `n_a = hiddenSize`. */
  get dims(): ModelDims {
    return { nX: this.vocabulary.size, nA: this.hiddenSize, nY: this.vocabulary.size };
  }

  /**
   * The checkpoint bytes of this model (see `encodeCheckpoint`); throws a `CheckpointError`
   * rather than encode weights that are not finite.
   *
   * @example
   * ```ts
   * const bytes = model.save();
   * SequenceModel.load(bytes).hiddenSize === model.hiddenSize;   // true
   * ```
   */
  save(): Uint8Array {
    return encodeCheckpoint({ cell: this.cell, hiddenSize: this.hiddenSize, vocabulary: this.vocabulary.chars, parameters: this.parameters, metadata: this.metadata });
  }

  /**
   * Trains on `names` with mini-batches of padded names (see `encodeBatch` and `BatchSampler`):
   * per iteration, forward and backward through the cells on the backend, mean cross-entropy
   * per character, clipping, then one optimizer step on the host.
   *
   * Before every iteration `fit` yields to the event loop, so timers and the page keep running
   * and an aborted `signal` stops it after the current iteration (`stopped` in the report). A
   * loss, gradient or updated weight that is not finite stops it with a
   * `TrainingDivergedError` naming the iteration; the model keeps the parameters of the
   * iteration before, and `metadata.iterations` counts only the iterations kept.
   *
   * @example
   * ```ts
   * const stop = new AbortController();
   * const report = await model.fit(train, {
   *   iterations: 2000, batchSize: 32, learningRate: 0.01, backend, heldOut, evaluateEvery: 500, signal: stop.signal,
   *   onProgress: (p) => console.log(p.iteration, p.smoothLoss),
   * });
   * report.heldOutLoss;   // nats per character on the held-out names
   * ```
   */
  async fit(names: readonly string[], options: FitOptions): Promise<FitReport> {
    const fn = 'SequenceModel.fit';
    const { iterations, batchSize = 32, learningRate = 0.01, clipValue = 5, clipNorm = null, seed = 0, heldOut, evaluateEvery = 0 } = options;
    if (!Number.isInteger(iterations) || iterations < 0) throw new InvalidArgumentError(fn, 'iterations', `must be a non-negative integer, got ${iterations}`);
    const backend = resolveBackend(fn, options);
    const { schedule = 'constant' } = options;
    const optimizer = typeof options.optimizer === 'object' ? options.optimizer : options.optimizer === 'sgd' ? new Sgd(learningRate) : new Adam(learningRate, { weightDecay: options.weightDecay });
    const baseRate = optimizer.learningRate;
    const encoded = names.map((n) => this.vocabulary.encode(n));
    const sampler = new BatchSampler(encoded, { batchSize, seed });
    const step = { backend, dtype: this.#dtype(options, backend) };
    const kept = cloneParameters(this.parameters);
    const start = performance.now();
    let done = 0;
    let seen = 0;
    let loss = Number.NaN;
    let smoothLoss = Number.NaN;
    let heldOutLoss: number | undefined;
    try {
      while (done < iterations) {
        await yieldToEventLoop();
        if (options.signal?.aborted === true) break;
        const iteration = done + 1;
        const batch = encodeBatch(sampler.next(), this.vocabulary.size, this.vocabulary.endIndex);
        const { totalNats, count, grads } = await lossAndGradients(this.cell, this.dims, this.parameters, batch, step);
        loss = totalNats / count;
        if (!Number.isFinite(loss)) throw new TrainingDivergedError(fn, iteration, 'loss', loss);
        if (clipValue !== null) clipByValue(grads, clipValue);
        if (clipNorm !== null) clipByGlobalNorm(grads, clipNorm);
        checkFinite(fn, iteration, 'gradient d', grads);
        if (schedule === 'cosine') optimizer.learningRate = scheduledRate(baseRate, done, iterations);
        optimizer.step(this.parameters, grads);
        try {
          checkFinite(fn, iteration, 'parameter ', this.parameters);
        } catch (error) {
          for (const [name, values] of Object.entries(kept)) this.parameters[name]?.set(values);
          throw error;
        }
        for (const [name, values] of Object.entries(this.parameters)) kept[name]?.set(values);
        done = iteration;
        seen += batch.m;
        smoothLoss = Number.isNaN(smoothLoss) ? loss : 0.95 * smoothLoss + 0.05 * loss;
        const evaluate = heldOut !== undefined && heldOut.length > 0 && ((evaluateEvery > 0 && done % evaluateEvery === 0) || done === iterations);
        heldOutLoss = evaluate ? (await this.evaluate(heldOut, step)).natsPerChar : undefined;
        await options.onProgress?.({ iteration: done, iterations, loss, smoothLoss, heldOutLoss, names: seen, seconds: (performance.now() - start) / 1000, epoch: sampler.epoch });
      }
    } finally {
      optimizer.learningRate = baseRate;
      const trained = this.metadata.iterations ?? 0;
      this.metadata = { ...this.metadata, iterations: trained + done, optimizer: optimizer.name, batchSize, learningRate: baseRate, schedule };
    }
    if (heldOut !== undefined && heldOut.length > 0 && heldOutLoss === undefined) heldOutLoss = (await this.evaluate(heldOut, step)).natsPerChar;
    return { iterations: done, seconds: (performance.now() - start) / 1000, finalLoss: loss, smoothLoss, heldOutLoss, stopped: done < iterations };
  }

  /**
   * Cross-entropy of the model on some names (each character, then the end of name), forward
   * only. An empty list is refused with an `InvalidArgumentError` (its mean would be 0/0).
   *
   * @example
   * ```ts
   * const { natsPerChar } = await model.evaluate(heldOut, { backend });
   * ```
   */
  async evaluate(names: readonly string[], options: EvaluateOptions = {}): Promise<Evaluation> {
    const fn = 'SequenceModel.evaluate';
    if (names.length === 0) throw new InvalidArgumentError(fn, 'names', 'is empty: there is nothing to evaluate (the mean loss of no characters is undefined)');
    const batchSize = options.batchSize ?? 256;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(fn, 'batchSize', `must be a positive integer, got ${batchSize}`);
    const backend = resolveBackend(fn, options);
    const step = { backend, dtype: this.#dtype(options, backend) };
    const encoded = names.map((n) => this.vocabulary.encode(n)).sort((a, b) => a.length - b.length);
    let totalNats = 0;
    let count = 0;
    for (let i = 0; i < encoded.length; i += batchSize) {
      const batch = encodeBatch(encoded.slice(i, i + batchSize), this.vocabulary.size, this.vocabulary.endIndex);
      const ce = await batchLoss(this.cell, this.dims, this.parameters, batch, step);
      totalNats += ce.totalNats;
      count += ce.count;
    }
    return { totalNats, count, natsPerChar: totalNats / count };
  }

  /**
   * Draws one name (see `sampleSequence`).
   *
   * @example
   * ```ts
   * const rng = new RandomState(3);
   * for (let k = 0; k < 5; k++) console.log((await model.sample({ rng, temperature: 0.8, backend })).text);
   * ```
   */
  async sample(options: ModelSampleOptions = {}): Promise<SampledName> {
    const backend = resolveBackend('SequenceModel.sample', options);
    const rng = options.rng ?? new RandomState(options.seed ?? 0);
    const s = await sampleSequence(this.cell, this.dims, this.parameters, this.vocabulary.endIndex, { ...options, rng, backend, dtype: this.#dtype(options, backend) });
    return { text: this.vocabulary.decode(s.indices), ended: s.ended, trace: s.trace };
  }

  /** The dtype of one call: its own, else the model's, else what the backend computes in. */
  #dtype(options: StepOptions, backend: Backend): DType {
    return options.dtype ?? this.dtype ?? nativeDType(backend);
  }
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
