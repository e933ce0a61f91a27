import type { HostValue } from '../graph/host-value.js';
import { tensorValue } from '../graph/tensor-value.js';
import { hostNode, type Operator } from './operator.js';

/**
 * `Constant`: `value` (a tensor), or from opset 12 `value_float(s)` / `value_int(s)`. String and
 * sparse values are refused.
 */
export const Constant: Operator = {
  inputs: [0, 0],
  outputs: [1, 1],
  since: 1,
  bind(attrs, ctx) {
    const forms: [string, () => HostValue | undefined][] = [
      ['value', () => {
        const t = attrs.tensor('value');
        return t === undefined ? undefined : tensorValue(t, ctx.limits, ctx.fail, 'attribute value');
      }],
      ['value_float', () => {
        const f = attrs.float('value_float', undefined, 12);
        return f === undefined ? undefined : { type: 'float32', shape: [], data: Float32Array.of(f) };
      }],
      ['value_floats', () => {
        const f = attrs.floats('value_floats', 12);
        return f === undefined ? undefined : { type: 'float32', shape: [f.length], data: Float32Array.from(f) };
      }],
      ['value_int', () => {
        const i = attrs.int('value_int', undefined, 12);
        return i === undefined ? undefined : { type: 'int64', shape: [], data: Float64Array.of(i) };
      }],
      ['value_ints', () => {
        const i = attrs.ints('value_ints', 12);
        return i === undefined ? undefined : { type: 'int64', shape: [i.length], data: Float64Array.from(i) };
      }],
    ];
    const given = forms.filter(([name]) => attrs.has(name));
    if (given.length !== 1) {
      const other = ['sparse_value', 'value_string', 'value_strings'].filter((n) => attrs.has(n));
      if (other.length > 0) ctx.fail(`attribute ${other.join(', ')} is not supported (numeric tensors only)`);
      ctx.fail(`needs exactly one of ${forms.map(([n]) => n).join(', ')}, got ${given.length}`);
    }
    const value = (given[0] as [string, () => HostValue | undefined])[1]() ?? ctx.fail('has no value');
    attrs.done();
    return hostNode(() => [{ type: value.type, shape: value.shape, value }], () => [value]);
  },
};
