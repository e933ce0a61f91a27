import type { CellName } from '@rnn/cells';
import { InvalidArgumentError, RandomState, resolveBackend, type Backend, type DType } from '@rnn/tensor';
import { resolveConfig, type CreateOptions, type LoadOptions, type SequenceModelConfig } from './model-config.js';
import { encodeBatch, splitHeldOut, type Batch } from './batching.js';
import { decodeCheckpoint, encodeCheckpoint, type CheckpointExpectation, type CheckpointMetadata } from './checkpoint.js';
import { UnsupportedOperationError } from './errors.js';
import { fitLoop, type FitReport, type TrainingOptions } from './fit-loop.js';
import { initParameters } from './init.js';
import type { CrossEntropy } from './loss.js';
import { nativeDType } from './native-dtype.js';
import { checkParameters, cloneParameters, type HostParameters, type ModelLayers } from './parameters.js';
import { sampleSequence, type GateTrace } from './sample.js';
import { checkInputs, checkTargets, encodeExamples, encodeInputs, type SequenceDataset, type SequenceInputs } from './sequence-data.js';
import { TASKS, type ModelTask } from './task.js';
import { batchPredictions, batchLoss, lossAndGradients } from './train-step.js';
import { Vocabulary } from './vocabulary.js';

/** Where a model call runs. The dtype is the model's (see `SequenceModel.dtype`), never a call's. */
export interface ModelCallOptions {
  /** Backend for the layers; the default set with `setBackend` when absent. */
  readonly backend?: Backend | undefined;
  /** Not accepted: the dtype is chosen once, at `create` or `load`. Passing one throws an `InvalidArgumentError`. */
  readonly dtype?: never;
}

/** Names (a character model) or numeric examples (the other tasks). */
export type ModelData = readonly string[] | SequenceDataset;

/** Options of `SequenceModel.fit`. */
export interface FitOptions extends ModelCallOptions, TrainingOptions {
  /** Examples to evaluate on (names, or a `SequenceDataset`), never trained on. */
  readonly heldOut?: ModelData | undefined;
  /** Instead of `heldOut`: hold out this fraction of the data, picked by `seed` (e.g. 0.2). */
  readonly validationSplit?: number | undefined;
}

/** Options of `SequenceModel.evaluate` and `predict`. */
export interface EvaluateOptions extends ModelCallOptions {
  /** Examples per forward pass (default 256). */
  readonly batchSize?: number | undefined;
}

/** What `SequenceModel.evaluate` returns. */
export interface Evaluation {
  /** `total / count`: nats per counted step (classification, characters), or mean squared error per value (regression). */
  readonly loss: number;
  /** Summed nats or squared error. */
  readonly total: number;
  /** Steps (classification) or values (regression) counted. */
  readonly count: number;
  /** Classification and characters: the share of counted steps whose most likely class is the target. */
  readonly accuracy?: number | undefined;
}

/** What `evaluate` returns for names. */
export interface CharacterEvaluation extends Evaluation, CrossEntropy {
  /** `totalNats / count`: the mean cross-entropy per character, end of name included. */
  readonly natsPerChar: number;
}

/** What `SequenceModel.predict` returns, in the order the examples were given. */
export interface Prediction {
  /** The head's output at every step, `[example][step][output]`: class probabilities (softmax) or values. */
  readonly steps: number[][][];
  /** Each example's output at its last step, `[example][output]`. */
  readonly last: number[][];
}

/** A sampled name. */
export interface SampledName {
  /** The name, the prefix included, without the end of name. */
  readonly text: string;
  /** False when the length limit, not the end of name, stopped it. */
  readonly ended: boolean;
  /** Activations and states at every step (the prefix, then one per drawn character), when asked for. */
  readonly trace?: GateTrace | undefined;
}

/** Options of `SequenceModel.sample`. */
export interface ModelSampleOptions extends ModelCallOptions {
  /** A generator to draw from, or a seed for a fresh one (default 0). */
  readonly rng?: RandomState | undefined;
  /** Seed of a fresh `RandomState` when `rng` is not given (default 0). */
  readonly seed?: number | undefined;
  /** Default 1; see `applyTemperature`. */
  readonly temperature?: number | undefined;
  /** Characters drawn at most after the prefix (default 50). */
  readonly maxLength?: number | undefined;
  /** The beginning of the name: fed first, then continued (default none). */
  readonly prefix?: string | undefined;
  /** Record each layer's activations and states at every step (see `GateTrace`). */
  readonly trace?: boolean | undefined;
}

/** A training or evaluation set: its examples' lengths and their padded batches. */
interface ExampleSet {
  readonly lengths: readonly number[];
  batch(indices: readonly number[]): Batch;
}

/**
 * A sequence model on `layersForward` / `layersBackward`: `numLayers` layers of any cell (`rnn`,
 * `lstm`, `gru`), optionally bidirectional, and a head, for one task (see `ModelTask`): a
 * character-level language model over a `Vocabulary` (`fit(names)`, `sample`), or numeric
 * sequences (`fit({ inputs, targets })`, `evaluate`, `predict`) with per-step classes, per-step
 * values or each example's last-step values. The layers and the head run on any backend; the
 * float64 master weights, the loss and its gradient at the head's logits, and the optimizer live
 * on the host.
 *
 * @example
 * ```ts
 * const model = SequenceModel.create({ cell: 'gru', numLayers: 2, vocabulary: Vocabulary.fromText(text), hiddenSize: 64, seed: 1 });
 * await model.fit(names, { iterations: 1000, backend });
 * (await model.sample({ prefix: 'tyranno', seed: 2, backend })).text;
 * const bytes = model.save();   // SequenceModel.load(bytes) gives it back
 * ```
 */
export class SequenceModel {
  /** What it learns. */
  readonly task: ModelTask;
  /** Its layer stack and head, every field set. */
  readonly layers: ModelLayers;
  /** The characters it reads and writes (the `characters` task only). */
  readonly vocabulary: Vocabulary | undefined;
  /** float64 weights keyed as `layerParameterShapes` names them; `fit` updates them in place. */
  readonly parameters: Record<string, Float64Array>;
  /**
   * Element type of the tensors sent to a backend by `fit`, `evaluate`, `predict` and `sample`,
   * chosen once at `create` or `load`. `undefined` (the default) sends what each backend computes
   * in: float64 on the CPU backend, float32 on gpu.js, so the same program runs on either with
   * only the backend changed. No call takes its own dtype.
   */
  readonly dtype: DType | undefined;
  /** Facts about how the model was trained; saved with it (see `CheckpointMetadata`). */
  metadata: CheckpointMetadata;

  constructor(config: SequenceModelConfig, parameters: HostParameters, metadata: CheckpointMetadata = {}) {
    const fn = 'SequenceModel';
    const { task, layers, vocabulary } = resolveConfig(fn, config);
    this.task = task;
    this.layers = layers;
    this.vocabulary = vocabulary;
    this.dtype = config.dtype;
    checkParameters(fn, layers, parameters);
    this.parameters = cloneParameters(parameters);
    this.metadata = { ...metadata };
  }

  /**
   * A fresh model with seeded weights (see `initParameters`). A bad configuration (an unknown
   * cell or task, a size that is not a positive integer …) is refused with an `InvalidArgumentError`.
   *
   * @example
   * ```ts
   * const names = SequenceModel.create({ cell: 'lstm', vocabulary: Vocabulary.fromText(text), hiddenSize: 64, seed: 1 });
   * const series = SequenceModel.create({ cell: 'gru', task: 'last-step-regression', inputSize: 1, outputSize: 1, hiddenSize: 32, numLayers: 2, seed: 1 });
   * ```
   */
  static create(config: CreateOptions): SequenceModel {
    const { layers } = resolveConfig('SequenceModel.create', config);
    return new SequenceModel(config, initParameters(layers, { seed: config.seed, scheme: config.init }), { initSeed: config.seed, iterations: 0 });
  }

  /**
   * Reads a checkpoint made by `save` (format version 2, or version 1 of @rnn/train 0.1); throws
   * `CheckpointError` when it is corrupt, holds metadata of the wrong type or is not what
   * `expect` says. The model keeps the dtype it was saved with unless `options.dtype` says otherwise.
   *
   * @example
   * ```ts
   * const model = SequenceModel.load(bytes, { cell: 'lstm' });
   * model.metadata.iterations;   // iterations it was trained for
   * ```
   */
  static load(bytes: Uint8Array, expect?: CheckpointExpectation, options: LoadOptions = {}): SequenceModel {
    const data = decodeCheckpoint(bytes, expect);
    const { cell, hiddenSize, numLayers, bidirectional, inputSize, outputSize } = data.layers;
    const dtype = options.dtype ?? data.dtype;
    const shape = { cell, hiddenSize, numLayers, bidirectional, dtype };
    const config: SequenceModelConfig = data.task === 'characters'
      ? { ...shape, task: 'characters', vocabulary: new Vocabulary(data.vocabulary ?? []) }
      : { ...shape, task: data.task, inputSize, outputSize };
    return new SequenceModel(config, data.parameters, data.metadata);
  }

  /** The cell of every layer. */
  get cell(): CellName {
    return this.layers.cell;
  }

  /** `n_a` of every layer and direction. */
  get hiddenSize(): number {
    return this.layers.hiddenSize;
  }

  /** Layers stacked. */
  get numLayers(): number {
    return this.layers.numLayers;
  }

  /** Whether each layer also reads in reverse. */
  get bidirectional(): boolean {
    return this.layers.bidirectional;
  }

  /**
   * The checkpoint bytes of this model (see `encodeCheckpoint`): its cell, layers, task,
   * vocabulary, dtype, weights and metadata. Throws a `CheckpointError` rather than encode
   * weights that are not finite.
   *
   * @example
   * ```ts
   * const bytes = model.save();
   * SequenceModel.load(bytes).hiddenSize === model.hiddenSize;   // true
   * ```
   */
  save(): Uint8Array {
    return encodeCheckpoint({ layers: this.layers, task: this.task, vocabulary: this.vocabulary?.chars, dtype: this.dtype, parameters: this.parameters, metadata: this.metadata });
  }

  /**
   * Trains on names (a character model) or on numeric examples `{ inputs, targets }` in padded
   * mini-batches with per-example lengths (see `BatchSampler`, `encodeBatch`, `SequenceDataset`):
   * per iteration, forward and backward through the layers and the head on the backend, the
   * loss and its gradient at the head's logits on the host, clipping, then one optimizer step.
   * Give `iterations` or `epochs`; `heldOut` or `validationSplit` for held-out evaluation,
   * `onProgress` and `onEpochEnd` callbacks (awaited), `earlyStopping` on the held-out loss.
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
   *
   * await series.fit({ inputs, targets }, { epochs: 50, validationSplit: 0.2, earlyStopping: { patience: 5 }, backend });
   * ```
   */
  async fit(data: ModelData, options: FitOptions): Promise<FitReport> {
    const fn = 'SequenceModel.fit';
    const backend = this.#backend(fn, options);
    const set = this.#examples(fn, 'data', data);
    let train = set.lengths.map((length, index) => ({ index, length }));
    let held: { set: ExampleSet; indices: readonly number[] } | undefined;
    if (options.heldOut !== undefined && options.validationSplit !== undefined) throw new InvalidArgumentError(fn, 'validationSplit', 'and heldOut both say what to hold out; give one');
    if (options.heldOut !== undefined) {
      const heldSet = this.#examples(fn, 'heldOut', options.heldOut);
      held = { set: heldSet, indices: heldSet.lengths.map((_, i) => i) };
    } else if (options.validationSplit !== undefined) {
      const f = options.validationSplit;
      if (typeof f !== 'number' || !(f > 0 && f < 1)) throw new InvalidArgumentError(fn, 'validationSplit', `must be a fraction in (0, 1), got ${String(f)}`);
      const split = splitHeldOut(train, f, options.seed ?? 0);
      if (split.heldOut.length === 0 || split.train.length === 0) {
        throw new InvalidArgumentError(fn, 'validationSplit', `of ${f} leaves ${split.heldOut.length} of ${train.length} examples held out and ${split.train.length} to train on; both need at least one`);
      }
      train = [...split.train];
      held = { set, indices: split.heldOut.map((e) => e.index) };
    }
    const dtype = this.#dtypeOn(backend);
    const step = { backend, dtype };
    return fitLoop({
      fn,
      parameters: this.parameters,
      train,
      hasHeldOut: held !== undefined,
      step: (indices) => lossAndGradients(this.layers, this.parameters, set.batch(indices), step),
      heldOutLoss: async () => {
        if (held === undefined) throw new Error('fit: no held-out examples');
        const { total, count } = await this.#lossOver(held.set, held.indices, 256, backend, dtype);
        return total / Math.max(count, 1);
      },
      record: (kept, optimizer, batchSize, learningRate, schedule) => {
        const trained = this.metadata.iterations ?? 0;
        this.metadata = { ...this.metadata, iterations: trained + kept, optimizer: optimizer.name, batchSize, learningRate, schedule };
      },
    }, options);
  }

  /**
   * The loss of the model on some examples, forward only: cross-entropy per character (names,
   * end of name included) or per counted step (classification), or the mean squared error
   * (regression). An empty list is refused with an `InvalidArgumentError` (its mean would be 0/0).
   *
   * @example
   * ```ts
   * const { natsPerChar } = await model.evaluate(heldOut, { backend });
   * const { loss } = await series.evaluate({ inputs, targets }, { backend });   // mean squared error
   * ```
   */
  async evaluate(names: readonly string[], options?: EvaluateOptions): Promise<CharacterEvaluation>;
  async evaluate(data: SequenceDataset, options?: EvaluateOptions): Promise<Evaluation>;
  async evaluate(data: ModelData, options: EvaluateOptions = {}): Promise<Evaluation | CharacterEvaluation> {
    const fn = 'SequenceModel.evaluate';
    const backend = this.#backend(fn, options);
    const batchSize = options.batchSize ?? 256;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(fn, 'batchSize', `must be a positive integer, got ${batchSize}`);
    if (Array.isArray(data) && data.length === 0) throw new InvalidArgumentError(fn, 'names', 'is empty: there is nothing to evaluate (the mean loss of no characters is undefined)');
    const set = this.#examples(fn, 'data', data);
    const { total, count, correct } = await this.#lossOver(set, set.lengths.map((_, i) => i), batchSize, backend, this.#dtypeOn(backend));
    const loss = total / Math.max(count, 1);
    const accuracy = correct === undefined ? undefined : correct / Math.max(count, 1);
    if (this.task === 'characters') return { loss, total, count, accuracy, totalNats: total, natsPerChar: total / count };
    return { loss, total, count, accuracy };
  }

  /**
   * The head's output for each example of `inputs` (`[example][step][feature]`, ragged), forward
   * only: class probabilities for a softmax head, values for a linear one, at every step and at
   * each example's last step.
   *
   * @example
   * ```ts
   * const { last } = await series.predict([[[0.1], [0.4], [0.3]]], { backend });
   * last[0];   // the prediction after the third step
   * ```
   */
  async predict(inputs: SequenceInputs, options: EvaluateOptions = {}): Promise<Prediction> {
    const fn = 'SequenceModel.predict';
    const backend = this.#backend(fn, options);
    const batchSize = options.batchSize ?? 256;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(fn, 'batchSize', `must be a positive integer, got ${batchSize}`);
    const { inputSize: nX, outputSize: nY } = this.layers;
    const lengths = checkInputs(fn, 'inputs', inputs, nX);
    const dtype = this.#dtypeOn(backend);
    const steps: number[][][] = [];
    for (let start = 0; start < lengths.length; start += batchSize) {
      const indices = lengths.slice(start, start + batchSize).map((_, k) => start + k);
      const batch = encodeInputs(inputs, indices, nX);
      const yPred = await batchPredictions(this.layers, this.parameters, batch, TASKS[this.task].head, { backend, dtype });
      const { m, T } = batch;
      batch.lengths.forEach((L, j) => {
        steps.push(Array.from({ length: L }, (_, t) => Array.from({ length: nY }, (_, k) => yPred[k * m * T + j * T + t] as number)));
      });
    }
    return { steps, last: steps.map((s) => s[s.length - 1] ?? []) };
  }

  /**
   * Draws one name (see `sampleSequence`), optionally continuing `prefix`. Only a character model
   * of one direction samples: others throw an `UnsupportedOperationError`.
   *
   * @example
   * ```ts
   * const rng = new RandomState(3);
   * for (let k = 0; k < 5; k++) console.log((await model.sample({ rng, temperature: 0.8, backend })).text);
   * (await model.sample({ prefix: 'tyranno', seed: 1, backend })).text;   // 'tyranno…'
   * ```
   */
  async sample(options: ModelSampleOptions = {}): Promise<SampledName> {
    const fn = 'SequenceModel.sample';
    const backend = this.#backend(fn, options);
    const vocabulary = this.vocabulary;
    if (vocabulary === undefined) throw new UnsupportedOperationError(fn, 'sampling', `a ${this.task} model has no characters to draw`);
    if (this.bidirectional) throw new UnsupportedOperationError(fn, 'sampling a bidirectional model', 'its reverse direction reads the characters after each step, which are not drawn yet');
    const prefix = options.prefix ?? '';
    if (typeof prefix !== 'string') throw new InvalidArgumentError(fn, 'prefix', `must be a string, got ${typeof prefix}`);
    const encoded = [...prefix].map((c, i) => {
      if (c === vocabulary.chars[vocabulary.endIndex]) throw new InvalidArgumentError(fn, `prefix[${i}]`, 'is the end of name; a prefix is the beginning of one');
      if (!vocabulary.chars.includes(c)) throw new InvalidArgumentError(fn, `prefix[${i}]`, `${JSON.stringify(c)} is not in the vocabulary`);
      return vocabulary.indexOf(c);
    });
    const rng = options.rng ?? new RandomState(options.seed ?? 0);
    const s = await sampleSequence(this.layers, this.parameters, vocabulary.endIndex, {
      rng, temperature: options.temperature, maxLength: options.maxLength, trace: options.trace, prefix: encoded, backend, dtype: this.#dtypeOn(backend),
    });
    return { text: prefix + vocabulary.decode(s.indices), ended: s.ended, trace: s.trace };
  }

  /** The call's backend, refusing a per-call dtype. */
  #backend(fn: string, options: ModelCallOptions): Backend {
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(fn, 'options', 'must be an object');
    if ((options as { dtype?: unknown }).dtype !== undefined) {
      throw new InvalidArgumentError(fn, 'options.dtype', `is chosen once, when the model is made (SequenceModel.create({ dtype }) or load(bytes, expect, { dtype })); this model's is ${this.dtype ?? "each backend's own"}`);
    }
    return resolveBackend(fn, options);
  }

  /** The model's dtype, else what the backend computes in. */
  #dtypeOn(backend: Backend): DType {
    return this.dtype ?? nativeDType(backend);
  }

  /** Checks names or a dataset against the model's task and makes their batches. */
  #examples(fn: string, arg: string, data: unknown): ExampleSet {
    const vocabulary = this.vocabulary;
    if (vocabulary !== undefined) {
      if (!Array.isArray(data) || data.some((n) => typeof n !== 'string')) throw new InvalidArgumentError(fn, arg, 'must be an array of names (strings) for a characters model');
      if (data.length === 0) throw new InvalidArgumentError(fn, arg, 'holds no names');
      const encoded = (data as string[]).map((n) => vocabulary.encode(n));
      return { lengths: encoded.map((s) => s.length + 1), batch: (indices) => encodeBatch(indices.map((i) => encoded[i] as number[]), vocabulary.size, vocabulary.endIndex) };
    }
    const task = this.task as Exclude<ModelTask, 'characters'>;
    if (typeof data !== 'object' || data === null || Array.isArray(data) || !('inputs' in data) || !('targets' in data)) {
      throw new InvalidArgumentError(fn, arg, `must be a SequenceDataset { inputs, targets } for a ${task} model`);
    }
    const dataset = data as SequenceDataset;
    const { inputSize: nX, outputSize: nY } = this.layers;
    const lengths = checkInputs(fn, `${arg}.inputs`, dataset.inputs, nX);
    checkTargets(fn, `${arg}.targets`, task, dataset.targets, lengths, nY);
    return { lengths, batch: (indices) => encodeExamples(task, dataset, indices, nX, nY) };
  }

  /** Summed loss (and correct classes, for a softmax head) over `indices`, in batches of similar length. */
  async #lossOver(set: ExampleSet, indices: readonly number[], batchSize: number, backend: Backend, dtype: DType): Promise<{ total: number; count: number; correct: number | undefined }> {
    const sorted = [...indices].sort((a, b) => (set.lengths[a] as number) - (set.lengths[b] as number));
    let total = 0;
    let count = 0;
    let correct: number | undefined = TASKS[this.task].loss === 'cross-entropy' ? 0 : undefined;
    for (let i = 0; i < sorted.length; i += batchSize) {
      const batch = set.batch(sorted.slice(i, i + batchSize));
      const r = await batchLoss(this.layers, this.parameters, batch, { backend, dtype });
      total += r.total;
      count += r.count;
      if (correct !== undefined && r.correct !== undefined) correct += r.correct;
    }
    return { total, count, correct };
  }
}

