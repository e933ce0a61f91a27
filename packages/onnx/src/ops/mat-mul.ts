import { allocateValue, checkShape, elementCount, type Dim, type HostValue } from '../graph/host-value.js';
import { broadcastShapes, sameDim, type Fail } from '../graph/shape.js';
import { broadcastStrides } from './add.js';
import { hostNode, input, requireType, type Operator } from './operator.js';

/** The output shape of NumPy's `matmul`: 1-D operands promoted and their axis dropped again, batch dims broadcast. */
function matMulShape(a: readonly Dim[], b: readonly Dim[], fail: Fail): Dim[] {
  if (a.length === 0 || b.length === 0) fail('MatMul of a scalar');
  const A = a.length === 1 ? [1, a[0] as Dim] : a;
  const B = b.length === 1 ? [b[0] as Dim, 1] : b;
  sameDim(A[A.length - 1] as Dim, B[B.length - 2] as Dim, fail, `inner dimensions of A [${a.join(', ')}] and B [${b.join(', ')}]`);
  const batch = broadcastShapes(A.slice(0, -2), B.slice(0, -2), fail, 'batch dimensions of A and B');
  return [...batch, ...(a.length === 1 ? [] : [A[A.length - 2] as Dim]), ...(b.length === 1 ? [] : [B[B.length - 1] as Dim])];
}

/** `C = A·B` over the last two axes for every batch index, accumulated in float64. */
export function matMulValues(a: HostValue, b: HostValue, out: HostValue): void {
  const A = a.shape.length === 1 ? { ...a, shape: [1, a.shape[0] as number] } : a;
  const B = b.shape.length === 1 ? { ...b, shape: [b.shape[0] as number, 1] } : b;
  const [M, K] = A.shape.slice(-2) as [number, number];
  const N = B.shape[B.shape.length - 1] as number;
  const batch = broadcastShapes(A.shape.slice(0, -2), B.shape.slice(0, -2), () => {
    throw new Error('matMulValues: the shapes were checked before');
  }, 'batch dimensions') as number[];
  const count = elementCount(batch);
  const aBatch = broadcastStrides({ ...A, shape: A.shape.slice(0, -2) }, batch);
  const bBatch = broadcastStrides({ ...B, shape: B.shape.slice(0, -2) }, batch);
  const row = new Float64Array(N);
  for (let n = 0; n < count; n++) {
    let [ao, bo, rest] = [0, 0, n];
    for (let i = batch.length - 1; i >= 0; i--) {
      const d = batch[i] as number;
      const idx = rest % d;
      rest = Math.floor(rest / d);
      ao += idx * (aBatch[i] as number);
      bo += idx * (bBatch[i] as number);
    }
    ao *= M * K;
    bo *= K * N;
    for (let m = 0; m < M; m++) {
      row.fill(0);
      for (let k = 0; k < K; k++) {
        const av = A.data[ao + m * K + k] as number;
        if (av === 0) continue;
        const bRow = bo + k * N;
        for (let j = 0; j < N; j++) row[j] = (row[j] as number) + av * (B.data[bRow + j] as number);
      }
      out.data.set(row, (n * M + m) * N);
    }
  }
}

/** `MatMul`: NumPy's `matmul` on float32 (1-D operands promoted, batch dims broadcast), computed in float64 on the host. */
export const MatMul: Operator = {
  inputs: [2, 2],
  outputs: [1, 1],
  since: 1,
  bind(attrs, ctx) {
    attrs.done();
    return hostNode(
      (inputs) => {
        const [a, b] = [input(inputs, 0), input(inputs, 1)];
        requireType(a, ['float32'], 'input A', ctx.fail);
        requireType(b, ['float32'], 'input B', ctx.fail);
        if (a.shape === undefined || b.shape === undefined) return [{ type: 'float32', shape: undefined }];
        const shape = matMulShape(a.shape, b.shape, ctx.fail);
        checkShape(shape, ctx.limits, ctx.fail, 'the output');
        return [{ type: 'float32', shape }];
      },
      (inputs, run) => {
        const [a, b] = [input(inputs, 0), input(inputs, 1)];
        const out = allocateValue('float32', matMulShape(a.shape, b.shape, run.fail) as number[], run.limits, run.fail, 'the output');
        matMulValues(a, b, out);
        return [out];
      },
    );
  },
};
