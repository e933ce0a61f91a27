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
 * Floating-point operations of an LSTM forward over a sequence: the four gate products
 * `2·4·n_a·(n_a+n_x)·m` and the output layer `2·n_y·n_a·m` per step (element-wise work not counted).
 */
export function lstmForwardFlops(w: Workload): number {
  return (2 * 4 * w.nA * (w.nA + w.nX) * w.m + 2 * w.nX * w.nA * w.m) * w.T;
}

/** Forward plus backward: the backward adds `dW = dgate·concatᵀ` and `dconcat = Wᵀ·dgate`, twice the gate products. */
export function lstmForwardBackwardFlops(w: Workload): number {
  return lstmForwardFlops(w) + 2 * (2 * 4 * w.nA * (w.nA + w.nX) * w.m) * w.T;
}

/** How a workload is printed: `medium (n_x=64 n_a=128 m=32 T_x=100)`. */
export function workloadLabel(w: Workload): string {
  return `${w.name} (n_x=${w.nX} n_a=${w.nA} m=${w.m} T_x=${w.T})`;
}
