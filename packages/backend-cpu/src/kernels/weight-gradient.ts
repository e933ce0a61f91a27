import type { DataArray } from '@rnn/tensor';
import { BATCH_PAD } from '../engine/engine.js';
import type { Workspace } from '../engine/workspace.js';
import type { SequenceDims } from './padded.js';

/**
 * The weight gradient of a recurrent layer as one product over all steps:
 * `dW (rows, K) = Σ_t dG⟨t⟩·[a⟨t−1⟩; x⟨t⟩]ᵀ = dG (rows, T·mp) · concatᵀ (T·mp, K)`, with
 * `K = n_a + n_x`. `dG` and `xs` are time major `(T, ·, mp)`, `h` holds `a⟨0⟩ … a⟨T−1⟩` in its
 * first `T` slots. `acc` (row-major `(rows, K)` values, per block of rows) is added when given.
 * Returns the heap index of `dW`, stored `(rows, Kp)` with `Kp` = `K` padded for the engine.
 */
export function concatWeightGradient(
  ws: Workspace, dG: number, rows: number, h: number, xs: number, d: SequenceDims, acc?: readonly DataArray[],
): { readonly dW: number; readonly Kp: number } {
  const { nX, nA, T, mp } = d;
  const e = ws.ops;
  const K = nA + nX;
  const Kp = Math.ceil(K / BATCH_PAD) * BATCH_PAD;
  const concatT = ws.zeros(T * mp * Kp);
  e.transposeBlocks(h, nA, mp, mp, nA * mp, concatT, Kp, mp * Kp, T);
  e.transposeBlocks(xs, nX, mp, mp, nX * mp, concatT + nA, Kp, mp * Kp, T);
  const dGp = ws.alloc(e.packedLength(rows, T * mp));
  e.packA(dG, mp, 1, rows * mp, mp, T, rows, dGp);
  const dW = ws.alloc(rows * Kp);
  if (acc !== undefined) {
    const heap = e.heap();
    let row = 0;
    for (const block of acc) {
      for (let r = 0; r < block.length / K; r++, row++) heap.set(block.subarray(r * K, r * K + K), dW + row * Kp);
    }
  }
  e.gemm(dGp, rows, T * mp, concatT, Kp, 0, dW, Kp, 0, Kp, 1, acc !== undefined);
  return { dW, Kp };
}
