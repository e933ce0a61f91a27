import { createCpuBackend } from '@rnn/backend-cpu';
import type { Tensor } from '@rnn/tensor';
import { compareClose } from '@rnn/tensor/testing';
import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/numpy-vectors.json' with { type: 'json' };
import {
  lstmBackward, lstmCellBackward, lstmCellForward, lstmForward,
  rnnBackward, rnnCellBackward, rnnCellForward, rnnForward,
} from './index.js';
import { drawInOrder, LSTM_KEYS, pick, RNN_KEYS } from './test-support/draws.js';

const backend = createCpuBackend();
const opts = { backend };
const TOLERANCE = { rtol: 1e-10, atol: 1e-12 };

type Case = (typeof fixtures.cases)[keyof typeof fixtures.cases];

function inputs(c: Case): Record<string, Tensor> {
  return drawInOrder(c.seed, c.draws.map(([name, shape]) => [name as string, shape as number[]] as const));
}

function expectMatches(actual: object, expected: Record<string, unknown>): void {
  for (const [key, values] of Object.entries(expected)) {
    const t = (actual as Record<string, Tensor | undefined>)[key];
    expect(t, `output ${key}`).toBeDefined();
    const report = compareClose(t!.toArray(), values as number[], TOLERANCE);
    expect(report.ok, `${key}: ${report.message}`).toBe(true);
  }
}

describe('the eight functions match NumPy on the CPU backend in float64 (1e-10)', () => {
  it('rnnCellForward', () => {
    const d = inputs(fixtures.cases.rnn_cell_forward);
    const out = rnnCellForward(d.xt!, d.a_prev!, pick(d, RNN_KEYS), opts);
    expectMatches({ ...out }, fixtures.cases.rnn_cell_forward.outputs);
  });

  it('rnnForward', () => {
    const d = inputs(fixtures.cases.rnn_forward);
    const out = rnnForward(d.x!, d.a0!, pick(d, RNN_KEYS), opts);
    expectMatches({ ...out }, fixtures.cases.rnn_forward.outputs);
  });

  it('rnnCellBackward', () => {
    const d = inputs(fixtures.cases.rnn_cell_backward);
    const { cache } = rnnCellForward(d.xt!, d.a_prev!, pick(d, RNN_KEYS), opts);
    expectMatches({ ...rnnCellBackward(d.da_next!, cache, opts) }, fixtures.cases.rnn_cell_backward.outputs);
  });

  it('rnnBackward', () => {
    const d = inputs(fixtures.cases.rnn_backward);
    const { caches } = rnnForward(d.x!, d.a0!, pick(d, RNN_KEYS), opts);
    expectMatches({ ...rnnBackward(d.da!, caches, opts) }, fixtures.cases.rnn_backward.outputs);
  });

  it('lstmCellForward', () => {
    const d = inputs(fixtures.cases.lstm_cell_forward);
    const out = lstmCellForward(d.xt!, d.a_prev!, d.c_prev!, pick(d, LSTM_KEYS), opts);
    expectMatches({ ...out }, fixtures.cases.lstm_cell_forward.outputs);
  });

  it('lstmForward', () => {
    const d = inputs(fixtures.cases.lstm_forward);
    const out = lstmForward(d.x!, d.a0!, pick(d, LSTM_KEYS), opts);
    expectMatches({ ...out }, fixtures.cases.lstm_forward.outputs);
  });

  it('lstmCellBackward', () => {
    const d = inputs(fixtures.cases.lstm_cell_backward);
    const { cache } = lstmCellForward(d.xt!, d.a_prev!, d.c_prev!, pick(d, LSTM_KEYS), opts);
    expectMatches({ ...lstmCellBackward(d.da_next!, d.dc_next!, cache, opts) }, fixtures.cases.lstm_cell_backward.outputs);
  });

  it('lstmBackward', () => {
    const d = inputs(fixtures.cases.lstm_backward);
    const { caches } = lstmForward(d.x!, d.a0!, pick(d, LSTM_KEYS), opts);
    expectMatches({ ...lstmBackward(d.da!, caches, opts) }, fixtures.cases.lstm_backward.outputs);
  });
});

describe('the printed vectors of SPEC.md', () => {
  const printed = { rtol: 0, atol: 5e-9 };

  it('rnn_cell_forward: a_next[4], yt_pred[1] and the shapes', () => {
    const d = drawInOrder(1, [['xt', [3, 10]], ['a_prev', [5, 10]], ['Waa', [5, 5]], ['Wax', [5, 3]], ['Wya', [2, 5]], ['ba', [5, 1]], ['by', [2, 1]]]);
    const { aNext, ytPred } = rnnCellForward(d.xt!, d.a_prev!, pick(d, RNN_KEYS), opts);
    const a = aNext.toArray() as number[][];
    const y = ytPred.toArray() as number[][];
    expect(compareClose(a[4]!, [0.59584544, 0.18141802, 0.61311866, 0.99808218, 0.85016201, 0.99980978, -0.18887155, 0.99815551, 0.6531151, 0.82872037], printed).ok).toBe(true);
    expect(compareClose(y[1]!, [0.9888161, 0.01682021, 0.21140899, 0.36817467, 0.98988387, 0.88945212, 0.36920224, 0.9966312, 0.9982559, 0.17746526], printed).ok).toBe(true);
    expect(aNext.shape).toEqual([5, 10]);
    expect(ytPred.shape).toEqual([2, 10]);
  });

  it('rnn_forward: a[4][1], y_pred[1][3], caches[1][1][3]', () => {
    const d = drawInOrder(1, [['x', [3, 10, 4]], ['a0', [5, 10]], ['Waa', [5, 5]], ['Wax', [5, 3]], ['Wya', [2, 5]], ['ba', [5, 1]], ['by', [2, 1]]]);
    const { a, yPred, caches } = rnnForward(d.x!, d.a0!, pick(d, RNN_KEYS), opts);
    const aa = a.toArray() as number[][][];
    const yy = yPred.toArray() as number[][][];
    const xx = caches[1].toArray() as number[][][];
    expect(compareClose(aa[4]![1]!, [-0.99999375, 0.77911235, -0.99861469, -0.99833267], printed).ok).toBe(true);
    expect(compareClose(yy[1]![3]!, [0.79560373, 0.86224861, 0.11118257, 0.81515947], printed).ok).toBe(true);
    expect(compareClose(xx[1]![3]!, [-1.1425182, -0.34934272, -0.20889423, 0.58662319], printed).ok).toBe(true);
    expect(caches[0]).toHaveLength(4);
  });
});
