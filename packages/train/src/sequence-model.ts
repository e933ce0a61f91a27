import { InvalidArgumentError, RandomState } from '@rnn/tensor';
import { BatchSampler, encodeBatch } from './batching.js';
import { decodeCheckpoint, encodeCheckpoint, type CheckpointExpectation } from './checkpoint.js';
import { clipByGlobalNorm, clipByValue } from './clip.js';
import { initParameters, type InitScheme } from './init.js';
import type { CrossEntropy } from './loss.js';
import { Adam, Sgd, type Optimizer } from './optimizers.js';
import { checkParameters, cloneParameters, type CellType, type HostParameters, type ModelDims } from './parameters.js';
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
  /** Stops training after the current iteration when aborted. */
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
  /** Free-form facts about how the model was trained; saved with it. */
  metadata: Record<string, unknown>;

  constructor(config: SequenceModelConfig, parameters: HostParameters, metadata: Readonly<Record<string, unknown>> = {}) {
    if (!Number.isInteger(config.hiddenSize) || config.hiddenSize < 1) {
      throw new InvalidArgumentError('SequenceModel', 'hiddenSize', `must be a positive integer, got ${config.hiddenSize}`);
    }
    this.cell = config.cell;
    this.vocabulary = config.vocabulary;
    this.hiddenSize = config.hiddenSize;
    checkParameters('SequenceModel', this.cell, this.dims, parameters);
    this.parameters = cloneParameters(parameters);
    this.metadata = { ...metadata };
  }

  /** A fresh model with seeded weights (see `initParameters`). */
  static create(config: SequenceModelConfig & { readonly seed: number; readonly init?: InitScheme | undefined }): SequenceModel {
    const dims = { nX: config.vocabulary.size, nA: config.hiddenSize, nY: config.vocabulary.size };
    return new SequenceModel(config, initParameters(config.cell, dims, { seed: config.seed, scheme: config.init }), { initSeed: config.seed, iterations: 0 });
  }

  /** Reads a checkpoint made by `save`; throws `CheckpointError` when it is corrupt or not what `expect` says. */
  static load(bytes: Uint8Array, expect?: CheckpointExpectation): SequenceModel {
    const data = decodeCheckpoint(bytes, expect);
    return new SequenceModel({ cell: data.cell, vocabulary: new Vocabulary(data.vocabulary), hiddenSize: data.hiddenSize }, data.parameters, data.metadata);
  }

  /** `n_x = n_y = ` vocabulary size, `n_a = hiddenSize`. */
  get dims(): ModelDims {
    return { nX: this.vocabulary.size, nA: this.hiddenSize, nY: this.vocabulary.size };
  }

  /** The checkpoint bytes of this model (see `encodeCheckpoint`). */
  save(): Uint8Array {
    return encodeCheckpoint({ cell: this.cell, hiddenSize: this.hiddenSize, vocabulary: this.vocabulary.chars, parameters: this.parameters, metadata: this.metadata });
  }

  /**
   * Trains on `names` with mini-batches of padded names (see `encodeBatch` and `BatchSampler`):
   * per iteration, forward and backward through the cells on the backend, mean cross-entropy
   * per character, clipping, then one optimizer step on the host.
   */
  async fit(names: readonly string[], options: FitOptions): Promise<FitReport> {
    const { iterations, batchSize = 32, learningRate = 0.01, clipValue = 5, clipNorm = null, seed = 0, heldOut, evaluateEvery = 0 } = options;
    if (!Number.isInteger(iterations) || iterations < 0) throw new InvalidArgumentError('SequenceModel.fit', 'iterations', `must be a non-negative integer, got ${iterations}`);
    const { schedule = 'constant' } = options;
    const optimizer = typeof options.optimizer === 'object' ? options.optimizer : options.optimizer === 'sgd' ? new Sgd(learningRate) : new Adam(learningRate, { weightDecay: options.weightDecay });
    const baseRate = optimizer.learningRate;
    const encoded = names.map((n) => this.vocabulary.encode(n));
    const sampler = new BatchSampler(encoded, { batchSize, seed });
    const step = { backend: options.backend, dtype: options.dtype };
    const start = performance.now();
    let done = 0;
    let seen = 0;
    let loss = Number.NaN;
    let smoothLoss = Number.NaN;
    let heldOutLoss: number | undefined;
    while (done < iterations && options.signal?.aborted !== true) {
      const batch = encodeBatch(sampler.next(), this.vocabulary.size, this.vocabulary.endIndex);
      const { totalNats, count, grads } = await lossAndGradients(this.cell, this.dims, this.parameters, batch, step);
      if (clipValue !== null) clipByValue(grads, clipValue);
      if (clipNorm !== null) clipByGlobalNorm(grads, clipNorm);
      if (schedule === 'cosine') optimizer.learningRate = scheduledRate(baseRate, done, iterations);
      optimizer.step(this.parameters, grads);
      done++;
      seen += batch.m;
      loss = totalNats / count;
      smoothLoss = Number.isNaN(smoothLoss) ? loss : 0.95 * smoothLoss + 0.05 * loss;
      const evaluate = heldOut !== undefined && heldOut.length > 0 && ((evaluateEvery > 0 && done % evaluateEvery === 0) || done === iterations);
      heldOutLoss = evaluate ? (await this.evaluate(heldOut, step)).natsPerChar : undefined;
      await options.onProgress?.({ iteration: done, iterations, loss, smoothLoss, heldOutLoss, names: seen, seconds: (performance.now() - start) / 1000, epoch: sampler.epoch });
    }
    optimizer.learningRate = baseRate;
    const trained = typeof this.metadata.iterations === 'number' ? this.metadata.iterations : 0;
    this.metadata = { ...this.metadata, iterations: trained + done, optimizer: optimizer.name, batchSize, learningRate: baseRate, schedule };
    if (heldOut !== undefined && heldOut.length > 0 && heldOutLoss === undefined) heldOutLoss = (await this.evaluate(heldOut, step)).natsPerChar;
    return { iterations: done, seconds: (performance.now() - start) / 1000, finalLoss: loss, smoothLoss, heldOutLoss, stopped: done < iterations };
  }

  /** Cross-entropy of the model on some names (each character, then the end of name), forward only. */
  async evaluate(names: readonly string[], options: StepOptions & { readonly batchSize?: number | undefined } = {}): Promise<Evaluation> {
    const batchSize = options.batchSize ?? 256;
    const encoded = names.map((n) => this.vocabulary.encode(n)).sort((a, b) => a.length - b.length);
    let totalNats = 0;
    let count = 0;
    for (let i = 0; i < encoded.length; i += batchSize) {
      const batch = encodeBatch(encoded.slice(i, i + batchSize), this.vocabulary.size, this.vocabulary.endIndex);
      const ce = await batchLoss(this.cell, this.dims, this.parameters, batch, options);
      totalNats += ce.totalNats;
      count += ce.count;
    }
    return { totalNats, count, natsPerChar: totalNats / count };
  }

  /** Draws one name (see `sampleSequence`). */
  async sample(options: ModelSampleOptions = {}): Promise<SampledName> {
    const rng = options.rng ?? new RandomState(options.seed ?? 0);
    const s = await sampleSequence(this.cell, this.dims, this.parameters, this.vocabulary.endIndex, { ...options, rng });
    return { text: this.vocabulary.decode(s.indices), ended: s.ended, trace: s.trace };
  }
}

/** The cosine schedule: from `lr` at iteration 0 down to `0.05 · lr` at the last. */
export function scheduledRate(lr: number, iteration: number, iterations: number): number {
  return lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * iteration) / Math.max(1, iterations))));
}
