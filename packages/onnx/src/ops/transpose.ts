import { transposeValue } from '../graph/layout.js';
import { hostNode, input, type Operator } from './operator.js';

/** `Transpose`: permutes the axes by `perm` (default: reversed). */
export const Transpose: Operator = {
  inputs: [1, 1],
  outputs: [1, 1],
  since: 1,
  bind(attrs, ctx) {
    const given = attrs.ints('perm');
    attrs.done();
    const permFor = (rank: number, fail: (p: string) => never): number[] => {
      const perm = given ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
      const sorted = [...perm].sort((a, b) => a - b);
      if (perm.length !== rank || sorted.some((p, i) => p !== i)) fail(`perm [${perm.join(', ')}] is not a permutation of the ${rank} axes of the input`);
      return perm;
    };
    return hostNode(
      (inputs) => {
        const x = input(inputs, 0);
        if (x.shape === undefined) return [{ type: x.type, shape: given === undefined ? undefined : given.map(() => null) }];
        const perm = permFor(x.shape.length, ctx.fail);
        return [{ type: x.type, shape: perm.map((p) => x.shape?.[p] ?? null) }];
      },
      (inputs, run) => {
        const x = input(inputs, 0);
        return [transposeValue(x, permFor(x.shape.length, run.fail))];
      },
    );
  },
};
