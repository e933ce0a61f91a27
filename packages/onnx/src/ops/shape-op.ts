import type { HostValue } from '../graph/host-value.js';
import { hostNode, input, type Operator } from './operator.js';

/** The dims `[start, end)` of a rank-`rank` shape, as ONNX `Shape` clamps them (opset 15). */
function window(start: number, end: number | undefined, rank: number): [number, number] {
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  return [clamp(start), clamp(end ?? rank)];
}

/** `Shape`: the input's shape as a 1-D int64 tensor, optionally a window `start`/`end` of it (opset 15). */
export const Shape: Operator = {
  inputs: [1, 1],
  outputs: [1, 1],
  since: 1,
  bind(attrs) {
    const start = attrs.int('start', 0, 15);
    const end = attrs.int('end', undefined, 15);
    attrs.done();
    const of = (dims: readonly number[]): HostValue => {
      const [s, e] = window(start, end, dims.length);
      const picked = dims.slice(s, Math.max(s, e));
      return { type: 'int64', shape: [picked.length], data: Float64Array.from(picked) };
    };
    return hostNode(
      (inputs) => {
        const shape = input(inputs, 0).shape;
        if (shape === undefined) return [{ type: 'int64', shape: [null] }];
        const [s, e] = window(start, end, shape.length);
        const picked = shape.slice(s, Math.max(s, e));
        const known = picked.every((d): d is number => d !== null);
        return [{ type: 'int64', shape: [picked.length], value: known ? of(shape as number[]) : undefined }];
      },
      (inputs) => [of(input(inputs, 0).shape)],
    );
  },
};
