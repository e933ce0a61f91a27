import { InvalidArgumentError, keep, resolveBackend, type Backend, type BackendOptions, type Tensor } from '@rnn/tensor';
import { disposeLayerCaches, layersForward, type LayerConfig, type LayerParameters } from './layers.js';
import { ArgumentChecker } from './validate.js';

/** Options of `SequenceStream`. */
export interface SequenceStreamOptions extends BackendOptions {
  /** Initial hidden states `(L, n_a, m)` (default zeros). */
  readonly a0?: Tensor | undefined;
  /** Initial cell states of an LSTM, `(L, n_a, m)` (default zeros). */
  readonly c0?: Tensor | undefined;
  /** The head's activation, as in `layersForward` (default `softmax`). */
  readonly head?: 'softmax' | 'linear' | undefined;
}

/** What one `push` gives: the chunk's outputs, and the head's when there is one. */
export interface StreamChunk {
  /** The top layer's hidden states for the chunk's steps, `(n_a, m, t)`. */
  readonly outputs: Tensor;
  /** The head's output for the chunk's steps, `(n_y, m, t)`. */
  readonly yPred?: Tensor | undefined;
}

/**
 * A layer stack fed one step, or a chunk of steps, at a time — live input, inference — carrying
 * each layer's state from one call to the next: the outputs of the chunks, one after another, are
 * the outputs of the whole sequence at once. Forward only (a reverse direction needs the whole
 * sequence, so a bidirectional stack is refused).
 *
 * @example
 * ```ts
 * const stream = new SequenceStream(parameters, config, { backend });
 * for (const chunk of live) {            // each (n_x, m, t), t ≥ 1
 *   const { yPred } = stream.push(chunk);
 * }
 * stream.dispose();
 * ```
 */
export class SequenceStream {
  /** The stack it runs. */
  readonly config: LayerConfig;
  readonly #parameters: LayerParameters;
  readonly #backend: Backend;
  readonly #head: 'softmax' | 'linear';
  #a: Tensor | undefined;
  #c: Tensor | undefined;
  #steps = 0;

  constructor(parameters: LayerParameters, config: LayerConfig, opts: SequenceStreamOptions = {}) {
    if (config?.bidirectional === true) {
      throw new InvalidArgumentError('SequenceStream', 'config.bidirectional', 'is true, but a reverse direction needs the whole sequence: stream a unidirectional stack');
    }
    this.config = config;
    this.#parameters = parameters;
    this.#backend = resolveBackend('SequenceStream', opts);
    this.#head = opts.head ?? 'softmax';
    this.#a = opts.a0;
    this.#c = opts.c0;
  }

  /** Steps fed so far. */
  get steps(): number {
    return this.#steps;
  }

  /** The carried state after the steps fed so far, `(L, n_a, m)`: `a`, and for an LSTM `c` (undefined before the first push without initial states). */
  get state(): {
    /** Each layer's hidden state, `(L, n_a, m)`. */
    readonly a: Tensor | undefined;
    /** Each layer's cell state for an LSTM, `(L, n_a, m)`. */
    readonly c: Tensor | undefined;
  } {
    return { a: this.#a, c: this.#c };
  }

  /**
   * Feeds the steps `x (n_x, m, t)` and returns their outputs; the state moves on by `t` steps.
   * The batch size `m` is fixed by the first call (or the initial states).
   */
  push(x: Tensor): StreamChunk {
    const check = new ArgumentChecker('SequenceStream.push');
    const [, m = 0] = check.rank('x', x, 3, '(n_x, m, t)');
    if (this.#a !== undefined) check.shape('x', x, [this.config.inputSize, this.#a.shape[2] ?? m, x.shape[2] ?? 1], '(n_x, m, t) with m from the state the stream carries');
    const out = layersForward(x, this.#parameters, this.config, { backend: this.#backend, a0: this.#a, c0: this.#c, head: this.#head });
    disposeLayerCaches(out.caches);
    if (this.#steps > 0) {
      this.#a?.dispose();
      this.#c?.dispose();
    }
    this.#a = keep(out.aLast);
    this.#c = out.cLast === undefined ? undefined : keep(out.cLast);
    this.#steps += x.shape[2] ?? 0;
    return { outputs: out.outputs, yPred: out.yPred };
  }

  /** Forgets the state: the next push starts from `a0`/`c0` (zeros by default). */
  reset(a0?: Tensor, c0?: Tensor): void {
    if (this.#steps > 0) {
      this.#a?.dispose();
      this.#c?.dispose();
    }
    this.#a = a0;
    this.#c = c0;
    this.#steps = 0;
  }

  /** Frees the carried state. */
  dispose(): void {
    this.reset();
  }
}
