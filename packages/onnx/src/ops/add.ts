import { allocateValue, checkShape, elementCount, stridesOf, type HostValue } from '../graph/host-value.js';
import { broadcastShapes } from '../graph/shape.js';
import { hostNode, input, requireType, type Operator } from './operator.js';

/** Strides of `v` read as a tensor of `shape` it broadcasts to (0 along broadcast axes). */
export function broadcastStrides(v: HostValue, shape: readonly number[]): number[] {
  const own = stridesOf(v.shape);
  const offset = shape.length - v.shape.length;
  return shape.map((_, i) => (i < offset || v.shape[i - offset] === 1 ? 0 : (own[i - offset] as number)));
}

/** `Add`: element-wise sum with NumPy broadcasting, float32 or two integer tensors of one type. */
export const Add: Operator = {
  inputs: [2, 2],
  outputs: [1, 1],
  since: 7,
  bind(attrs, ctx) {
    attrs.done();
    return hostNode(
      (inputs) => {
        const [a, b] = [input(inputs, 0), input(inputs, 1)];
        requireType(a, ['float32', 'int64', 'int32'], 'input A', ctx.fail);
        if (a.type !== b.type) ctx.fail(`input A is ${a.type} but input B ${b.type}`);
        if (a.shape === undefined || b.shape === undefined) return [{ type: a.type, shape: undefined }];
        const shape = broadcastShapes(a.shape, b.shape, ctx.fail, 'A + B');
        checkShape(shape, ctx.limits, ctx.fail, 'the output');
        return [{ type: a.type, shape }];
      },
      (inputs, run) => {
        const [a, b] = [input(inputs, 0), input(inputs, 1)];
        const shape = broadcastShapes(a.shape, b.shape, run.fail, 'A + B') as number[];
        const out = allocateValue(a.type, shape, run.limits, run.fail, 'the output');
        const sa = broadcastStrides(a, shape);
        const sb = broadcastStrides(b, shape);
        const rank = shape.length;
        const index = new Array<number>(rank).fill(0);
        let [i, j] = [0, 0];
        const n = elementCount(shape);
        for (let k = 0; k < n; k++) {
          out.data[k] = (a.data[i] as number) + (b.data[j] as number);
          for (let axis = rank - 1; axis >= 0; axis--) {
            index[axis] = (index[axis] as number) + 1;
            i += sa[axis] as number;
            j += sb[axis] as number;
            if ((index[axis] as number) < (shape[axis] as number)) break;
            i -= (sa[axis] as number) * (shape[axis] as number);
            j -= (sb[axis] as number) * (shape[axis] as number);
            index[axis] = 0;
          }
        }
        return [out];
      },
    );
  },
};
