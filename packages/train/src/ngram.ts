import { InvalidArgumentError } from '@rnn/tensor';
import { splitHeldOut } from './batching.js';
import type { CrossEntropy } from './loss.js';

const START = -1;

/**
 * A character n-gram model with add-k smoothing, the baseline a sequence model must beat.
 * Every name is predicted character by character and then its end, each from the `order − 1`
 * characters before it (padded with a start symbol), exactly the predictions the LSTM makes:
 * `P(c | h) = (count(h, c) + k) / (count(h) + k · V)` with `V` the vocabulary size.
 */
export class NgramModel {
  readonly #counts = new Map<string, Float64Array>();
  readonly #totals = new Map<string, number>();

  /**
   * @param order `n`: 3 for a trigram (two characters of context)
   * @param k the pseudo-count added to every (context, character) pair, > 0
   * @param vocabSize `V`, the number of classes, end of name included
   * @param endIndex the class of the end of name
   */
  constructor(
    readonly order: number,
    readonly k: number,
    readonly vocabSize: number,
    readonly endIndex: number,
  ) {
    const fn = 'NgramModel';
    if (!Number.isInteger(order) || order < 1) throw new InvalidArgumentError(fn, 'order', `must be a positive integer, got ${order}`);
    if (!(k > 0)) throw new InvalidArgumentError(fn, 'k', `must be positive, got ${k}`);
    if (!Number.isInteger(vocabSize) || vocabSize < 1) throw new InvalidArgumentError(fn, 'vocabSize', `must be a positive integer, got ${vocabSize}`);
    if (!Number.isInteger(endIndex) || endIndex < 0 || endIndex >= vocabSize) throw new InvalidArgumentError(fn, 'endIndex', `must be in [0, ${vocabSize}), got ${endIndex}`);
  }

  /** Adds the counts of some encoded names (without the end of name). Returns `this`. */
  fit(sequences: readonly (readonly number[])[]): this {
    this.#walk(sequences, (h, c) => {
      let counts = this.#counts.get(h);
      if (counts === undefined) {
        counts = new Float64Array(this.vocabSize);
        this.#counts.set(h, counts);
      }
      counts[c] = (counts[c] as number) + 1;
      this.#totals.set(h, (this.#totals.get(h) ?? 0) + 1);
    });
    return this;
  }

  /** `P(c | h)` where `h` is the last `order − 1` characters of `context` (start-padded). */
  probability(context: readonly number[], c: number): number {
    return this.#p(this.#key(context, context.length), c);
  }

  /** Summed negative log-likelihood of some names, in nats, and the characters predicted. */
  crossEntropy(sequences: readonly (readonly number[])[]): CrossEntropy {
    let totalNats = 0;
    let count = 0;
    this.#walk(sequences, (h, c) => {
      totalNats -= Math.log(this.#p(h, c));
      count++;
    });
    return { totalNats, count };
  }

  #p(h: string, c: number): number {
    const n = this.#counts.get(h)?.[c] ?? 0;
    const total = this.#totals.get(h) ?? 0;
    return (n + this.k) / (total + this.k * this.vocabSize);
  }

  #key(s: readonly number[], t: number): string {
    const h: number[] = [];
    for (let i = t - this.order + 1; i < t; i++) h.push(i < 0 ? START : (s[i] as number));
    return h.join(',');
  }

  #walk(sequences: readonly (readonly number[])[], visit: (h: string, c: number) => void): void {
    for (const s of sequences) {
      for (let t = 0; t <= s.length; t++) {
        const c = t < s.length ? (s[t] as number) : this.endIndex;
        if (!Number.isInteger(c) || c < 0 || c >= this.vocabSize) throw new InvalidArgumentError('NgramModel', 'sequences', `hold ${c}, outside [0, ${this.vocabSize})`);
        visit(this.#key(s, t), c);
      }
    }
  }
}

/** Options of `fitNgramBaseline`. */
export interface NgramBaselineOptions {
  /** Classes `V`, end of name included. */
  readonly vocabSize: number;
  /** The class of the end of name. */
  readonly endIndex: number;
  /** Default 3. */
  readonly order?: number | undefined;
  /** The `k` values tried (default 0.01 … 2). */
  readonly ks?: readonly number[] | undefined;
}

/**
 * The add-k n-gram baseline, with `k` chosen without looking at held-out data: `k` is picked
 * by the lowest cross-entropy on a validation tenth of `train` (split with seed 1) after
 * fitting on the other nine tenths, then the model is refitted on all of `train`.
 *
 * @example
 * ```ts
 * const encode = (names: readonly string[]) => names.map((n) => vocabulary.encode(n));
 * const ngram = fitNgramBaseline(encode(train), { vocabSize: vocabulary.size, endIndex: vocabulary.endIndex, order: 3 });
 * const { totalNats, count } = ngram.crossEntropy(encode(heldOut));   // totalNats / count: the baseline to beat
 * ```
 */
export function fitNgramBaseline(train: readonly (readonly number[])[], options: NgramBaselineOptions): NgramModel {
  const { vocabSize, endIndex, order = 3, ks = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2] } = options;
  if (ks.length === 0) throw new InvalidArgumentError('fitNgramBaseline', 'ks', 'must not be empty');
  const { train: fitPart, heldOut: validation } = splitHeldOut(train, 0.1, 1);
  let bestK = ks[0] as number;
  let best = Number.POSITIVE_INFINITY;
  for (const k of ks) {
    const { totalNats, count } = new NgramModel(order, k, vocabSize, endIndex).fit(fitPart).crossEntropy(validation);
    if (totalNats / count < best) {
      best = totalNats / count;
      bestK = k;
    }
  }
  return new NgramModel(order, bestK, vocabSize, endIndex).fit(train);
}
