import { CELLS, type CellVariant } from '@rnn/cells';
import { keep, Tensor, type LstmPeepholes } from '@rnn/tensor';
import type { HostValue } from '../graph/host-value.js';
import { cellParameters, GATE_ORDERS } from '../weights/gate-weights.js';
import type { RunContext } from './operator.js';
import { IN, outputShapes, recurrentDims, type RecurrentAttributes, type RecurrentDims } from './recurrent.js';

/** A recurrent node's weights as our cell parameters, float32 host tensors per direction (uploaded to a backend on first use, kept there). */
export interface PreparedWeights {
  /** Per direction, the cell's recurrent parameters by their own names (`Wf`, `bf`, …). */
  readonly directions: readonly Readonly<Record<string, Tensor>>[];
  /** Per direction, the LSTM's peepholes when `P` is given and not all zero. */
  readonly peepholes: readonly (LstmPeepholes | undefined)[];
  /** Every tensor above, to dispose. */
  readonly tensors: readonly Tensor[];
}

/** Maps ONNX `W`, `R`, `B`, `P` to our parameters (SPEC's mapping; a missing `B` is zeros). */
export function prepareWeights(a: RecurrentAttributes, dims: RecurrentDims, W: HostValue, R: HostValue, B: HostValue | undefined, P: HostValue | undefined): PreparedWeights {
  const nA = dims.nA;
  const nX = W.shape[2] as number;
  const order = GATE_ORDERS.onnx[a.cell];
  const G = order.length;
  const tensors: Tensor[] = [];
  // Kept out of any enclosing tidy(): a loaded model holds its weights until dispose().
  const f32 = (data: ArrayLike<number>, shape: readonly number[]): Tensor => {
    const t = keep(Tensor.fromHost(Float32Array.from(data), shape, 'float32'));
    tensors.push(t);
    return t;
  };
  const directions = a.directions.map((_, d) => {
    const Wd = Float64Array.from(W.data.subarray(d * G * nA * nX, (d + 1) * G * nA * nX));
    const Rd = Float64Array.from(R.data.subarray(d * G * nA * nA, (d + 1) * G * nA * nA));
    const Bd = B === undefined ? new Float64Array(2 * G * nA) : Float64Array.from(B.data.subarray(d * 2 * G * nA, (d + 1) * 2 * G * nA));
    const blocks = cellParameters(a.cell, { W: Wd, R: Rd, Wb: Bd.subarray(0, G * nA), Rb: Bd.subarray(G * nA) }, order, { nA, nX });
    return Object.fromEntries(Object.entries(blocks).map(([name, b]) => [name, f32(b.data, b.shape)]));
  });
  const peepholes = a.directions.map((_, d) => {
    if (P === undefined) return undefined;
    const p = P.data.subarray(d * 3 * nA, (d + 1) * 3 * nA);
    if (p.every((v) => v === 0)) return undefined;
    // ONNX orders P as i, o, f.
    return { Pi: f32(p.subarray(0, nA), [nA, 1]), Po: f32(p.subarray(nA, 2 * nA), [nA, 1]), Pf: f32(p.subarray(2 * nA), [nA, 1]) };
  });
  return { directions, peepholes, tensors };
}

/** The forward-only cell variant a node asks for, or undefined when it is the plain cell. */
function variantOf(a: RecurrentAttributes, peepholes: LstmPeepholes | undefined): CellVariant | undefined {
  const v: { clip?: number; peepholes?: LstmPeepholes; inputForget?: boolean; linearBeforeReset?: boolean } = {};
  if (a.clip !== undefined && a.clip < 3.4e38) v.clip = a.clip;
  if (a.cell === 'lstm' && peepholes !== undefined) v.peepholes = peepholes;
  if (a.cell === 'lstm' && a.inputForget) v.inputForget = true;
  if (a.cell === 'gru' && !a.linearBeforeReset) v.linearBeforeReset = false;
  return Object.keys(v).length === 0 ? undefined : v;
}

/**
 * Runs a recurrent node: `X` to our `x (n_x, m, T)`, each direction through
 * `CELLS[cell].sequenceForward` on the run's backend (walking in reverse for the reverse one,
 * `sequence_lens` as per-example lengths), then the states back into ONNX's `Y`, `Y_h`, `Y_c`.
 */
export async function runRecurrent(a: RecurrentAttributes, inputs: readonly (HostValue | undefined)[], run: RunContext, prepared: PreparedWeights | undefined): Promise<HostValue[]> {
  const dims = recurrentDims(a, inputs, run.fail);
  const { nA, D } = dims;
  const [T, m, nX] = [dims.T, dims.m, dims.nX] as [number, number, number];
  if (T === 0 || m === 0) run.fail(`X has ${T} steps and ${m} examples; the cells need at least one of each`);
  const lensValue = inputs[IN.lengths];
  const lengths = lensValue === undefined ? undefined : Array.from(lensValue.data, (n, j) => {
    if (!Number.isInteger(n) || n < 0 || n > T) run.fail(`sequence_lens[${j}] = ${n} is outside [0, ${T}] (seq_length)`);
    return n;
  });
  const X = inputs[IN.X] as HostValue;
  const weights = prepared ?? prepareWeights(a, dims, inputs[IN.W] as HostValue, inputs[IN.R] as HostValue, inputs[IN.B], inputs[IN.P]);
  const owned: Tensor[] = prepared === undefined ? [...weights.tensors] : [];
  const f32 = (data: Float32Array, shape: readonly number[]): Tensor => {
    const t = Tensor.fromHost(data, shape, 'float32');
    owned.push(t);
    return t;
  };
  const layout0 = a.layout === 0;
  try {
    // x[i][j][t] from X[t][j][i] (layout 0) or X[j][t][i] (layout 1).
    const x = new Float32Array(nX * m * T);
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < m; j++) {
        const from = (layout0 ? t * m + j : j * T + t) * nX;
        for (let i = 0; i < nX; i++) x[(i * m + j) * T + t] = X.data[from + i] as number;
      }
    }
    const xT = f32(x, [nX, m, T]);
    // A state (n_a, m) of direction d from initial_h/initial_c: (D, m, n_a) or (m, D, n_a).
    const stateOf = (v: HostValue | undefined, d: number): Tensor => {
      const s = new Float32Array(nA * m);
      if (v !== undefined) {
        for (let j = 0; j < m; j++) for (let u = 0; u < nA; u++) s[u * m + j] = v.data[((layout0 ? d * m + j : j * D + d) * nA) + u] as number;
      }
      return f32(s, [nA, m]);
    };
    const k = run.backend().kernels;
    const cell = CELLS[a.cell];
    const states: { a: Float32Array; c: Float32Array | undefined }[] = [];
    for (const [d, direction] of a.directions.entries()) {
      const out = cell.sequenceForward(k, {
        x: xT,
        state: { a: stateOf(inputs[IN.h0], d), c: a.cell === 'lstm' ? stateOf(inputs[IN.c0], d) : undefined },
        weights: weights.directions[d] as Readonly<Record<string, Tensor>>,
        walk: { reverse: direction === 'reverse', lengths },
        variant: variantOf(a, weights.peepholes[d]),
      });
      try {
        const aData = (await out.states.a.data()) as Float32Array;
        const cData = out.states.c === undefined ? undefined : ((await out.states.c.data()) as Float32Array);
        states.push({ a: aData, c: cData });
      } finally {
        out.tape.dispose();
        for (const step of out.steps) for (const t of Object.values(step)) t.dispose();
        out.states.a.dispose();
        out.states.c?.dispose();
      }
    }
    return assemble(a, dims, states, lengths);
  } finally {
    for (const t of owned) t.dispose();
  }
}

/** `Y`, `Y_h` (and `Y_c`) in ONNX's layout from each direction's states `(n_a, m, T)`. */
function assemble(a: RecurrentAttributes, dims: RecurrentDims, states: readonly { a: Float32Array; c: Float32Array | undefined }[], lengths: readonly number[] | undefined): HostValue[] {
  const { nA, D } = dims;
  const [T, m] = [dims.T, dims.m] as [number, number];
  const [yShape, hShape, cShape] = outputShapes(a, dims) as number[][];
  const layout0 = a.layout === 0;
  const Y = new Float32Array(T * D * m * nA);
  const Yh = new Float32Array(D * m * nA);
  const Yc = a.cell === 'lstm' ? new Float32Array(D * m * nA) : undefined;
  states.forEach((s, d) => {
    const reverse = a.directions[d] === 'reverse';
    for (let j = 0; j < m; j++) {
      const len = lengths?.[j] ?? T;
      // The last state of a walk: step len−1 forward, step 0 in reverse; none (zero) for an empty example.
      const last = len === 0 ? -1 : reverse ? 0 : len - 1;
      for (let u = 0; u < nA; u++) {
        const row = (u * m + j) * T;
        for (let t = 0; t < T; t++) Y[((layout0 ? (t * D + d) * m + j : (j * T + t) * D + d) * nA) + u] = s.a[row + t] as number;
        const at = ((layout0 ? d * m + j : j * D + d) * nA) + u;
        if (last >= 0) {
          Yh[at] = s.a[row + last] as number;
          if (Yc !== undefined && s.c !== undefined) Yc[at] = s.c[row + last] as number;
        }
      }
    }
  });
  return [
    { type: 'float32', shape: yShape as number[], data: Y },
    { type: 'float32', shape: hShape as number[], data: Yh },
    ...(Yc === undefined ? [] : [{ type: 'float32' as const, shape: cShape as number[], data: Yc }]),
  ];
}
