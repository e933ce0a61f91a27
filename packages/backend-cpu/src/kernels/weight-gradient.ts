import type { DataArray } from '@rnn/tensor';
import { BATCH_PAD } from '../engine/engine.js';
import type { Workspace } from '../engine/workspace.js';
import type { SequenceDims } from './padded.js';

/**
 * The weight gradient of a recurrent layer as one product over all steps:
 * `dW (rows, K) = Σ_t dG⟨t⟩·[aPrev⟨t⟩; x⟨t⟩]ᵀ = dG (rows, T·mp) · concatᵀ (T·mp, K)`, with
 * `K = n_a + n_x`. `dG` and `xs` are time major `(T, ·, mp)` in time order; `h` holds the states
 * in the order the steps were walked, slot 0 the initial one, so the state before time step `t`
 * is slot `t` walking forward and slot `T − 1 − t` in reverse. `acc` (row-major `(rows, K)`
 * values, per block of rows) is added when given. Returns the heap index of `dW`, stored
 * `(rows, Kp)` with `Kp` = `K` padded for the engine.
 */
export function concatWeightGradient(
  ws: Workspace, dG: number, rows: number, h: number, xs: number, d: SequenceDims, acc?: readonly DataArray[],
): { readonly dW: number; readonly Kp: number } {
  const { nX, nA, T, mp } = d;
  const n = nA * mp;
  const e = ws.ops;
  const K = nA + nX;
  const Kp = Math.ceil(K / BATCH_PAD) * BATCH_PAD;
  const concatT = ws.zeros(T * mp * Kp);
  if (d.reverse) e.transposeBlocks(h + (T - 1) * n, nA, mp, mp, -n, concatT, Kp, mp * Kp, T);
  else e.transposeBlocks(h, nA, mp, mp, n, concatT, Kp, mp * Kp, T);
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
