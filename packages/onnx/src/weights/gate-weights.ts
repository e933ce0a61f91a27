import type { CellName } from '@rnn/cells';

/**
 * One direction of one recurrent layer in the form ONNX, PyTorch and Keras share: per gate an
 * input weight `W_g (n_a, n_x)`, a recurrent weight `R_g (n_a, n_a)` and two biases `Wb_g`,
 * `Rb_g (n_a)`, the gates stacked in a framework's order. ONNX's `W`, `R`, `B` of one direction,
 * PyTorch's `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, and Keras's transposed
 * `kernel`, `recurrent_kernel` and `bias` are all this.
 */
export interface GateWeights {
  /** `(G·n_a, n_x)`, row-major, the gates in `order`. */
  readonly W: Float64Array;
  /** `(G·n_a, n_a)`. */
  readonly R: Float64Array;
  /** `(G·n_a)`. */
  readonly Wb: Float64Array;
  /** `(G·n_a)`. */
  readonly Rb: Float64Array;
}

/** A gate by our name: LSTM `i f c o`, GRU `z r h`, RNN `a`. */
export type Gate = 'i' | 'f' | 'c' | 'o' | 'z' | 'r' | 'h' | 'a';

/** Gate orders: ONNX (LSTM i, o, f, c; GRU z, r, h), PyTorch (i, f, g, o; r, z, n) and Keras (i, f, c, o; z, r, h). */
export const GATE_ORDERS = {
  onnx: { lstm: ['i', 'o', 'f', 'c'], gru: ['z', 'r', 'h'], rnn: ['a'] },
  pytorch: { lstm: ['i', 'f', 'c', 'o'], gru: ['r', 'z', 'h'], rnn: ['a'] },
  keras: { lstm: ['i', 'f', 'c', 'o'], gru: ['z', 'r', 'h'], rnn: ['a'] },
} as const satisfies Record<string, Record<CellName, readonly Gate[]>>;

/** How one of our parameters is made of a gate's blocks. */
type Part =
  | { readonly from: 'concat'; readonly gate: Gate } // [R_g | W_g], (n_a, n_a + n_x)
  | { readonly from: 'bias'; readonly gate: Gate } // Wb_g + Rb_g, (n_a, 1)
  | { readonly from: 'W' | 'R' | 'Wb' | 'Rb'; readonly gate: Gate };

/** Our recurrent parameters per cell (SPEC's "ONNX mapping"): gates over `[a; x]` take `[R_g | W_g]` and `Wb_g + Rb_g`; the GRU's candidate keeps its parts. */
export const CELL_PARTS: Readonly<Record<CellName, Readonly<Record<string, Part>>>> = {
  lstm: {
    Wf: { from: 'concat', gate: 'f' }, bf: { from: 'bias', gate: 'f' },
    Wi: { from: 'concat', gate: 'i' }, bi: { from: 'bias', gate: 'i' },
    Wc: { from: 'concat', gate: 'c' }, bc: { from: 'bias', gate: 'c' },
    Wo: { from: 'concat', gate: 'o' }, bo: { from: 'bias', gate: 'o' },
  },
  gru: {
    Wz: { from: 'concat', gate: 'z' }, bz: { from: 'bias', gate: 'z' },
    Wr: { from: 'concat', gate: 'r' }, br: { from: 'bias', gate: 'r' },
    Whx: { from: 'W', gate: 'h' }, bhx: { from: 'Wb', gate: 'h' },
    Whh: { from: 'R', gate: 'h' }, bhh: { from: 'Rb', gate: 'h' },
  },
  rnn: {
    Waa: { from: 'R', gate: 'a' }, Wax: { from: 'W', gate: 'a' }, ba: { from: 'bias', gate: 'a' },
  },
};

/** A parameter of ours: shape `[rows, cols]` and row-major values. */
export interface ParameterBlock {
  readonly shape: readonly [number, number];
  readonly data: Float64Array;
}

/** Sizes of a layer direction: `nA` hidden units, `nX` inputs. */
export interface GateSizes {
  readonly nA: number;
  readonly nX: number;
}

/** Our parameters of `cell` (keys as `CELLS[cell]` names them, without a layer prefix) from gate weights in `order`. */
export function cellParameters(cell: CellName, g: GateWeights, order: readonly Gate[], { nA, nX }: GateSizes): Record<string, ParameterBlock> {
  const out: Record<string, ParameterBlock> = {};
  for (const [name, part] of Object.entries(CELL_PARTS[cell])) {
    const k = order.indexOf(part.gate);
    if (k < 0) throw new Error(`gate ${part.gate} is not in [${order.join(', ')}]`);
    const w = (u: number, j: number): number => g.W[(k * nA + u) * nX + j] as number;
    const r = (u: number, j: number): number => g.R[(k * nA + u) * nA + j] as number;
    const wb = (u: number): number => g.Wb[k * nA + u] as number;
    const rb = (u: number): number => g.Rb[k * nA + u] as number;
    const block = (rows: number, cols: number, at: (u: number, j: number) => number): ParameterBlock => {
      const data = new Float64Array(rows * cols);
      for (let u = 0; u < rows; u++) for (let j = 0; j < cols; j++) data[u * cols + j] = at(u, j);
      return { shape: [rows, cols], data };
    };
    if (part.from === 'concat') out[name] = block(nA, nA + nX, (u, j) => (j < nA ? r(u, j) : w(u, j - nA)));
    else if (part.from === 'bias') out[name] = block(nA, 1, (u) => wb(u) + rb(u));
    else if (part.from === 'W') out[name] = block(nA, nX, w);
    else if (part.from === 'R') out[name] = block(nA, nA, r);
    else if (part.from === 'Wb') out[name] = block(nA, 1, wb);
    else out[name] = block(nA, 1, rb);
  }
  return out;
}

/**
 * Gate weights in `order` from our parameters of `cell` (values row-major, keys without a layer
 * prefix). A summed bias goes to `Wb_g` with `Rb_g = 0`, which computes the same.
 */
export function gateWeights(cell: CellName, p: Readonly<Record<string, ArrayLike<number>>>, order: readonly Gate[], { nA, nX }: GateSizes): GateWeights {
  const G = order.length;
  const W = new Float64Array(G * nA * nX);
  const R = new Float64Array(G * nA * nA);
  const Wb = new Float64Array(G * nA);
  const Rb = new Float64Array(G * nA);
  for (const [name, part] of Object.entries(CELL_PARTS[cell])) {
    const v = p[name];
    if (v === undefined) throw new Error(`parameter ${name} is missing`);
    const k = order.indexOf(part.gate);
    for (let u = 0; u < nA; u++) {
      const row = k * nA + u;
      if (part.from === 'concat') {
        for (let j = 0; j < nA; j++) R[row * nA + j] = v[u * (nA + nX) + j] as number;
        for (let j = 0; j < nX; j++) W[row * nX + j] = v[u * (nA + nX) + nA + j] as number;
      } else if (part.from === 'W') for (let j = 0; j < nX; j++) W[row * nX + j] = v[u * nX + j] as number;
      else if (part.from === 'R') for (let j = 0; j < nA; j++) R[row * nA + j] = v[u * nA + j] as number;
      else if (part.from === 'Rb') Rb[row] = v[u] as number;
      else Wb[row] = v[u] as number;
    }
  }
  return { W, R, Wb, Rb };
}
