import { allocate, InvalidArgumentError, type DataArray, type DType } from '@rnn/tensor';
import { padBatch, type Engine } from './engine.js';
import { Workspace } from './workspace.js';

function dtypeOf(a: DataArray): DType {
  return a instanceof Float32Array ? 'float32' : 'float64';
}

/**
 * A left factor `A (M, K)` packed into the engine's 4-row panels once, for many products
 * `A·B` — as the sequence kernels pack a layer's weights once per sequence. Its memory stays in
 * the engine's heap until `dispose()`.
 */
export class PackedMatrix {
  /** Rows of `A`, and of every product. */
  readonly M: number;
  /** Columns of `A`: the rows every `B` must have. */
  readonly K: number;
  /** `A`'s dtype, which every `B` must share. */
  readonly dtype: DType;
  readonly #engine: Engine;
  #block: number | null;

  constructor(engine: Engine, A: DataArray, M: number, K: number) {
    const fn = 'prepareMatMul';
    if (!Number.isInteger(M) || !Number.isInteger(K) || M < 1 || K < 1) throw new InvalidArgumentError(fn, 'M, K', `must be positive integers, got ${M}, ${K}`);
    if (A.length !== M * K) throw new InvalidArgumentError(fn, 'A', `holds ${A.length} values but (M, K) = (${M}, ${K}) needs ${M * K}`);
    this.M = M;
    this.K = K;
    this.dtype = dtypeOf(A);
    this.#engine = engine;
    const ws = new Workspace(engine, this.dtype);
    try {
      const packed = ws.alloc(ws.ops.packedLength(M, K));
      ws.ops.packA(ws.write(A), K, 1, 0, K, 1, M, packed);
      this.#block = ws.keep(packed);
    } finally {
      ws.release();
    }
  }

  /** `C = A·B` for `B (K, N)` of this dtype, row-major; returns `C (M, N)`. */
  multiply(B: DataArray, N: number): DataArray {
    const fn = 'PackedMatrix.multiply';
    const block = this.#block;
    if (block === null) throw new InvalidArgumentError(fn, 'this', 'was disposed');
    if (dtypeOf(B) !== this.dtype) throw new InvalidArgumentError(fn, 'B', `is ${dtypeOf(B)} but A is ${this.dtype}`);
    if (!Number.isInteger(N) || N < 1 || B.length !== this.K * N) throw new InvalidArgumentError(fn, 'B', `holds ${B.length} values but (K, N) = (${this.K}, ${N}) needs ${this.K * N}`);
    const { M, K } = this;
    const Np = padBatch(N);
    return Workspace.run(this.#engine, this.dtype, (ws) => {
      const e = ws.ops;
      const ap = block / (this.dtype === 'float32' ? 4 : 8);
      let b: number;
      if (Np === N) b = ws.write(B);
      else {
        b = ws.zeros(K * Np);
        const heap = e.heap();
        for (let k = 0; k < K; k++) heap.set(B.subarray(k * N, k * N + N), b + k * Np);
      }
      const c = ws.alloc(M * Np);
      e.gemm(ap, M, K, b, Np, 0, c, Np, 0, Np, 1, false);
      if (Np === N) return ws.read(c, M * N);
      const out = allocate(M * N, this.dtype);
      const heap = e.heap();
      for (let i = 0; i < M; i++) out.set(heap.subarray(c + i * Np, c + i * Np + N), i * N);
      return out;
    });
  }

  /** Gives the packed panels' memory back to the engine. */
  dispose(): void {
    if (this.#block !== null) this.#engine.allocator.free(this.#block);
    this.#block = null;
  }
}

/**
 * `C = A·B` for row-major `A (M, K)` and `B (K, N)` of one dtype, on an engine: the product every
 * kernel of the CPU backend is built on (A packed into 4-row panels, B and C padded to whole
 * vectors), exposed for benchmarks and for users who want a plain matrix product.
 */
export function matMul(engine: Engine, A: DataArray, B: DataArray, M: number, K: number, N: number): DataArray {
  if (dtypeOf(B) !== dtypeOf(A)) throw new InvalidArgumentError('matMul', 'B', `has another dtype than A (${dtypeOf(A)})`);
  if (A.length !== M * K) throw new InvalidArgumentError('matMul', 'A', `holds ${A.length} values but (M, K) = (${M}, ${K}) needs ${M * K}`);
  if (B.length !== K * N) throw new InvalidArgumentError('matMul', 'B', `holds ${B.length} values but (K, N) = (${K}, ${N}) needs ${K * N}`);
  const packed = new PackedMatrix(engine, A, M, K);
  try {
    return packed.multiply(B, N);
  } finally {
    packed.dispose();
  }
}
