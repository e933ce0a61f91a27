import { InvalidArgumentError, RandomState } from '@rnn/tensor';

/**
 * What every padded batch holds: inputs `x (n_x, m, T)` in C order (`x[i·m·T + j·T + t]`), each
 * example's length (the steps the layers run for it; past it their state stays and their outputs
 * are zero, as ONNX's `sequence_lens`), and a mask `(m, T)` of the steps the loss counts.
 */
export interface BatchBase {
  /** Inputs `(n_x, m, T)`, C order: `x[i·m·T + j·T + t]`; zero past an example's length. */
  readonly x: Float64Array;
  /** Input features `n_x`. */
  readonly nX: number;
  /** Examples in the batch. */
  readonly m: number;
  /** Steps: the longest example's. */
  readonly T: number;
  /** Steps of each example, `m` integers in `[1, T]`. */
  readonly lengths: readonly number[];
  /** 1 on the steps the loss counts, 0 elsewhere (padding, left-out steps), `(m, T)`. */
  readonly mask: Float64Array;
  /** `Σ mask`: the steps counted. */
  readonly count: number;
}

/**
 * A padded batch for a softmax head with cross-entropy: a class at every step.
 *
 * For names (see `encodeBatch`), name `j` of length `L_j` (character indices `s_j`) reads
 * `x⟨0⟩ = 0` then `x⟨t⟩ = onehot(s_j[t−1])` and must predict `s_j[t]` (and the end of name at
 * `t = L_j`), as in the NumPy exercise (`X = [None] + s`, `Y = s + ['\n']`): `T = max_j L_j + 1`,
 * and the steps after a shorter name's end are padding: zero input, `mask = 0`.
 */
export interface ClassBatch extends BatchBase {
  /** `cross-entropy`. */
  readonly loss: 'cross-entropy';
  /** Class to predict at every step `(m, T)`: `targets[j·T + t]` (0 where the mask is 0). */
  readonly targets: Int32Array;
}

/** A padded batch for a linear head with mean squared error: `n_y` numbers at the counted steps. */
export interface RegressionBatch extends BatchBase {
  /** `mse`. */
  readonly loss: 'mse';
  /** Outputs `n_y`. */
  readonly nY: number;
  /** Values to predict `(n_y, m, T)`, C order: `targets[k·m·T + j·T + t]` (0 where the mask is 0). */
  readonly targets: Float64Array;
}

/** A padded mini-batch, laid out as the layers want it: classes or values to predict. */
export type Batch = ClassBatch | RegressionBatch;

/**
 * Lays out encoded names (without the end of name) as a padded batch; see `Batch`.
 *
 * @example
 * ```ts
 * const vocabulary = Vocabulary.fromText('abc');
 * const batch = encodeBatch(['ab', 'c'].map((n) => vocabulary.encode(n)), vocabulary.size, vocabulary.endIndex);
 * [batch.m, batch.T, batch.count];   // [2, 3, 5]: two names, the longest plus its end, 5 real steps
 * batch.lengths;                      // [3, 2]
 * ```
 */
export function encodeBatch(sequences: readonly (readonly number[])[], nX: number, endIndex: number): ClassBatch {
  const fn = 'encodeBatch';
  if (sequences.length === 0) throw new InvalidArgumentError(fn, 'sequences', 'must hold at least one name');
  if (!Number.isInteger(endIndex) || endIndex < 0 || endIndex >= nX) throw new InvalidArgumentError(fn, 'endIndex', `must be in [0, ${nX}), got ${endIndex}`);
  const m = sequences.length;
  const T = Math.max(...sequences.map((s) => s.length)) + 1;
  const x = new Float64Array(nX * m * T);
  const targets = new Int32Array(m * T);
  const mask = new Float64Array(m * T);
  let count = 0;
  sequences.forEach((s, j) => {
    for (let t = 0; t <= s.length; t++) {
      if (t > 0) {
        const c = s[t - 1] as number;
        if (!Number.isInteger(c) || c < 0 || c >= nX) throw new InvalidArgumentError(fn, `sequences[${j}][${t - 1}]`, `must be in [0, ${nX}), got ${c}`);
        x[c * m * T + j * T + t] = 1;
      }
      targets[j * T + t] = t < s.length ? (s[t] as number) : endIndex;
      mask[j * T + t] = 1;
      count++;
    }
  });
  return { loss: 'cross-entropy', x, targets, mask, nX, m, T, count, lengths: sequences.map((s) => s.length + 1) };
}

/** `[0, n)` in a seeded random order (Fisher–Yates on `rng.nextDouble()`). */
export function permutation(n: number, rng: RandomState): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.nextDouble() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

/** A fixed split of a corpus into training and held-out items. */
export interface Split<T> {
  /** What to train on. */
  readonly train: readonly T[];
  /** What to evaluate on, never trained on. */
  readonly heldOut: readonly T[];
}

/**
 * Splits `items` into training and held-out parts by a seeded permutation: the first
 * `round(n · heldOutFraction)` items of the permutation are held out. The split depends only
 * on `seed` (default 0) and the items, never on the training seed.
 *
 * @example
 * ```ts
 * const { train, heldOut } = splitHeldOut(names);   // 90 % / 10 %, the same split every run
 * ```
 */
export function splitHeldOut<T>(items: readonly T[], heldOutFraction = 0.1, seed = 0): Split<T> {
  if (!(heldOutFraction > 0 && heldOutFraction < 1)) throw new InvalidArgumentError('splitHeldOut', 'heldOutFraction', `must be in (0, 1), got ${heldOutFraction}`);
  const order = permutation(items.length, new RandomState(seed));
  const nHeld = Math.round(items.length * heldOutFraction);
  return {
    heldOut: order.slice(0, nHeld).map((i) => items[i] as T),
    train: order.slice(nHeld).map((i) => items[i] as T),
  };
}

/** What `BatchSampler` sorts by: anything with a length (an encoded name, an example's steps). */
export interface Sized {
  /** Steps (characters) of the item. */
  readonly length: number;
}

/** Options of `BatchSampler`. */
export interface BatchSamplerOptions {
  /** Names per batch, `m`. */
  readonly batchSize: number;
  /** Seed of the shuffling. */
  readonly seed: number;
  /**
   * Batches whose names are sorted by length together, to cut padding (default 8; 1 means
   * plain random batches).
   */
  readonly bucketBatches?: number | undefined;
}

/**
 * Endless seeded mini-batches over a corpus, epoch after epoch: each epoch shuffles the items
 * (names, or examples: anything with a `length`), sorts each run of `bucketBatches · batchSize`
 * of them by length, cuts it into batches and shuffles the batches, so items of similar length
 * share a batch and little is padded.
 *
 * @example
 * ```ts
 * const sampler = new BatchSampler(names.map((n) => vocabulary.encode(n)), { batchSize: 32, seed: 0 });
 * const batch = encodeBatch(sampler.next(), vocabulary.size, vocabulary.endIndex);
 * sampler.epoch;   // the pass over the names that batch came from, from 1
 * ```
 */
export class BatchSampler<T extends Sized> {
  /** Batches in one pass over the items (the last of each bucket may be smaller than `batchSize`). */
  readonly batchesPerEpoch: number;
  readonly #items: readonly T[];
  readonly #batchSize: number;
  readonly #bucket: number;
  readonly #rng: RandomState;
  #queue: T[][] = [];
  #epoch = 0;

  constructor(items: readonly T[], { batchSize, seed, bucketBatches = 8 }: BatchSamplerOptions) {
    if (items.length === 0) throw new InvalidArgumentError('BatchSampler', 'items', 'must not be empty');
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError('BatchSampler', 'batchSize', `must be a positive integer, got ${batchSize}`);
    this.#items = items;
    this.#batchSize = Math.min(batchSize, items.length);
    this.#bucket = Math.max(1, Math.floor(bucketBatches));
    this.#rng = new RandomState(seed);
    const pool = this.#batchSize * this.#bucket;
    this.batchesPerEpoch = Math.floor(items.length / pool) * this.#bucket + Math.ceil((items.length % pool) / this.#batchSize);
  }

  /** Batches of the current epoch not handed out yet: 0 right after an epoch's last batch. */
  get batchesLeftInEpoch(): number {
    return this.#queue.length;
  }

  /** The pass over the corpus the last batch came from, 1-based (0 before the first batch). */
  get epoch(): number {
    return this.#epoch;
  }

  /** The next batch of `batchSize` items (the last of an epoch may be smaller). */
  next(): T[] {
    if (this.#queue.length === 0) this.#refill();
    return this.#queue.shift() as T[];
  }

  #refill(): void {
    const order = permutation(this.#items.length, this.#rng).map((i) => this.#items[i] as T);
    const pool = this.#batchSize * this.#bucket;
    const batches: T[][] = [];
    for (let start = 0; start < order.length; start += pool) {
      const chunk = order.slice(start, start + pool).sort((a, b) => a.length - b.length);
      for (let b = 0; b < chunk.length; b += this.#batchSize) batches.push(chunk.slice(b, b + this.#batchSize));
    }
    this.#queue = permutation(batches.length, this.#rng).map((i) => batches[i] as T[]);
    this.#epoch++;
  }
}
