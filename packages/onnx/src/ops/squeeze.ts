import { integers, type Dim, type HostValue, type Known } from '../graph/host-value.js';
import { normalizeAxes, type Fail } from '../graph/shape.js';
import type { Attributes } from '../graph/attributes.js';
import { hostNode, input, requireRank, requireType, type BoundNode, type NodeContext, type Operator } from './operator.js';

/** The axes of `Squeeze`/`Unsqueeze`: the `axes` attribute before opset 13, the second input from 13. */
function axesSource(attrs: Attributes, ctx: NodeContext): { fromAttribute: number[] | undefined; fromInput: boolean } {
  if (ctx.opset >= 13) {
    if (attrs.has('axes')) ctx.fail('attribute axes was replaced by the axes input in opset 13; the model imports opset ' + String(ctx.opset));
    return { fromAttribute: undefined, fromInput: true };
  }
  return { fromAttribute: attrs.ints('axes'), fromInput: false };
}

/** The axes given by the second input, when it is known. */
function axesInput(k: Known | undefined, fail: Fail): number[] | undefined {
  if (k === undefined) return undefined;
  requireType(k, ['int64'], 'input axes', fail);
  requireRank(k, 1, 'input axes', fail);
  return k.value === undefined ? undefined : integers(k.value);
}

function squeezeShape(shape: readonly Dim[], axes: readonly number[] | undefined, fail: Fail): Dim[] | undefined {
  if (axes === undefined) {
    if (shape.some((d) => d === null)) return undefined;
    return shape.filter((d) => d !== 1);
  }
  const drop = normalizeAxes(axes, shape.length, fail);
  for (const a of drop) {
    const d = shape[a];
    if (d !== null && d !== 1) fail(`cannot squeeze axis ${a} of size ${d} (shape [${shape.map((x) => x ?? '?').join(', ')}])`);
  }
  return shape.filter((_, i) => !drop.includes(i));
}

function unsqueezeShape(shape: readonly Dim[], axes: readonly number[], fail: Fail): Dim[] {
  const rank = shape.length + axes.length;
  const add = normalizeAxes(axes, rank, fail);
  const out: Dim[] = [];
  let from = 0;
  for (let i = 0; i < rank; i++) out.push(add.includes(i) ? 1 : (shape[from++] as Dim));
  return out;
}

function bindReshaping(attrs: Attributes, ctx: NodeContext, kind: 'Squeeze' | 'Unsqueeze'): BoundNode {
  const { fromAttribute, fromInput } = axesSource(attrs, ctx);
  attrs.done();
  if (kind === 'Unsqueeze' && !fromInput && fromAttribute === undefined) ctx.fail('needs the axes attribute');
  const newShape = (shape: readonly Dim[], axes: number[] | undefined, fail: Fail): Dim[] | undefined => {
    if (kind === 'Squeeze') return squeezeShape(shape, axes, fail);
    if (axes === undefined) return undefined;
    return unsqueezeShape(shape, axes, fail);
  };
  return hostNode(
    (inputs) => {
      const x = input(inputs, 0);
      if (kind === 'Unsqueeze' && fromInput && inputs[1] === undefined) ctx.fail('needs the axes input (opset 13)');
      if (!fromInput && inputs[1] !== undefined) ctx.fail(`takes its axes as an attribute before opset 13, not as an input (the model imports opset ${ctx.opset})`);
      const axes = fromInput ? axesInput(inputs[1], ctx.fail) : fromAttribute;
      const shape = x.shape === undefined ? undefined : newShape(x.shape, axes, ctx.fail);
      return [{ type: x.type, shape }];
    },
    (inputs, run) => {
      const x = input(inputs, 0);
      const axesValue = inputs[1];
      const axes = fromInput ? (axesValue === undefined ? undefined : integers(axesValue)) : fromAttribute;
      const shape = newShape(x.shape, axes, run.fail) as number[];
      const out: HostValue = { type: x.type, shape, data: x.data };
      return [out];
    },
  );
}

/** `Squeeze`: drops axes of size 1 (the given `axes`, else every one); axes an attribute before opset 13, an input from 13. */
export const Squeeze: Operator = {
  inputs: [1, 2],
  outputs: [1, 1],
  since: 1,
  bind: (attrs, ctx) => bindReshaping(attrs, ctx, 'Squeeze'),
};

/** `Unsqueeze`: inserts axes of size 1 at `axes` of the output; an attribute before opset 13, an input from 13. */
export const Unsqueeze: Operator = {
  inputs: [1, 2],
  outputs: [1, 1],
  since: 1,
  bind: (attrs, ctx) => bindReshaping(attrs, ctx, 'Unsqueeze'),
};
