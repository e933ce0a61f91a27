import { allocateValue, checkShape, elementCount, integers, stridesOf, type Dim, type HostValue, type Known } from '../graph/host-value.js';
import { normalizeAxes, type Fail } from '../graph/shape.js';
import { hostNode, input, requireRank, requireType, type Operator } from './operator.js';

/** `starts`, `ends`, `axes`, `steps` of a `Slice`, when known. */
interface SliceSpec {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly axes: readonly number[] | undefined;
  readonly steps: readonly number[] | undefined;
}

/** Per axis of the input: first index, step and count taken (ONNX's clamping rules). */
function plan(shape: readonly Dim[], spec: SliceSpec, fail: Fail): { start: number; step: number; count: Dim }[] {
  const { starts, ends } = spec;
  const n = starts.length;
  if (ends.length !== n) fail(`starts has ${n} entries, ends ${ends.length}`);
  const axes = normalizeAxes(spec.axes ?? Array.from({ length: n }, (_, i) => i), shape.length, fail);
  if (axes.length !== n) fail(`axes has ${axes.length} entries, starts ${n}`);
  const steps = spec.steps ?? new Array<number>(n).fill(1);
  if (steps.length !== n) fail(`steps has ${steps.length} entries, starts ${n}`);
  const out = shape.map((d) => ({ start: 0, step: 1, count: d }));
  axes.forEach((axis, i) => {
    const dim = shape[axis] as Dim;
    const step = steps[i] as number;
    if (step === 0) fail('a step is 0');
    if (dim === null) {
      out[axis] = { start: 0, step, count: null };
      return;
    }
    let s = starts[i] as number;
    let e = ends[i] as number;
    if (s < 0) s += dim;
    if (e < 0) e += dim;
    if (step > 0) {
      s = Math.min(Math.max(s, 0), dim);
      e = Math.min(Math.max(e, 0), dim);
    } else {
      s = Math.min(Math.max(s, 0), dim - 1);
      e = Math.min(Math.max(e, -1), dim - 1);
    }
    out[axis] = { start: s, step, count: Math.max(0, Math.ceil((e - s) / step)) };
  });
  return out;
}

function specInput(k: Known | undefined, what: string, fail: Fail): { known: boolean; values: number[] | undefined } {
  if (k === undefined) return { known: true, values: undefined };
  requireType(k, ['int64', 'int32'], `input ${what}`, fail);
  requireRank(k, 1, `input ${what}`, fail);
  return k.value === undefined ? { known: false, values: undefined } : { known: true, values: integers(k.value) };
}

/** `Slice`: `starts`/`ends`/`axes` attributes before opset 10; from 10 the inputs `starts`, `ends`, `axes`, `steps`. */
export const Slice: Operator = {
  inputs: [1, 5],
  outputs: [1, 1],
  since: 1,
  bind(attrs, ctx) {
    const fromInputs = ctx.opset >= 10;
    const attrSpec: SliceSpec | undefined = fromInputs
      ? undefined
      : { starts: attrs.ints('starts') ?? ctx.fail('needs the starts attribute'), ends: attrs.ints('ends') ?? ctx.fail('needs the ends attribute'), axes: attrs.ints('axes'), steps: undefined };
    attrs.done();
    return hostNode(
      (inputs) => {
        const x = input(inputs, 0);
        if (!fromInputs && inputs.length > 1) ctx.fail(`takes starts, ends and axes as attributes before opset 10 (the model imports opset ${ctx.opset})`);
        if (fromInputs && (inputs[1] === undefined || inputs[2] === undefined)) ctx.fail('needs the starts and ends inputs');
        let spec = attrSpec;
        if (fromInputs) {
          const [starts, ends, axes, steps] = [1, 2, 3, 4].map((i, k) => specInput(inputs[i], ['starts', 'ends', 'axes', 'steps'][k] as string, ctx.fail));
          const all = [starts, ends, axes, steps].every((p) => p?.known === true);
          spec = all ? { starts: starts?.values ?? [], ends: ends?.values ?? [], axes: axes?.values, steps: steps?.values } : undefined;
        }
        if (x.shape === undefined) return [{ type: x.type, shape: undefined }];
        if (spec === undefined) return [{ type: x.type, shape: x.shape.map(() => null) }];
        const shape = plan(x.shape, spec, ctx.fail).map((p) => p.count);
        checkShape(shape, ctx.limits, ctx.fail, 'the output');
        return [{ type: x.type, shape }];
      },
      (inputs, run) => {
        const x = input(inputs, 0);
        const get = (i: number): number[] | undefined => {
          const v = inputs[i];
          return v === undefined ? undefined : integers(v);
        };
        const spec = attrSpec ?? { starts: get(1) ?? [], ends: get(2) ?? [], axes: get(3), steps: get(4) };
        const p = plan(x.shape, spec, run.fail) as { start: number; step: number; count: number }[];
        const out = allocateValue(x.type, p.map((a) => a.count), run.limits, run.fail, 'the output');
        sliceInto(x, p, out);
        return [out];
      },
    );
  },
};

function sliceInto(x: HostValue, p: readonly { start: number; step: number; count: number }[], out: HostValue): void {
  const strides = stridesOf(x.shape);
  const rank = x.shape.length;
  const n = elementCount(out.shape);
  if (n === 0) return;
  const index = new Array<number>(rank).fill(0);
  let from = p.reduce((acc, a, i) => acc + a.start * (strides[i] as number), 0);
  for (let k = 0; k < n; k++) {
    out.data[k] = x.data[from] as number;
    for (let axis = rank - 1; axis >= 0; axis--) {
      const a = p[axis] as { step: number; count: number };
      const jump = a.step * (strides[axis] as number);
      index[axis] = (index[axis] as number) + 1;
      from += jump;
      if ((index[axis] as number) < a.count) break;
      from -= jump * a.count;
      index[axis] = 0;
    }
  }
}
