import { allocateValue, elementCount } from '../graph/host-value.js';
import { normalizeAxis } from '../graph/shape.js';
import { hostNode, input, requireType, type Operator } from './operator.js';

/**
 * `Softmax`. From opset 13 it normalizes along `axis` (default −1); before, along all the axes
 * from `axis` (default 1) on, the input read as a matrix `(∏ dims[:axis], ∏ dims[axis:])`.
 */
export const Softmax: Operator = {
  inputs: [1, 1],
  outputs: [1, 1],
  since: 1,
  bind(attrs, ctx) {
    const modern = ctx.opset >= 13;
    const axis = attrs.int('axis', modern ? -1 : 1);
    attrs.done();
    return hostNode(
      (inputs) => {
        const x = input(inputs, 0);
        requireType(x, ['float32'], 'input', ctx.fail);
        if (x.shape !== undefined) normalizeAxis(axis, x.shape.length, ctx.fail);
        return [{ type: 'float32', shape: x.shape }];
      },
      (inputs, run) => {
        const x = input(inputs, 0);
        const a = normalizeAxis(axis, x.shape.length, run.fail);
        const out = allocateValue('float32', x.shape, run.limits, run.fail, 'the output');
        // Groups of `span` values `stride` apart: along one axis, or (before opset 13) the flattened tail.
        const outer = elementCount(x.shape.slice(0, a));
        const span = modern ? (x.shape[a] as number) : elementCount(x.shape.slice(a));
        const stride = modern ? elementCount(x.shape.slice(a + 1)) : 1;
        const inner = modern ? stride : 1;
        for (let o = 0; o < outer; o++) {
          for (let i = 0; i < inner; i++) {
            const base = o * span * inner + i;
            let max = Number.NEGATIVE_INFINITY;
            for (let s = 0; s < span; s++) max = Math.max(max, x.data[base + s * stride] as number);
            let sum = 0;
            for (let s = 0; s < span; s++) sum += Math.exp((x.data[base + s * stride] as number) - max);
            for (let s = 0; s < span; s++) out.data[base + s * stride] = Math.exp((x.data[base + s * stride] as number) - max) / sum;
          }
        }
        return [out];
      },
    );
  },
};
