import { allocate, InvalidArgumentError, type DataArray } from '@rnn/tensor';
import { padBatch, type Engine } from './engine.js';
import { Workspace } from './workspace.js';

/**
 * `C = A·B` for row-major `A (M, K)` and `B (K, N)` of one dtype, on an engine: the product every
 * kernel of the CPU backend is built on (A packed into 4-row panels, B and C padded to whole
 * vectors), exposed for benchmarks and for users who want a plain matrix product.
 */
export function matMul(engine: Engine, A: DataArray, B: DataArray, M: number, K: number, N: number): DataArray {
  const dtype = A instanceof Float32Array ? 'float32' : 'float64';
  if ((B instanceof Float32Array ? 'float32' : 'float64') !== dtype) throw new InvalidArgumentError('matMul', 'B', `has another dtype than A (${dtype})`);
  if (A.length !== M * K) throw new InvalidArgumentError('matMul', 'A', `holds ${A.length} values but (M, K) = (${M}, ${K}) needs ${M * K}`);
  if (B.length !== K * N) throw new InvalidArgumentError('matMul', 'B', `holds ${B.length} values but (K, N) = (${K}, ${N}) needs ${K * N}`);
  const Np = padBatch(N);
  return Workspace.run(engine, dtype, (ws) => {
    const e = ws.ops;
    const ap = ws.alloc(e.packedLength(M, K));
    e.packA(ws.write(A), K, 1, 0, K, 1, M, ap);
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
    const out = allocate(M * N, dtype);
    const heap = e.heap();
    for (let i = 0; i < M; i++) out.set(heap.subarray(c + i * Np, c + i * Np + N), i * N);
    return out;
  });
}
