import { allocateValue, checkShape, integers, type Dim, type HostValue } from '../graph/host-value.js';
import { tensorValue } from '../graph/tensor-value.js';
import { hostNode, input, requireRank, requireType, type Operator } from './operator.js';

/**
 * `ConstantOfShape` (opset 9): a tensor of the shape its input gives, every element `value`
 * (a one-element tensor; float32 0 by default). PyTorch's exporter builds zero initial states this
 * way when `h0` is not passed and the batch size is dynamic.
 */
export const ConstantOfShape: Operator = {
  inputs: [1, 1],
  outputs: [1, 1],
  since: 9,
  bind(attrs, ctx) {
    const t = attrs.tensor('value');
    attrs.done();
    const fill: HostValue = t === undefined ? { type: 'float32', shape: [1], data: Float32Array.of(0) } : tensorValue(t, ctx.limits, ctx.fail, 'attribute value');
    if (fill.data.length !== 1) ctx.fail(`attribute value must hold one element, got ${fill.data.length}`);
    return hostNode(
      (inputs) => {
        const s = input(inputs, 0);
        requireType(s, ['int64'], 'input shape', ctx.fail);
        requireRank(s, 1, 'input shape', ctx.fail);
        if (s.value === undefined) {
          const rank = s.shape?.[0];
          return [{ type: fill.type, shape: rank === null || rank === undefined ? undefined : new Array<Dim>(rank).fill(null) }];
        }
        const shape = integers(s.value);
        checkShape(shape, ctx.limits, ctx.fail, 'the output');
        return [{ type: fill.type, shape }];
      },
      (inputs, run) => {
        const out = allocateValue(fill.type, integers(input(inputs, 0)), run.limits, run.fail, 'the output');
        out.data.fill(fill.data[0] as number);
        return [out];
      },
    );
  },
};
