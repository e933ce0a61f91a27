import { InvalidArgumentError } from '@rnn/tensor';
import type { HostParameters } from './parameters.js';

/** Updates parameters in place from their gradients (host, float64). */
export interface Optimizer {
  /** `sgd` or `adam`. */
  readonly name: string;
  /** Steps taken so far. */
  readonly steps: number;
  /** Learning rate; may be changed between steps. */
  learningRate: number;
  /** One update of every parameter in `params` from `grads[name]` (same keys, same sizes). */
  step(params: HostParameters, grads: HostParameters): void;
}

/**
 * Plain stochastic gradient descent: `θ ← θ − lr · dθ`, as the NumPy exercise's `update_parameters`.
 *
 * @example
 * ```ts
 * const params = { W: Float64Array.of(1, 2) };
 * new Sgd(0.1).step(params, { W: Float64Array.of(10, -10) });   // params.W is now [0, 3]
 * ```
 */
export class Sgd implements Optimizer {
  readonly name = 'sgd';
  #steps = 0;

  constructor(public learningRate: number) {
    checkRate('Sgd', learningRate);
  }

  get steps(): number {
    return this.#steps;
  }

  step(params: HostParameters, grads: HostParameters): void {
    const pairs = zip('Sgd.step', params, grads);
    for (const [p, g] of pairs) for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) - this.learningRate * (g[i] as number);
    this.#steps++;
  }
}

/** Adam's hyper-parameters besides the learning rate. */
export interface AdamOptions {
  /** Decay of the first moment, default 0.9. */
  readonly beta1?: number | undefined;
  /** Decay of the second moment, default 0.999. */
  readonly beta2?: number | undefined;
  /** Added to `√v̂`, default 1e-8. */
  readonly epsilon?: number | undefined;
  /** Decoupled weight decay `λ` (AdamW): each step also does `θ ← θ − lr · λ · θ`. Default 0. */
  readonly weightDecay?: number | undefined;
}

/**
 * Adam (Kingma & Ba 2015), with bias correction. At step `t` (from 1), per element:
 * `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`, `m̂ = m/(1−β₁ᵗ)`, `v̂ = v/(1−β₂ᵗ)`,
 * `θ ← θ − lr · (m̂ / (√v̂ + ε) + λ · θ)`, where `λ` is the decoupled weight decay of AdamW
 * (Loshchilov & Hutter 2019; 0 by default, which is plain Adam). Moments are kept per parameter
 * name, float64.
 *
 * @example
 * ```ts
 * const optimizer = new Adam(0.01, { weightDecay: 0.1 });
 * const { grads } = await lossAndGradients('lstm', dims, parameters, batch, { backend });
 * optimizer.step(parameters, grads);   // updates parameters in place; moments carry over
 * ```
 */
export class Adam implements Optimizer {
  readonly name = 'adam';
  /** Decay of the first moment `β₁`. */
  readonly beta1: number;
  /** Decay of the second moment `β₂`. */
  readonly beta2: number;
  /** `ε`, added to `√v̂`. */
  readonly epsilon: number;
  /** Decoupled weight decay `λ`. */
  readonly weightDecay: number;
  readonly #m = new Map<string, Float64Array>();
  readonly #v = new Map<string, Float64Array>();
  #steps = 0;

  constructor(public learningRate: number, { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, weightDecay = 0 }: AdamOptions = {}) {
    checkRate('Adam', learningRate);
    if (!(beta1 >= 0 && beta1 < 1)) throw new InvalidArgumentError('Adam', 'beta1', `must be in [0, 1), got ${beta1}`);
    if (!(beta2 >= 0 && beta2 < 1)) throw new InvalidArgumentError('Adam', 'beta2', `must be in [0, 1), got ${beta2}`);
    if (!(epsilon > 0)) throw new InvalidArgumentError('Adam', 'epsilon', `must be positive, got ${epsilon}`);
    this.beta1 = beta1;
    this.beta2 = beta2;
    if (!(weightDecay >= 0)) throw new InvalidArgumentError('Adam', 'weightDecay', `must be non-negative, got ${weightDecay}`);
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  get steps(): number {
    return this.#steps;
  }

  step(params: HostParameters, grads: HostParameters): void {
    const pairs = zip('Adam.step', params, grads);
    const t = this.#steps + 1;
    const { beta1: b1, beta2: b2, epsilon: eps, learningRate: lr, weightDecay: wd } = this;
    const c1 = 1 - b1 ** t;
    const c2 = 1 - b2 ** t;
    for (const [p, g, name] of pairs) {
      const m = this.#moment(this.#m, name, p.length);
      const v = this.#moment(this.#v, name, p.length);
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] as number;
        const mi = b1 * (m[i] as number) + (1 - b1) * gi;
        const vi = b2 * (v[i] as number) + (1 - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        const pi = p[i] as number;
        p[i] = pi - lr * ((mi / c1) / (Math.sqrt(vi / c2) + eps) + wd * pi);
      }
    }
    this.#steps = t;
  }

  #moment(store: Map<string, Float64Array>, name: string, size: number): Float64Array {
    let m = store.get(name);
    if (m === undefined) {
      m = new Float64Array(size);
      store.set(name, m);
    }
    return m;
  }
}

function checkRate(fn: string, lr: number): void {
  if (!(lr > 0 && Number.isFinite(lr))) throw new InvalidArgumentError(fn, 'learningRate', `must be a positive finite number, got ${lr}`);
}

/** Pairs every parameter with its gradient, checking keys and sizes before anything changes. */
function zip(fn: string, params: HostParameters, grads: HostParameters): [Float64Array, Float64Array, string][] {
  return Object.entries(params).map(([name, p]) => {
    const g = grads[name];
    if (g === undefined) throw new InvalidArgumentError(fn, `grads.${name}`, 'is missing');
    if (g.length !== p.length) throw new InvalidArgumentError(fn, `grads.${name}`, `holds ${g.length} values but the parameter holds ${p.length}`);
    return [p, g, name];
  });
}
