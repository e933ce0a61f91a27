import {
  lstmBackward, lstmCellBackward, lstmCellForward, lstmForward,
  rnnBackward, rnnCellBackward, rnnCellForward, rnnForward,
  type LstmParameters, type RnnParameters,
} from '@rnn/cells';
import type { Backend, DType, NestedArray, Tensor } from '@rnn/tensor';
import { formatNumpy, formatShape } from '../numpy-format.js';
import { drawSeeded, LSTM_DRAWS, RNN_DRAWS } from './draws.js';

/** One fact the walkthrough reports, as the notebook prints it: a section, a value, a shape or a length. */
export type WalkthroughEntry =
  | { readonly kind: 'section'; readonly name: string }
  | { readonly kind: 'value'; readonly label: string; readonly value: NestedArray }
  | { readonly kind: 'shape'; readonly label: string; readonly shape: readonly number[] }
  | { readonly kind: 'length'; readonly label: string; readonly length: number };

/** The line the notebook prints for an entry: `# rnn_forward`, `a[4][1] = [...]`, `a.shape = (5, 10, 4)`, `len(caches) = 2`. */
export function formatEntry(entry: WalkthroughEntry): string {
  switch (entry.kind) {
    case 'section':
      return `# ${entry.name}`;
    case 'value':
      return `${entry.label} = ${formatNumpy(entry.value)}`;
    case 'shape':
      return `${entry.label}.shape = ${formatShape(entry.shape)}`;
    case 'length':
      return `len(${entry.label}) = ${entry.length}`;
  }
}

type Emit = (entry: WalkthroughEntry) => void;

/** Reads `t` (waiting for the device) and indexes it like NumPy: `at(t, 4, 1)` is `t[4][1]`. */
async function at(t: Tensor, ...index: number[]): Promise<NestedArray> {
  let v: NestedArray = await t.array();
  for (const i of index) v = (v as NestedArray[])[i] as NestedArray;
  return v;
}

function rnnParameters(d: Record<string, Tensor>): RnnParameters {
  return { Waa: d.Waa!, Wax: d.Wax!, Wya: d.Wya!, ba: d.ba!, by: d.by! };
}

function lstmParameters(d: Record<string, Tensor>): LstmParameters {
  return { Wf: d.Wf!, bf: d.bf!, Wi: d.Wi!, bi: d.bi!, Wc: d.Wc!, bc: d.bc!, Wo: d.Wo!, bo: d.bo!, Wy: d.Wy!, by: d.by! };
}

/**
 * Runs the eight functions on the NumPy notebook's seeded draws and reports what the notebook
 * prints (see `formatEntry`), so the two can be read side by side.
 */
export async function walkthrough(backend: Backend, dtype: DType, emit: Emit): Promise<void> {
  const opts = { backend };
  const show = async (label: string, t: Tensor, ...index: number[]): Promise<void> => emit({ kind: 'value', label, value: await at(t, ...index) });
  const shape = (label: string, t: Tensor): void => emit({ kind: 'shape', label, shape: t.shape });
  const section = (name: string): void => emit({ kind: 'section', name });
  /** Reports `gradients["key"][i][j]` and its shape for each `[key, ...index]`. */
  const showGradients = async <K extends string>(grads: Record<K, Tensor>, prints: readonly (readonly [K, ...number[]])[]): Promise<void> => {
    for (const [key, ...index] of prints) {
      await show(`gradients["${key}"]${index.map((i) => `[${i}]`).join('')}`, grads[key], ...index);
      shape(`gradients["${key}"]`, grads[key]);
    }
  };

  section('rnn_cell_forward');
  let d = drawSeeded([['xt', [3, 10]], ['a_prev', [5, 10]], ...RNN_DRAWS], dtype);
  const rc = rnnCellForward(d.xt!, d.a_prev!, rnnParameters(d), opts);
  await show('a_next[4]', rc.aNext, 4);
  shape('a_next', rc.aNext);
  await show('yt_pred[1]', rc.ytPred, 1);
  shape('yt_pred', rc.ytPred);

  section('rnn_forward');
  d = drawSeeded([['x', [3, 10, 4]], ['a0', [5, 10]], ...RNN_DRAWS], dtype);
  const rf = rnnForward(d.x!, d.a0!, rnnParameters(d), opts);
  await show('a[4][1]', rf.a, 4, 1);
  shape('a', rf.a);
  await show('y_pred[1][3]', rf.yPred, 1, 3);
  shape('y_pred', rf.yPred);
  await show('caches[1][1][3]', rf.caches[1], 1, 3);
  emit({ kind: 'length', label: 'caches', length: rf.caches.length });

  section('lstm_cell_forward');
  d = drawSeeded([['xt', [3, 10]], ['a_prev', [5, 10]], ['c_prev', [5, 10]], ...LSTM_DRAWS], dtype);
  const lc = lstmCellForward(d.xt!, d.a_prev!, d.c_prev!, lstmParameters(d), opts);
  await show('a_next[4]', lc.aNext, 4);
  shape('a_next', lc.aNext);
  await show('c_next[2]', lc.cNext, 2);
  shape('c_next', lc.cNext);
  await show('yt[1]', lc.ytPred, 1);
  shape('yt', lc.ytPred);
  await show('cache[1][3]', lc.cache.cNext, 3);
  emit({ kind: 'length', label: 'cache', length: Object.keys(lc.cache).length });

  section('lstm_forward');
  d = drawSeeded([['x', [3, 10, 7]], ['a0', [5, 10]], ...LSTM_DRAWS], dtype);
  const lf = lstmForward(d.x!, d.a0!, lstmParameters(d), opts);
  await show('a[4][3][6]', lf.a, 4, 3, 6);
  shape('a', lf.a);
  await show('y[1][4][3]', lf.yPred, 1, 4, 3);
  shape('y', lf.yPred);
  await show('caches[1][1][1]', lf.caches[1], 1, 1);
  await show('c[1][2][1]', lf.c, 1, 2, 1);
  emit({ kind: 'length', label: 'caches', length: lf.caches.length });

  section('rnn_cell_backward');
  d = drawSeeded([['xt', [3, 10]], ['a_prev', [5, 10]], ...RNN_DRAWS, ['da_next', [5, 10]]], dtype);
  const rcb = rnnCellBackward(d.da_next!, rnnCellForward(d.xt!, d.a_prev!, rnnParameters(d), opts).cache, opts);
  await showGradients(rcb, [['dxt', 1, 2], ['daPrev', 2, 3], ['dWax', 3, 1], ['dWaa', 1, 2], ['dba', 4]]);

  section('rnn_backward');
  d = drawSeeded([['x', [3, 10, 4]], ['a0', [5, 10]], ...RNN_DRAWS, ['da', [5, 10, 4]]], dtype);
  const rb = rnnBackward(d.da!, rnnForward(d.x!, d.a0!, rnnParameters(d), opts).caches, opts);
  await showGradients(rb, [['dx', 1, 2], ['da0', 2, 3], ['dWax', 3, 1], ['dWaa', 1, 2], ['dba', 4]]);

  section('lstm_cell_backward');
  d = drawSeeded([['xt', [3, 10]], ['a_prev', [5, 10]], ['c_prev', [5, 10]], ...LSTM_DRAWS, ['da_next', [5, 10]], ['dc_next', [5, 10]]], dtype);
  const lcb = lstmCellBackward(d.da_next!, d.dc_next!, lstmCellForward(d.xt!, d.a_prev!, d.c_prev!, lstmParameters(d), opts).cache, opts);
  await showGradients(lcb, [['dxt', 1, 2], ['daPrev', 2, 3], ['dcPrev', 2, 3], ['dWf', 3, 1], ['dWi', 1, 2], ['dWc', 3, 1], ['dWo', 1, 2], ['dbf', 4], ['dbi', 4], ['dbc', 4], ['dbo', 4]]);

  section('lstm_backward');
  d = drawSeeded([['x', [3, 10, 7]], ['a0', [5, 10]], ...LSTM_DRAWS, ['da', [5, 10, 7]]], dtype);
  const lb = lstmBackward(d.da!, lstmForward(d.x!, d.a0!, lstmParameters(d), opts).caches, opts);
  await showGradients(lb, [['dx', 1, 2], ['da0', 2, 3], ['dWf', 3, 1], ['dWi', 1, 2], ['dWc', 3, 1], ['dWo', 1, 2], ['dbf', 4], ['dbi', 4], ['dbc', 4], ['dbo', 4]]);
}
