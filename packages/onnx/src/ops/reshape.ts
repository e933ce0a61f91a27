import { elementCount, integers, knownCount, type Dim } from '../graph/host-value.js';
import type { Fail } from '../graph/shape.js';
import { hostNode, input, requireRank, requireType, type Operator } from './operator.js';

/**
 * The output shape of `Reshape`: `0` copies the input's dim (unless `allowzero`), `-1` takes
 * what is left. `null` where the input's dims are not known yet.
 */
function reshaped(from: readonly Dim[] | undefined, spec: readonly number[], allowZero: boolean, fail: Fail): Dim[] {
  if (spec.filter((d) => d === -1).length > 1) fail(`shape [${spec.join(', ')}] has more than one -1`);
  if (allowZero && spec.includes(0) && spec.includes(-1)) fail(`shape [${spec.join(', ')}] has both 0 and -1 with allowzero = 1`);
  const out: Dim[] = spec.map((d, i) => {
    if (d < -1 || !Number.isSafeInteger(d)) fail(`shape [${spec.join(', ')}] has dimension ${d}`);
    if (d === 0 && !allowZero) {
      if (from !== undefined && i >= from.length) fail(`shape [${spec.join(', ')}] copies dimension ${i} (0) of an input of rank ${from.length}`);
      return from === undefined ? null : (from[i] as Dim);
    }
    return d;
  });
  const total = knownCount(from);
  const rest = out.filter((d) => d !== -1);
  const restCount = knownCount(rest);
  const hole = out.indexOf(-1);
  if (hole >= 0) {
    if (total === null || restCount === null) out[hole] = null;
    else {
      if (restCount === 0 || total % restCount !== 0) fail(`cannot reshape ${total} elements into [${spec.join(', ')}]`);
      out[hole] = total / restCount;
    }
  } else if (total !== null && restCount !== null && total !== restCount) {
    fail(`cannot reshape ${total} elements (shape [${(from ?? []).join(', ')}]) into [${out.join(', ')}]`);
  }
  return out;
}

/** `Reshape` (opset 5 and later: the shape is the second input), with `allowzero` from opset 14. */
export const Reshape: Operator = {
  inputs: [2, 2],
  outputs: [1, 1],
  since: 5,
  bind(attrs, ctx) {
    const allowZero = attrs.int('allowzero', 0, 14) === 1;
    attrs.done();
    return hostNode(
      (inputs) => {
        const x = input(inputs, 0);
        const s = input(inputs, 1);
        requireType(s, ['int64'], 'input shape', ctx.fail);
        requireRank(s, 1, 'input shape', ctx.fail);
        if (s.value === undefined) {
          const rank = s.shape?.[0];
          return [{ type: x.type, shape: rank === null || rank === undefined ? undefined : new Array<Dim>(rank).fill(null) }];
        }
        return [{ type: x.type, shape: reshaped(x.shape, integers(s.value), allowZero, ctx.fail) }];
      },
      (inputs, run) => {
        const x = input(inputs, 0);
        const shape = reshaped(x.shape, integers(input(inputs, 1)), allowZero, run.fail) as number[];
        if (elementCount(shape) !== x.data.length) run.fail(`cannot reshape [${x.shape.join(', ')}] into [${shape.join(', ')}]`);
        return [{ type: x.type, shape, data: x.data }];
      },
    );
  },
};
