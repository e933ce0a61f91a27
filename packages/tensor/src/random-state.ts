import { InvalidArgumentError } from './errors.js';
import { sizeOf, type DType } from './dtype.js';
import { Tensor } from './tensor.js';

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/**
 * NumPy's legacy `RandomState`: the MT19937 generator seeded with `init_genrand(seed)`, so
 * `new RandomState(1).randn(3, 10)` draws exactly what `np.random.seed(1); np.random.randn(3, 10)` does.
 * Draws fill a shape in C order and come back as host tensors.
 */
export class RandomState {
  readonly #mt = new Uint32Array(N);
  #index = N;
  #gauss: number | null = null;

  /** @param seed an integer in [0, 2³²−1], as NumPy accepts. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new InvalidArgumentError('RandomState', 'seed', `must be an integer in [0, 2**32 - 1], got ${seed}`);
    }
    const mt = this.#mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] as number;
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
  }

  /** The next raw 32-bit draw (`genrand_int32`). */
  nextUint32(): number {
    const mt = this.#mt;
    if (this.#index >= N) {
      for (let k = 0; k < N; k++) {
        const y = ((mt[k] as number) & UPPER_MASK) | ((mt[(k + 1) % N] as number) & LOWER_MASK);
        mt[k] = (mt[(k + M) % N] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      this.#index = 0;
    }
    let y = mt[this.#index++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits, as NumPy's `random_sample`. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A standard normal draw by the polar (Marsaglia) method, keeping the spare draw as NumPy does. */
  nextGaussian(): number {
    if (this.#gauss !== null) {
      const spare = this.#gauss;
      this.#gauss = null;
      return spare;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.nextDouble() - 1;
      x2 = 2 * this.nextDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.#gauss = f * x1;
    return f * x2;
  }

  /** Standard normal draws of the given shape (`np.random.randn(*shape)`), float64. */
  randn(...shape: number[]): Tensor {
    return this.#fill('randn', shape, 'float64', () => this.nextGaussian());
  }

  /** Uniform draws in [0, 1) of the given shape (`np.random.rand(*shape)`), float64. */
  rand(...shape: number[]): Tensor {
    return this.#fill('rand', shape, 'float64', () => this.nextDouble());
  }

  /** `randn` with a dtype: the float64 draws rounded to float32 when asked. */
  randnAs(shape: readonly number[], dtype: DType): Tensor {
    return this.#fill('randnAs', shape, dtype, () => this.nextGaussian());
  }

  /**
   * One index drawn from the discrete distribution `p` (which should sum to 1), by inverse
   * CDF on one uniform draw, as NumPy's `choice(len(p), p=p)` does.
   */
  choice(p: ArrayLike<number>): number {
    if (p.length === 0) throw new InvalidArgumentError('RandomState.choice', 'p', 'must not be empty');
    let total = 0;
    for (let i = 0; i < p.length; i++) total += p[i] as number;
    const u = this.nextDouble() * total;
    let cumulative = 0;
    for (let i = 0; i < p.length; i++) {
      cumulative += p[i] as number;
      if (u < cumulative) return i;
    }
    return p.length - 1;
  }

  #fill(fn: string, shape: readonly number[], dtype: DType, draw: () => number): Tensor {
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new InvalidArgumentError(`RandomState.${fn}`, 'shape', `must be non-negative integers, got [${shape.join(', ')}]`);
    }
    const size = sizeOf(shape);
    const values = dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
    for (let i = 0; i < size; i++) values[i] = draw();
    return Tensor.fromHost(values, shape, dtype);
  }
}
