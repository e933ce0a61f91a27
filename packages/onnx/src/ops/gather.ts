import { allocateValue, checkShape, elementCount, type Dim } from '../graph/host-value.js';
import { normalizeAxis } from '../graph/shape.js';
import { hostNode, input, requireType, type Operator } from './operator.js';

/** `Gather`: `data` indexed along `axis` by `indices` (int32 or int64, negative counting from the end). */
export const Gather: Operator = {
  inputs: [2, 2],
  outputs: [1, 1],
  since: 1,
  bind(attrs, ctx) {
    const axis = attrs.int('axis', 0);
    attrs.done();
    return hostNode(
      (inputs) => {
        const data = input(inputs, 0);
        const indices = input(inputs, 1);
        requireType(indices, ['int64', 'int32'], 'input indices', ctx.fail);
        if (data.shape === undefined || indices.shape === undefined) return [{ type: data.type, shape: undefined }];
        const a = normalizeAxis(axis, data.shape.length, ctx.fail);
        const shape: Dim[] = [...data.shape.slice(0, a), ...indices.shape, ...data.shape.slice(a + 1)];
        checkShape(shape, ctx.limits, ctx.fail, 'the output');
        return [{ type: data.type, shape }];
      },
      (inputs, run) => {
        const data = input(inputs, 0);
        const indices = input(inputs, 1);
        const a = normalizeAxis(axis, data.shape.length, run.fail);
        const dim = data.shape[a] as number;
        const outer = elementCount(data.shape.slice(0, a));
        const inner = elementCount(data.shape.slice(a + 1));
        const out = allocateValue(data.type, [...data.shape.slice(0, a), ...indices.shape, ...data.shape.slice(a + 1)], run.limits, run.fail, 'the output');
        const picks = Array.from(indices.data, (v, k) => {
          if (v < -dim || v >= dim) run.fail(`index ${v} (indices[${k}]) is outside [${-dim}, ${dim}) for axis ${a} of shape [${data.shape.join(', ')}]`);
          return v < 0 ? v + dim : v;
        });
        let at = 0;
        for (let o = 0; o < outer; o++) {
          for (const i of picks) {
            out.data.set(data.data.subarray((o * dim + i) * inner, (o * dim + i + 1) * inner), at);
            at += inner;
          }
        }
        return [out];
      },
    );
  },
};
