import { allocateValue, checkShape, elementCount, integers, type Dim } from '../graph/host-value.js';
import { broadcastShapes } from '../graph/shape.js';
import { broadcastStrides } from './add.js';
import { hostNode, input, requireRank, requireType, type Operator } from './operator.js';

/** `Expand` (opset 8): its input broadcast (NumPy's rules, both ways) with the shape its second input gives. */
export const Expand: Operator = {
  inputs: [2, 2],
  outputs: [1, 1],
  since: 8,
  bind(attrs, ctx) {
    attrs.done();
    return hostNode(
      (inputs) => {
        const x = input(inputs, 0);
        const s = input(inputs, 1);
        requireType(s, ['int64'], 'input shape', ctx.fail);
        requireRank(s, 1, 'input shape', ctx.fail);
        if (x.shape === undefined || s.value === undefined) return [{ type: x.type, shape: undefined }];
        const shape = broadcastShapes(x.shape, integers(s.value) as Dim[], ctx.fail, 'Expand');
        checkShape(shape, ctx.limits, ctx.fail, 'the output');
        return [{ type: x.type, shape }];
      },
      (inputs, run) => {
        const x = input(inputs, 0);
        const shape = broadcastShapes(x.shape, integers(input(inputs, 1)), run.fail, 'Expand') as number[];
        const out = allocateValue(x.type, shape, run.limits, run.fail, 'the output');
        const strides = broadcastStrides(x, shape);
        const n = elementCount(shape);
        for (let k = 0; k < n; k++) {
          let rest = k;
          let from = 0;
          for (let axis = shape.length - 1; axis >= 0; axis--) {
            const d = shape[axis] as number;
            from += (rest % d) * (strides[axis] as number);
            rest = Math.floor(rest / d);
          }
          out.data[k] = x.data[from] as number;
        }
        return [out];
      },
    );
  },
};
