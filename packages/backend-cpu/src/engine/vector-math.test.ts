import { sigmoid } from '@rnn/tensor';
import { describe, expect, it } from 'vitest';
import type { DType } from '@rnn/tensor';
import { WasmEngine } from './wasm-engine.js';
import { Workspace } from './workspace.js';

/**
 * The WebAssembly engine's vector exp, σ and tanh against Math.exp, 1/(1+e^−x) and Math.tanh:
 * within 2 ulp in float64 and 3 ulp in float32 (relative to the exact value, where it is a
 * normal number), and exactly as Math for ±0, NaN, ±∞ and saturated inputs.
 */
const ULP = { float64: 2 ** -52, float32: 2 ** -23 };
const LIMIT = { float64: 2.5, float32: 3 };
const FUNCTIONS = { exp: Math.exp, sigmoid, tanh: Math.tanh } as const;
const MIN_NORMAL = { float64: 2.2250738585072014e-308, float32: 1.1754943508222875e-38 };

function apply(engine: WasmEngine, dtype: DType, fn: keyof typeof FUNCTIONS, xs: readonly number[]): Float64Array {
  const padded = [...xs, ...new Array<number>((4 - (xs.length % 4)) % 4).fill(0)];
  return Workspace.run(engine, dtype, (ws) => {
    const p = ws.write(padded);
    ws.ops.mapInPlace(fn, p, padded.length);
    return Float64Array.from(ws.read(p, xs.length));
  });
}

const grid: number[] = [];
for (let i = -100_000; i <= 100_000; i++) grid.push(i * 0.0007);
for (const e of [1e-300, 1e-30, 1e-10, 1e-5]) grid.push(e, -e);

describe('vector exp, sigmoid and tanh', () => {
  const engine = new WasmEngine();
  for (const dtype of ['float64', 'float32'] as const) {
    for (const fn of ['exp', 'sigmoid', 'tanh'] as const) {
      it(`${fn} (${dtype}) is within ${LIMIT[dtype]} ulp over [-70, 70] and tiny arguments`, () => {
        const xs = (dtype === 'float32' ? grid.map(Math.fround) : grid).filter((x) => fn !== 'exp' || Math.abs(x) < (dtype === 'float32' ? 87 : 700));
        const got = apply(engine, dtype, fn, xs);
        let worst = 0;
        xs.forEach((x, i) => {
          const exact = FUNCTIONS[fn](x);
          if (Math.abs(exact) < MIN_NORMAL[dtype]) return;
          worst = Math.max(worst, Math.abs((got[i] as number) - exact) / Math.abs(exact) / ULP[dtype]);
        });
        expect(worst).toBeLessThanOrEqual(LIMIT[dtype]);
      });
    }

    it(`special values behave as Math does (${dtype})`, () => {
      const xs = [0, -0, Number.NaN, Infinity, -Infinity, 300, -300, 800, -800];
      const tanh = apply(engine, dtype, 'tanh', xs);
      expect(Array.from(tanh)).toEqual([0, -0, Number.NaN, 1, -1, 1, -1, 1, -1]);
      expect(Object.is(tanh[1], -0)).toBe(true);
      const sig = apply(engine, dtype, 'sigmoid', xs);
      expect(Array.from(sig.slice(0, 5))).toEqual([0.5, 0.5, Number.NaN, 1, 0]);
      expect([sig[5], sig[7], sig[8]]).toEqual([1, 1, 0]);
      expect(sig[6]).toBeCloseTo(dtype === 'float64' ? 5.148200222412013e-131 : 0, 140);
      const exp = apply(engine, dtype, 'exp', xs);
      expect(Array.from(exp.slice(0, 5))).toEqual([1, 1, Number.NaN, Infinity, 0]);
      expect([exp[7], exp[8]]).toEqual([Infinity, 0]);
    });
  }
});
