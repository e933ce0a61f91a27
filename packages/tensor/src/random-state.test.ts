import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from './errors.js';
import fixtures from './fixtures/random-state.json' with { type: 'json' };
import { RandomState } from './random-state.js';
import { compareClose } from './testing/all-close.js';

describe('RandomState', () => {
  it('draws the randn(8) of SPEC.md from seed 1', () => {
    const draws = new RandomState(1).randn(8);
    const spec = [1.62434536, -0.61175641, -0.52817175, -1.07296862, 0.86540763, -2.3015387, 1.74481176, -0.7612069];
    expect(draws.shape).toEqual([8]);
    expect(compareClose(draws, spec, { rtol: 0, atol: 5e-9 }).ok).toBe(true);
  });

  for (const stream of fixtures.streams) {
    it(`follows NumPy's stream for seed ${stream.seed}${'skip' in stream ? ` after ${stream.skip} draws` : ''}`, () => {
      const rng = new RandomState(stream.seed);
      if ('skip' in stream) rng.randn(stream.skip as number);
      for (const call of stream.calls) {
        if (call.method === 'raw') {
          const raw = call.values.map(() => rng.nextUint32());
          expect(raw).toEqual(call.values);
          continue;
        }
        const t = call.method === 'rand' ? rng.rand(...call.shape) : rng.randn(...call.shape);
        expect(t.shape).toEqual(call.shape);
        const report = compareClose(t, call.values, { rtol: 1e-15, atol: 0 });
        expect(report.ok, `${call.method}(${call.shape.join(', ')}): ${report.message}`).toBe(true);
      }
    });
  }

  it('keeps the spare Gaussian across calls, as NumPy does', () => {
    const together = new RandomState(3).randn(6).dataSync();
    const rng = new RandomState(3);
    const apart = [...rng.randn(1).dataSync(), ...rng.randn(2).dataSync(), ...rng.randn(3).dataSync()];
    expect(apart).toEqual(Array.from(together));
  });

  it('rounds draws to float32 on request', () => {
    const t = new RandomState(1).randnAs([2, 2], 'float32');
    expect(t.dtype).toBe('float32');
    expect(t.dataSync()[0]).toBe(Math.fround(1.6243453636632417));
  });

  it('rejects seeds NumPy rejects', () => {
    for (const seed of [-1, 1.5, 2 ** 32, Number.NaN]) {
      expect(() => new RandomState(seed)).toThrow(InvalidArgumentError);
    }
    expect(() => new RandomState(1).randn(2, -1)).toThrow(/RandomState.randn: shape/);
  });

  it('samples an index by inverse CDF', () => {
    const rng = new RandomState(0);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[rng.choice([0.2, 0.5, 0.3])]! += 1;
    expect(counts[0]! / 3000).toBeCloseTo(0.2, 1);
    expect(counts[1]! / 3000).toBeCloseTo(0.5, 1);
    expect(new RandomState(0).choice([0, 0, 1])).toBe(2);
  });
});
