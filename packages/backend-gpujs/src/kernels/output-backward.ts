import type { OutputBackwardArgs, OutputBackwardResult } from '@rnn/tensor';
import type { GpuContext } from '../gpu-context.js';
import { affineInputGradDef, affineWeightGradDef } from './affine.js';

/**
 * The output layer's backward over every step from the logits' gradient `dz (nY, m, T)`, in two
 * launches over the `m·T` columns: `da = Wᵀ·dz` `(nA, m, T)`, then `[dW | db]` with
 * `dW = Σ dz·aᵀ` `(nY, nA)` and `db = Σ dz` `(nY, 1)`, summed over batch and time.
 */
export function outputBackward(ctx: GpuContext, p: OutputBackwardArgs): OutputBackwardResult {
  const [nY = 0, ...columns] = p.dz.shape;
  const nA = p.W.shape[1] ?? 0;
  const M = columns.reduce((x, y) => x * y, 1);
  const dtype = p.dz.dtype;
  const da = ctx.run(affineInputGradDef('outputInputGrad', { R: nY, colsA: nA, colsB: 0, M, rowFrom: 0, rows: nA }), [p.W, p.W, p.dz]);
  const grads = ctx.run(affineWeightGradDef('outputWeightGrad', { R: nY, nP: nA, nX: 0, M, acc: false }), [p.dz, p.a, p.a, p.dz, p.dz, p.dz]);
  return {
    da: ctx.view(da, 0, [nA, ...columns], dtype),
    dW: ctx.view(grads, 0, [nY, nA], dtype),
    db: ctx.view(grads, nY * nA, [nY, 1], dtype),
  };
}
