import { layerParameterShapes, type CellName } from '@rnn/cells';

/** One benchmark size: `n_y` is taken equal to `n_x`, as in a character model. */
export interface Workload {
  readonly name: string;
  readonly nX: number;
  readonly nA: number;
  readonly m: number;
  readonly T: number;
  /** Only these dtypes are measured (the large workload is float32 only). */
  readonly dtypes: readonly ('float64' | 'float32')[];
}

/** The seed's size, a realistic layer, and a large one for GPUs. */
export const WORKLOADS: readonly Workload[] = [
  { name: 'seed', nX: 3, nA: 5, m: 10, T: 7, dtypes: ['float64', 'float32'] },
  { name: 'medium', nX: 64, nA: 128, m: 32, T: 100, dtypes: ['float64', 'float32'] },
  { name: 'large', nX: 256, nA: 512, m: 64, T: 50, dtypes: ['float32'] },
];

/**
 * Multiply-adds of one step's recurrent weight products per example, from the cell's description:
 * every recurrent weight matrix's `rows · cols` (`4·n_a·(n_a+n_x)` for the LSTM, `3·n_a·(n_a+n_x)`
 * for the GRU: its two gates over `[a; x]` and the candidate's `Whx`, `Whh`).
 */
export function gateProducts(w: Workload, cell: CellName): number {
  return layerParameterShapes({ cell, inputSize: w.nX, hiddenSize: w.nA })
    .filter((p) => p.shape[1] > 1)
    .reduce((n, p) => n + p.shape[0] * p.shape[1], 0);
}

/**
 * Floating-point operations of a forward over a sequence: the gate products `2·gateProducts·m` and
 * the output layer `2·n_y·n_a·m` per step (element-wise work not counted).
 */
export function forwardFlops(w: Workload, cell: CellName = 'lstm'): number {
  return (2 * gateProducts(w, cell) * w.m + 2 * w.nX * w.nA * w.m) * w.T;
}

/** Forward plus backward: the backward adds `dW = dgate·concatᵀ` and `dconcat = Wᵀ·dgate`, twice the gate products. */
export function forwardBackwardFlops(w: Workload, cell: CellName = 'lstm'): number {
  return forwardFlops(w, cell) + 2 * (2 * gateProducts(w, cell) * w.m) * w.T;
}

/** `forwardFlops` of the LSTM. */
export function lstmForwardFlops(w: Workload): number {
  return forwardFlops(w, 'lstm');
}

/** `forwardBackwardFlops` of the LSTM. */
export function lstmForwardBackwardFlops(w: Workload): number {
  return forwardBackwardFlops(w, 'lstm');
}

/** How a workload is printed: `medium (n_x=64 n_a=128 m=32 T_x=100)`. */
export function workloadLabel(w: Workload): string {
  return `${w.name} (n_x=${w.nX} n_a=${w.nA} m=${w.m} T_x=${w.T})`;
}
