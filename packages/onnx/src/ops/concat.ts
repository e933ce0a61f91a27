import { allocateValue, checkShape, stridesOf, type Dim, type HostValue, type Known } from '../graph/host-value.js';
import { normalizeAxis, sameDim, type Fail } from '../graph/shape.js';
import { hostNode, type Operator } from './operator.js';

function concatShape(shapes: readonly (readonly Dim[])[], axis: number, fail: Fail): { shape: Dim[]; axis: number } {
  const rank = (shapes[0] as readonly Dim[]).length;
  const a = normalizeAxis(axis, rank, fail);
  const out: Dim[] = [...(shapes[0] as readonly Dim[])];
  shapes.forEach((s, k) => {
    if (s.length !== rank) fail(`input ${k} has rank ${s.length}, input 0 rank ${rank}`);
    if (k === 0) return;
    for (let i = 0; i < rank; i++) {
      if (i === a) out[i] = out[i] === null || s[i] === null ? null : (out[i] as number) + (s[i] as number);
      else out[i] = sameDim(out[i] as Dim, s[i] as Dim, fail, `input ${k} dimension ${i} (not the concatenation axis ${a})`);
    }
  });
  return { shape: out, axis: a };
}

/** `Concat`: joins its inputs along `axis` (required; negative counts from the end). */
export const Concat: Operator = {
  inputs: [1, Number.POSITIVE_INFINITY],
  outputs: [1, 1],
  since: 4,
  bind(attrs, ctx) {
    const axis = attrs.int('axis') ?? ctx.fail('needs the axis attribute');
    attrs.done();
    return hostNode(
      (inputs) => {
        const known = inputs.filter((k): k is Known => k !== undefined);
        const type = (known[0] as Known).type;
        known.forEach((k, i) => {
          if (k.type !== type) ctx.fail(`input ${i} is ${k.type}, input 0 ${type}`);
        });
        if (known.some((k) => k.shape === undefined)) return [{ type, shape: undefined }];
        const { shape } = concatShape(known.map((k) => k.shape as readonly Dim[]), axis, ctx.fail);
        checkShape(shape, ctx.limits, ctx.fail, 'the output');
        return [{ type, shape }];
      },
      (inputs, run) => {
        const values = inputs.filter((v): v is HostValue => v !== undefined);
        const { shape, axis: a } = concatShape(values.map((v) => v.shape), axis, run.fail);
        const out = allocateValue((values[0] as HostValue).type, shape as number[], run.limits, run.fail, 'the output');
        // Each input is `outer` blocks of `inner = dims[a:]` elements, interleaved block by block.
        const outer = (shape as number[]).slice(0, a).reduce((p, d) => p * d, 1);
        const outBlock = (stridesOf(shape as number[])[a] as number) * (shape[a] as number);
        let at = 0;
        for (const v of values) {
          const block = (stridesOf(v.shape)[a] as number) * (v.shape[a] as number);
          for (let o = 0; o < outer; o++) out.data.set(v.data.subarray(o * block, (o + 1) * block), o * outBlock + at);
          at += block;
        }
        return [out];
      },
    );
  },
};
