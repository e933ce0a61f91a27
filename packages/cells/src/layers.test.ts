import { createCpuBackend } from '@rnn/backend-cpu';
import { RandomState, tensor, type Tensor } from '@rnn/tensor';
import { compareClose } from '@rnn/tensor/testing';
import { describe, expect, it } from 'vitest';
import {
  gruForward, layerParameterShapes, layersBackward, layersForward, lstmForward, SequenceStream,
  type CellName, type LayerConfig, type LayerParameters,
} from './index.js';
import { gradientError, weightedSum } from './test-support/gradient-check.js';

const backend = createCpuBackend();
const opts = { backend };
const LIMIT = 1e-7;

function draw(config: LayerConfig, seed: number, scale = 0.5): Record<string, Tensor> {
  const rng = new RandomState(seed);
  const out: Record<string, Tensor> = {};
  for (const p of layerParameterShapes(config)) out[p.name] = tensor(rng.randn(...p.shape).dataSync().map((v) => v * scale), [...p.shape]);
  return out;
}

function same(a: Tensor, b: Tensor, what: string): void {
  const report = compareClose(a.dataSync(), b.dataSync(), { rtol: 1e-12, atol: 1e-13 });
  expect(report.ok, `${what}: ${report.message}`).toBe(true);
}

describe('layerParameterShapes', () => {
  it('names every layer and direction, the upper layers reading both directions of the one below', () => {
    const shapes = layerParameterShapes({ cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, outputSize: 2 });
    const byName = Object.fromEntries(shapes.map((p) => [p.name, p.shape]));
    expect(byName['l0.Wf']).toEqual([4, 7]);
    expect(byName['l0r.Wf']).toEqual([4, 7]);
    expect(byName['l1.Wf']).toEqual([4, 12]);
    expect(byName['Wy']).toEqual([2, 8]);
    expect(shapes).toHaveLength(4 * 8 + 2);
  });
});

describe('layersForward', () => {
  it('one forward layer with a head is lstmForward / gruForward on the same weights', () => {
    const rng = new RandomState(3);
    const x = rng.randn(3, 4, 5);
    const a0 = rng.randn(6, 4);
    for (const cell of ['lstm', 'gru'] as const) {
      const config = { cell, inputSize: 3, hiddenSize: 6, outputSize: 2 };
      const p = draw(config, 10);
      const single = Object.fromEntries(Object.entries(p).map(([k, v]) => [k.replace('l0.', ''), v]));
      const out = layersForward(x, p, config, { ...opts, a0: tensor(a0.dataSync(), [1, 6, 4]) });
      const ref = cell === 'lstm' ? lstmForward(x, a0, single as never, opts) : gruForward(x, a0, single as never, opts);
      same(out.outputs, ref.a, `${cell} a`);
      if (out.yPred === undefined) throw new Error('no head output');
      same(out.yPred, ref.yPred, `${cell} yPred`);
    }
  });

  it('refuses a bad configuration, shape or length with typed errors', () => {
    const config = { cell: 'gru' as const, inputSize: 3, hiddenSize: 4 };
    const p = draw(config, 1);
    const x = new RandomState(1).randn(3, 2, 5);
    expect(() => layersForward(x, p, { ...config, cell: 'lstmx' as CellName }, opts)).toThrow(/layersForward: config.cell must be one of rnn, lstm, gru/);
    expect(() => layersForward(x, p, { ...config, numLayers: 0 }, opts)).toThrow(/config.numLayers must be a positive integer/);
    expect(() => layersForward(new RandomState(1).randn(4, 2, 5), p, config, opts)).toThrow(/x has shape \[4, 2, 5\] but \[3, 2, 5\]/);
    expect(() => layersForward(x, p, config, { ...opts, lengths: [5, 6] })).toThrow(/opts.lengths\[1\] must be an integer from 0 to T = 5/);
    expect(() => layersForward(x, { ...p, 'l0.Whh': tensor([1]) }, config, opts)).toThrow(/parameters.l0.Whh has shape \[1\]/);
    expect(() => layersForward(x, p, config, { ...opts, c0: tensor(new Float64Array(8), [1, 4, 2]) })).toThrow(/opts.c0 is an LSTM's cell state/);
  });
});

/** The configurations the gradient check runs: stacked, bidirectional, lengths, initial states, both heads. */
const CASES: readonly { readonly name: string; readonly config: LayerConfig; readonly lengths?: number[]; readonly head: 'softmax' | 'linear' }[] = [
  { name: '2-layer bidirectional GRU, lengths, linear head', config: { cell: 'gru', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, outputSize: 2 }, lengths: [4, 2, 0], head: 'linear' },
  { name: '2-layer LSTM, softmax head', config: { cell: 'lstm', inputSize: 2, hiddenSize: 3, numLayers: 2, outputSize: 3 }, head: 'softmax' },
  { name: 'bidirectional RNN, lengths, no head', config: { cell: 'rnn', inputSize: 3, hiddenSize: 3, bidirectional: true }, lengths: [1, 4, 3], head: 'linear' },
  { name: 'bidirectional LSTM with c0, linear head', config: { cell: 'lstm', inputSize: 2, hiddenSize: 2, bidirectional: true, outputSize: 2 }, lengths: [3, 4, 2], head: 'linear' },
];

describe.each(CASES)('layersBackward: finite differences, $name', ({ config, lengths, head }) => {
  it('dx, da0, dc0 and every parameter', () => {
    const rng = new RandomState(21);
    const [m, T] = [3, 4];
    const dirs = config.bidirectional === true ? 2 : 1;
    const states = (config.numLayers ?? 1) * dirs;
    const x = rng.randn(config.inputSize, m, T);
    const a0 = rng.randn(states, config.hiddenSize, m);
    const c0 = config.cell === 'lstm' ? rng.randn(states, config.hiddenSize, m) : undefined;
    const p = draw(config, 22);
    const G = rng.randn(dirs * config.hiddenSize, m, T);
    const H = config.outputSize === undefined ? undefined : rng.randn(config.outputSize, m, T);
    // L = Σ G ⊙ outputs + Σ H ⊙ yPred.
    const loss = (xx: Tensor, aa: Tensor, cc: Tensor | undefined, q: LayerParameters): number => {
      const out = layersForward(xx, q, config, { ...opts, a0: aa, c0: cc, lengths, head });
      return weightedSum(out.outputs, G) + (H === undefined || out.yPred === undefined ? 0 : weightedSum(out.yPred, H));
    };
    const out = layersForward(x, p, config, { ...opts, a0, c0, lengths, head });
    let dLogits: Tensor | undefined;
    if (H !== undefined && out.yPred !== undefined) {
      // For the linear head dL/dlogits = H; for softmax, y ⊙ (H − Σ_k y_k H_k) down each column.
      const y = out.yPred.dataSync();
      const h = H.dataSync();
      const [nY = 0] = out.yPred.shape;
      const cols = m * T;
      const d = new Float64Array(nY * cols);
      for (let c = 0; c < cols; c++) {
        let dotYH = 0;
        for (let k = 0; k < nY; k++) dotYH += (y[k * cols + c] as number) * (h[k * cols + c] as number);
        for (let k = 0; k < nY; k++) d[k * cols + c] = head === 'linear' ? (h[k * cols + c] as number) : (y[k * cols + c] as number) * ((h[k * cols + c] as number) - dotYH);
      }
      dLogits = tensor(d, [nY, m, T]);
    }
    const g = layersBackward({ dOutputs: G, dLogits }, out.caches, opts);
    expect(gradientError(x, g.dx, (v) => loss(v, a0, c0, p))).toBeLessThan(LIMIT);
    expect(gradientError(a0, g.da0, (v) => loss(x, v, c0, p))).toBeLessThan(LIMIT);
    if (c0 !== undefined && g.dc0 !== undefined) expect(gradientError(c0, g.dc0, (v) => loss(x, a0, v, p))).toBeLessThan(LIMIT);
    expect(Object.keys(g.grads).sort()).toEqual(Object.keys(p).sort());
    for (const [name, value] of Object.entries(p)) {
      const grad = g.grads[name];
      if (grad === undefined) throw new Error(`no gradient for ${name}`);
      expect(gradientError(value, grad, (v) => loss(x, a0, c0, { ...p, [name]: v })), name).toBeLessThan(LIMIT);
    }
  });
});

describe('SequenceStream', () => {
  it('fed in chunks of 1, 3 and 2 steps, gives what the whole sequence gives at once', () => {
    const config: LayerConfig = { cell: 'lstm', inputSize: 3, hiddenSize: 5, numLayers: 2, outputSize: 4 };
    const p = draw(config, 30);
    const rng = new RandomState(31);
    const x = rng.randn(3, 2, 6);
    const whole = layersForward(x, p, config, opts);
    const stream = new SequenceStream(p, config, opts);
    const values = x.dataSync();
    const chunk = (from: number, to: number): Tensor => {
      const t = to - from;
      const out = new Float64Array(3 * 2 * t);
      for (let i = 0; i < 6; i++) for (let s = 0; s < t; s++) out[i * t + s] = values[i * 6 + from + s] as number;
      return tensor(out, [3, 2, t]);
    };
    const parts = [[0, 1], [1, 4], [4, 6]].map(([from, to]) => stream.push(chunk(from as number, to as number)));
    expect(stream.steps).toBe(6);
    const y = whole.yPred?.dataSync() ?? new Float64Array(0);
    let offset = 0;
    for (const [k, [from, to]] of [[0, 1], [1, 4], [4, 6]].entries()) {
      const t = (to as number) - (from as number);
      const got = parts[k]?.yPred?.dataSync() ?? new Float64Array(0);
      const want = new Float64Array(4 * 2 * t);
      for (let i = 0; i < 8; i++) for (let s = 0; s < t; s++) want[i * t + s] = y[i * 6 + (from as number) + s] as number;
      expect(compareClose(got, want, { rtol: 1e-12, atol: 1e-13 }).ok, `chunk ${k}`).toBe(true);
      offset += t;
    }
    expect(offset).toBe(6);
    same(stream.state.a as Tensor, whole.aLast, 'carried state');
    expect(() => new SequenceStream(p, { ...config, bidirectional: true }, opts)).toThrow(/reverse direction needs the whole sequence/);
  });
});
