import { createCpuBackend } from '@rnn/backend-cpu';
import { RandomState, type Tensor } from '@rnn/tensor';
import { describe, expect, it } from 'vitest';
import {
  gruBackward, gruCellBackward, gruCellForward, gruForward,
  lstmBackward, lstmCellBackward, lstmCellForward, lstmForward,
  rnnBackward, rnnCellBackward, rnnCellForward, rnnForward,
  type GruParameters, type LstmParameters, type RnnParameters,
} from './index.js';
import { gradientError, weightedSum } from './test-support/gradient-check.js';

const opts = { backend: createCpuBackend() };
const LIMIT = 1e-7;

/** `[n_x, n_a, n_y, m, T_x]`: the seed's size, single example, single step, `n_x ≠ n_a` both ways. */
const SIZES = [
  [3, 5, 2, 10, 4],
  [2, 3, 2, 1, 3],
  [4, 2, 3, 3, 1],
  [1, 4, 2, 2, 5],
] as const;

function rnnParameters(rng: RandomState, nX: number, nA: number, nY: number): RnnParameters {
  return { Waa: rng.randn(nA, nA), Wax: rng.randn(nA, nX), Wya: rng.randn(nY, nA), ba: rng.randn(nA, 1), by: rng.randn(nY, 1) };
}

function lstmParameters(rng: RandomState, nX: number, nA: number, nY: number): LstmParameters {
  const w = (): Tensor => rng.randn(nA, nA + nX);
  const b = (): Tensor => rng.randn(nA, 1);
  return { Wf: w(), bf: b(), Wi: w(), bi: b(), Wc: w(), bc: b(), Wo: w(), bo: b(), Wy: rng.randn(nY, nA), by: rng.randn(nY, 1) };
}

function gruParameters(rng: RandomState, nX: number, nA: number, nY: number): GruParameters {
  const w = (): Tensor => rng.randn(nA, nA + nX);
  const b = (): Tensor => rng.randn(nA, 1);
  return { Wz: w(), bz: b(), Wr: w(), br: b(), Whx: rng.randn(nA, nX), bhx: b(), Whh: rng.randn(nA, nA), bhh: b(), Wy: rng.randn(nY, nA), by: rng.randn(nY, 1) };
}

const GRU_WEIGHTS = ['Wz', 'bz', 'Wr', 'br', 'Whx', 'bhx', 'Whh', 'bhh'] as const;

describe.each(SIZES)('finite-difference gradient checks, n_x=%i n_a=%i n_y=%i m=%i T_x=%i', (nX, nA, nY, m, T) => {
  it('rnnCellBackward: L = Σ G ⊙ aNext', () => {
    const rng = new RandomState(10 + nX);
    const [xt, aPrev, p, G] = [rng.randn(nX, m), rng.randn(nA, m), rnnParameters(rng, nX, nA, nY), rng.randn(nA, m)];
    const g = rnnCellBackward(G, rnnCellForward(xt, aPrev, p, opts).cache, opts);
    const loss = (x: Tensor, a: Tensor, q: RnnParameters): number => weightedSum(rnnCellForward(x, a, q, opts).aNext, G);
    expect(gradientError(xt, g.dxt, (v) => loss(v, aPrev, p))).toBeLessThan(LIMIT);
    expect(gradientError(aPrev, g.daPrev, (v) => loss(xt, v, p))).toBeLessThan(LIMIT);
    expect(gradientError(p.Wax, g.dWax, (v) => loss(xt, aPrev, { ...p, Wax: v }))).toBeLessThan(LIMIT);
    expect(gradientError(p.Waa, g.dWaa, (v) => loss(xt, aPrev, { ...p, Waa: v }))).toBeLessThan(LIMIT);
    expect(gradientError(p.ba, g.dba, (v) => loss(xt, aPrev, { ...p, ba: v }))).toBeLessThan(LIMIT);
  });

  it('rnnBackward: L = Σ G ⊙ a over all steps', () => {
    const rng = new RandomState(20 + nX);
    const [x, a0, p, G] = [rng.randn(nX, m, T), rng.randn(nA, m), rnnParameters(rng, nX, nA, nY), rng.randn(nA, m, T)];
    const g = rnnBackward(G, rnnForward(x, a0, p, opts).caches, opts);
    const loss = (xx: Tensor, aa: Tensor, q: RnnParameters): number => weightedSum(rnnForward(xx, aa, q, opts).a, G);
    expect(gradientError(x, g.dx, (v) => loss(v, a0, p))).toBeLessThan(LIMIT);
    expect(gradientError(a0, g.da0, (v) => loss(x, v, p))).toBeLessThan(LIMIT);
    expect(gradientError(p.Wax, g.dWax, (v) => loss(x, a0, { ...p, Wax: v }))).toBeLessThan(LIMIT);
    expect(gradientError(p.Waa, g.dWaa, (v) => loss(x, a0, { ...p, Waa: v }))).toBeLessThan(LIMIT);
    expect(gradientError(p.ba, g.dba, (v) => loss(x, a0, { ...p, ba: v }))).toBeLessThan(LIMIT);
  });

  it('lstmCellBackward: L = Σ Ga ⊙ aNext + Σ Gc ⊙ cNext', () => {
    const rng = new RandomState(30 + nX);
    const [xt, aPrev, cPrev, p] = [rng.randn(nX, m), rng.randn(nA, m), rng.randn(nA, m), lstmParameters(rng, nX, nA, nY)];
    const [Ga, Gc] = [rng.randn(nA, m), rng.randn(nA, m)];
    const g = lstmCellBackward(Ga, Gc, lstmCellForward(xt, aPrev, cPrev, p, opts).cache, opts);
    const loss = (x: Tensor, a: Tensor, c: Tensor, q: LstmParameters): number => {
      const out = lstmCellForward(x, a, c, q, opts);
      return weightedSum(out.aNext, Ga) + weightedSum(out.cNext, Gc);
    };
    expect(gradientError(xt, g.dxt, (v) => loss(v, aPrev, cPrev, p))).toBeLessThan(LIMIT);
    expect(gradientError(aPrev, g.daPrev, (v) => loss(xt, v, cPrev, p))).toBeLessThan(LIMIT);
    expect(gradientError(cPrev, g.dcPrev, (v) => loss(xt, aPrev, v, p))).toBeLessThan(LIMIT);
    for (const [w, b] of [['Wf', 'bf'], ['Wi', 'bi'], ['Wc', 'bc'], ['Wo', 'bo']] as const) {
      expect(gradientError(p[w], g[`d${w}`], (v) => loss(xt, aPrev, cPrev, { ...p, [w]: v })), w).toBeLessThan(LIMIT);
      expect(gradientError(p[b], g[`d${b}`], (v) => loss(xt, aPrev, cPrev, { ...p, [b]: v })), b).toBeLessThan(LIMIT);
    }
  });

  it('lstmBackward: L = Σ G ⊙ a over all steps', () => {
    const rng = new RandomState(40 + nX);
    const [x, a0, p, G] = [rng.randn(nX, m, T), rng.randn(nA, m), lstmParameters(rng, nX, nA, nY), rng.randn(nA, m, T)];
    const g = lstmBackward(G, lstmForward(x, a0, p, opts).caches, opts);
    const loss = (xx: Tensor, aa: Tensor, q: LstmParameters): number => weightedSum(lstmForward(xx, aa, q, opts).a, G);
    expect(gradientError(x, g.dx, (v) => loss(v, a0, p))).toBeLessThan(LIMIT);
    expect(gradientError(a0, g.da0, (v) => loss(x, v, p))).toBeLessThan(LIMIT);
    for (const [w, b] of [['Wf', 'bf'], ['Wi', 'bi'], ['Wc', 'bc'], ['Wo', 'bo']] as const) {
      expect(gradientError(p[w], g[`d${w}`], (v) => loss(x, a0, { ...p, [w]: v })), w).toBeLessThan(LIMIT);
      expect(gradientError(p[b], g[`d${b}`], (v) => loss(x, a0, { ...p, [b]: v })), b).toBeLessThan(LIMIT);
    }
  });

  it('gruCellBackward: L = Σ G ⊙ aNext', () => {
    const rng = new RandomState(50 + nX);
    const [xt, aPrev, p, G] = [rng.randn(nX, m), rng.randn(nA, m), gruParameters(rng, nX, nA, nY), rng.randn(nA, m)];
    const g = gruCellBackward(G, gruCellForward(xt, aPrev, p, opts).cache, opts);
    const loss = (x: Tensor, a: Tensor, q: GruParameters): number => weightedSum(gruCellForward(x, a, q, opts).aNext, G);
    expect(gradientError(xt, g.dxt, (v) => loss(v, aPrev, p))).toBeLessThan(LIMIT);
    expect(gradientError(aPrev, g.daPrev, (v) => loss(xt, v, p))).toBeLessThan(LIMIT);
    for (const w of GRU_WEIGHTS) expect(gradientError(p[w], g[`d${w}`], (v) => loss(xt, aPrev, { ...p, [w]: v })), w).toBeLessThan(LIMIT);
  });

  it('gruBackward: L = Σ G ⊙ a over all steps', () => {
    const rng = new RandomState(60 + nX);
    const [x, a0, p, G] = [rng.randn(nX, m, T), rng.randn(nA, m), gruParameters(rng, nX, nA, nY), rng.randn(nA, m, T)];
    const g = gruBackward(G, gruForward(x, a0, p, opts).caches, opts);
    const loss = (xx: Tensor, aa: Tensor, q: GruParameters): number => weightedSum(gruForward(xx, aa, q, opts).a, G);
    expect(gradientError(x, g.dx, (v) => loss(v, a0, p))).toBeLessThan(LIMIT);
    expect(gradientError(a0, g.da0, (v) => loss(x, v, p))).toBeLessThan(LIMIT);
    for (const w of GRU_WEIGHTS) expect(gradientError(p[w], g[`d${w}`], (v) => loss(x, a0, { ...p, [w]: v })), w).toBeLessThan(LIMIT);
  });
});

describe('the gradient check itself', () => {
  it('catches a wrong gradient', () => {
    const rng = new RandomState(1);
    const [xt, aPrev, p, G] = [rng.randn(3, 2), rng.randn(4, 2), rnnParameters(rng, 3, 4, 2), rng.randn(4, 2)];
    const g = rnnCellBackward(G, rnnCellForward(xt, aPrev, p, opts).cache, opts);
    const wrong = rng.randn(3, 2);
    expect(gradientError(xt, wrong, (v) => weightedSum(rnnCellForward(v, aPrev, p, opts).aNext, G))).toBeGreaterThan(0.1);
    expect(gradientError(xt, g.dxt, (v) => weightedSum(rnnCellForward(v, aPrev, p, opts).aNext, G))).toBeLessThan(LIMIT);
  });
});
