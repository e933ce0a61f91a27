import { allocateValue, checkShape, type Dim, type HostValue } from '../graph/host-value.js';
import { sameDim, type Fail } from '../graph/shape.js';
import { hostNode, input, requireRank, requireType, type Operator } from './operator.js';

/** `Gemm`: `Y = alpha·A'·B' + beta·C` with `A' = transA ? Aᵀ : A`, `B'` likewise, `C` broadcast to `(M, N)` (optional from opset 11). */
export const Gemm: Operator = {
  inputs: [2, 3],
  outputs: [1, 1],
  since: 7,
  bind(attrs, ctx) {
    const alpha = attrs.float('alpha', 1);
    const beta = attrs.float('beta', 1);
    const transA = attrs.int('transA', 0) !== 0;
    const transB = attrs.int('transB', 0) !== 0;
    attrs.done();
    const dims = (a: readonly Dim[], b: readonly Dim[], c: readonly Dim[] | undefined, fail: Fail): [Dim, Dim] => {
      const [M, K] = transA ? [a[1] as Dim, a[0] as Dim] : [a[0] as Dim, a[1] as Dim];
      const [K2, N] = transB ? [b[1] as Dim, b[0] as Dim] : [b[0] as Dim, b[1] as Dim];
      sameDim(K, K2, fail, `inner dimensions of A [${a.join(', ')}] and B [${b.join(', ')}] (transA ${Number(transA)}, transB ${Number(transB)})`);
      if (c !== undefined) {
        if (c.length > 2) fail(`C has rank ${c.length}; it must broadcast to (M, N)`);
        const full = [...new Array<Dim>(2 - c.length).fill(1), ...c];
        [M, N].forEach((d, i) => {
          const ci = full[i] as Dim;
          if (ci !== 1 && ci !== null && d !== null && ci !== d) fail(`C of shape [${c.join(', ')}] does not broadcast to (M, N) = (${M}, ${N})`);
        });
      }
      return [M, N];
    };
    return hostNode(
      (inputs) => {
        const [a, b, c] = [input(inputs, 0), input(inputs, 1), inputs[2]];
        for (const [k, what] of [[a, 'A'], [b, 'B'], ...(c === undefined ? [] : [[c, 'C'] as const])] as const) {
          requireType(k, ['float32'], `input ${what}`, ctx.fail);
        }
        requireRank(a, 2, 'input A', ctx.fail);
        requireRank(b, 2, 'input B', ctx.fail);
        if (a.shape === undefined || b.shape === undefined || (c !== undefined && c.shape === undefined)) return [{ type: 'float32', shape: [null, null] }];
        const shape = dims(a.shape, b.shape, c?.shape, ctx.fail);
        checkShape(shape, ctx.limits, ctx.fail, 'the output');
        return [{ type: 'float32', shape }];
      },
      (inputs, run) => {
        const [a, b, c] = [input(inputs, 0), input(inputs, 1), inputs[2]];
        const [M, N] = dims(a.shape, b.shape, c?.shape, run.fail) as [number, number];
        const K = transA ? (a.shape[0] as number) : (a.shape[1] as number);
        const out = allocateValue('float32', [M, N], run.limits, run.fail, 'the output');
        const at = (v: HostValue, t: boolean, r: number, col: number, cols: number, rows: number): number => (t ? v.data[col * rows + r] : v.data[r * cols + col]) as number;
        const cAt = (m: number, n: number): number => {
          if (c === undefined) return 0;
          const full = [...new Array<number>(2 - c.shape.length).fill(1), ...c.shape];
          return c.data[(full[0] === 1 ? 0 : m) * (full[1] as number) + (full[1] === 1 ? 0 : n)] as number;
        };
        for (let m = 0; m < M; m++) {
          for (let n = 0; n < N; n++) {
            let sum = 0;
            for (let k = 0; k < K; k++) sum += at(a, transA, m, k, K, M) * at(b, transB, k, n, N, K);
            out.data[m * N + n] = alpha * sum + beta * cAt(m, n);
          }
        }
        return [out];
      },
    );
  },
};
