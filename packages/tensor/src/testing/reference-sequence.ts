import { dot, mat, plus, refGruCellBackward, refGruCellForward, refLstmCellBackward, refLstmCellForward, refRnnCellBackward, refRnnCellForward, softmaxColumns, sumColumns, transpose, type Mat } from './reference.js';

// The float64 reference of whole sequences, step by step over the cell references of
// reference.ts: plain sequences, and the walk of a padded batch (reverse, per-example lengths)
// computed example by example — a different algorithm from a backend's masks.

/** LSTM gate weights and biases as reference matrices. */
export interface RefLstmGates {
  /** Forget-gate weights. */
  Wf: Mat;
  /** Forget-gate bias. */
  bf: Mat;
  /** Update-gate weights. */
  Wi: Mat;
  /** Update-gate bias. */
  bi: Mat;
  /** Candidate weights. */
  Wc: Mat;
  /** Candidate bias. */
  bc: Mat;
  /** Output-gate weights. */
  Wo: Mat;
  /** Output-gate bias. */
  bo: Mat;
}

/** One step of `refLstmSequence`: the state after it and its gate activations. */
export interface RefLstmStep {
  /** `aNext`. */
  aNext: Mat;
  /** `cNext`. */
  cNext: Mat;
  /** Forget gate. */
  ft: Mat;
  /** Update gate. */
  it: Mat;
  /** Candidate. */
  cct: Mat;
  /** Output gate. */
  ot: Mat;
}

/** An LSTM over the steps `xs` (each `(n_x, m)`) from `a0`, `c0`: the cell of SPEC.md, step after step. */
export function refLstmSequence(xs: readonly Mat[], a0: Mat, c0: Mat, p: RefLstmGates): RefLstmStep[] {
  const steps: RefLstmStep[] = [];
  let aPrev = a0;
  let cPrev = c0;
  const noOutput = { Wy: mat(1, a0.rows, new Float64Array(a0.rows)), by: mat(1, 1, [0]) };
  for (const xt of xs) {
    const s = refLstmCellForward({ xt, aPrev, cPrev, ...p, ...noOutput });
    steps.push({ aNext: s.aNext, cNext: s.cNext, ft: s.ft, it: s.it, cct: s.cct, ot: s.ot });
    aPrev = s.aNext;
    cPrev = s.cNext;
  }
  return steps;
}

/** The LSTM weight gradients summed over the steps of `refLstmSequenceBackward`. */
export interface RefLstmWeightGradients {
  /** Summed `dWf`. */
  dWf: Mat;
  /** Summed `dbf`. */
  dbf: Mat;
  /** Summed `dWi`. */
  dWi: Mat;
  /** Summed `dbi`. */
  dbi: Mat;
  /** Summed `dWc`. */
  dWc: Mat;
  /** Summed `dbc`. */
  dbc: Mat;
  /** Summed `dWo`. */
  dWo: Mat;
  /** Summed `dbo`. */
  dbo: Mat;
}

/** Backpropagation through time over `refLstmSequence`: `da[t]` from outside, both carries zero at the end. */
export function refLstmSequenceBackward(da: readonly Mat[], xs: readonly Mat[], a0: Mat, c0: Mat, steps: readonly RefLstmStep[], p: RefLstmGates) {
  const nA = a0.rows;
  const zero = mat(nA, a0.cols, new Float64Array(nA * a0.cols));
  let daCarry = zero;
  let dcCarry = zero;
  const dx: Mat[] = new Array<Mat>(xs.length);
  let sums: RefLstmWeightGradients | undefined;
  for (let t = xs.length - 1; t >= 0; t--) {
    const s = steps[t] as RefLstmStep;
    const g = refLstmCellBackward({
      da: plus(da[t] as Mat, daCarry), dcNext: dcCarry, cNext: s.cNext, aPrev: t === 0 ? a0 : (steps[t - 1] as RefLstmStep).aNext,
      cPrev: t === 0 ? c0 : (steps[t - 1] as RefLstmStep).cNext, ft: s.ft, it: s.it, cct: s.cct, ot: s.ot, xt: xs[t] as Mat,
      Wf: p.Wf, Wi: p.Wi, Wc: p.Wc, Wo: p.Wo,
    });
    dx[t] = g.dxt;
    daCarry = g.daPrev;
    dcCarry = g.dcPrev;
    const { dxt: _dxt, daPrev: _daPrev, dcPrev: _dcPrev, ...w } = g;
    sums = sums === undefined ? w : {
      dWf: plus(sums.dWf, w.dWf), dbf: plus(sums.dbf, w.dbf), dWi: plus(sums.dWi, w.dWi), dbi: plus(sums.dbi, w.dbi),
      dWc: plus(sums.dWc, w.dWc), dbc: plus(sums.dbc, w.dbc), dWo: plus(sums.dWo, w.dWo), dbo: plus(sums.dbo, w.dbo),
    };
  }
  if (sums === undefined) throw new Error('refLstmSequenceBackward: no steps');
  return {
    /** `dx⟨t⟩` of every step. */
    dx,
    /** Gradient with respect to `a0`. */
    da0: daCarry,
    /** Gradient with respect to `c0`. */
    dc0: dcCarry,
    /** The summed weight gradients. */
    weights: sums,
  };
}

/** A basic RNN over the steps `xs` from `a0`: the hidden state after every step. */
export function refRnnSequence(xs: readonly Mat[], a0: Mat, p: { Waa: Mat; Wax: Mat; ba: Mat }): Mat[] {
  const out: Mat[] = [];
  let aPrev = a0;
  const noOutput = { Wya: mat(1, a0.rows, new Float64Array(a0.rows)), by: mat(1, 1, [0]) };
  for (const xt of xs) {
    aPrev = refRnnCellForward({ xt, aPrev, ...p, ...noOutput }).aNext;
    out.push(aPrev);
  }
  return out;
}

/** Backpropagation through time over `refRnnSequence`. */
export function refRnnSequenceBackward(da: readonly Mat[], xs: readonly Mat[], a0: Mat, a: readonly Mat[], p: { Waa: Mat; Wax: Mat }) {
  let daCarry = mat(a0.rows, a0.cols, new Float64Array(a0.rows * a0.cols));
  const dx: Mat[] = new Array<Mat>(xs.length);
  let sums: { dWax: Mat; dWaa: Mat; dba: Mat } | undefined;
  for (let t = xs.length - 1; t >= 0; t--) {
    const g = refRnnCellBackward({ da: plus(da[t] as Mat, daCarry), aNext: a[t] as Mat, aPrev: t === 0 ? a0 : (a[t - 1] as Mat), xt: xs[t] as Mat, Waa: p.Waa, Wax: p.Wax });
    dx[t] = g.dxt;
    daCarry = g.daPrev;
    sums = sums === undefined
      ? { dWax: g.dWax, dWaa: g.dWaa, dba: g.dba }
      : { dWax: plus(sums.dWax, g.dWax), dWaa: plus(sums.dWaa, g.dWaa), dba: plus(sums.dba, g.dba) };
  }
  if (sums === undefined) throw new Error('refRnnSequenceBackward: no steps');
  return {
    /** `dx⟨t⟩` of every step. */
    dx,
    /** Gradient with respect to `a0`. */
    da0: daCarry,
    /** Summed `dWax`. */
    dWax: sums.dWax,
    /** Summed `dWaa`. */
    dWaa: sums.dWaa,
    /** Summed `dba`. */
    dba: sums.dba,
  };
}

/** A linear output layer of every step: `W·a⟨t⟩ + b`. */
export function refLinearOutput(a: readonly Mat[], W: Mat, b: Mat): Mat[] {
  return a.map((at_) => plus(dot(W, at_), b));
}

/** The output layer of every step: `softmax(W·a⟨t⟩ + b)`. */
export function refSoftmaxOutput(a: readonly Mat[], W: Mat, b: Mat): Mat[] {
  return a.map((at_) => softmaxColumns(plus(dot(W, at_), b)));
}

/** The output layer's backward from its logits' gradients `dz⟨t⟩`: `da⟨t⟩ = Wᵀ·dz⟨t⟩`, `dW = Σ dz·aᵀ`, `db = Σ dz`. */
export function refOutputBackward(dz: readonly Mat[], a: readonly Mat[], W: Mat) {
  const da = dz.map((d) => dot(transpose(W), d));
  let dW = mat(W.rows, W.cols, new Float64Array(W.rows * W.cols));
  let db = mat(W.rows, 1, new Float64Array(W.rows));
  dz.forEach((d, t) => {
    dW = plus(dW, dot(d, transpose(a[t] as Mat)));
    db = plus(db, sumColumns(d));
  });
  return {
    /** `Wᵀ·dz⟨t⟩` of every step. */
    da,
    /** `Σ dz·aᵀ`. */
    dW,
    /** `Σ dz`. */
    db,
  };
}

/** Splits `(n, m, T)` values, time last, into `T` matrices `(n, m)`. */
export function timeSteps(values: ArrayLike<number>, n: number, m: number, T: number): Mat[] {
  const out: Mat[] = [];
  for (let t = 0; t < T; t++) {
    const data = new Float64Array(n * m);
    for (let i = 0; i < n * m; i++) data[i] = values[i * T + t] as number;
    out.push({ rows: n, cols: m, data });
  }
  return out;
}

/** Joins `T` matrices `(n, m)` into `(n, m, T)` values, time last. */
export function joinTimeSteps(steps: readonly Mat[]): Float64Array {
  const T = steps.length;
  const first = steps[0];
  if (first === undefined) return new Float64Array(0);
  const out = new Float64Array(first.data.length * T);
  steps.forEach((s, t) => {
    for (let i = 0; i < s.data.length; i++) out[i * T + t] = s.data[i] as number;
  });
  return out;
}

/** GRU weights and biases as reference matrices. */
export interface RefGruWeights {
  /** Update-gate weights. */
  Wz: Mat;
  /** Update-gate bias. */
  bz: Mat;
  /** Reset-gate weights. */
  Wr: Mat;
  /** Reset-gate bias. */
  br: Mat;
  /** Candidate input weights. */
  Whx: Mat;
  /** Candidate input bias. */
  bhx: Mat;
  /** Candidate recurrent weights. */
  Whh: Mat;
  /** Candidate recurrent bias. */
  bhh: Mat;
}

/** One step of `refGruSequence`. */
export interface RefGruStep {
  /** `aNext`. */
  aNext: Mat;
  /** Update gate. */
  zt: Mat;
  /** Reset gate. */
  rt: Mat;
  /** `Whh·aPrev + bhh`. */
  hh: Mat;
  /** Candidate. */
  hct: Mat;
}

/** A GRU over the steps `xs` from `a0`. */
export function refGruSequence(xs: readonly Mat[], a0: Mat, p: RefGruWeights): RefGruStep[] {
  const steps: RefGruStep[] = [];
  let aPrev = a0;
  const noOutput = { Wy: mat(1, a0.rows, new Float64Array(a0.rows)), by: mat(1, 1, [0]) };
  for (const xt of xs) {
    const { ytPred: _y, ...step } = refGruCellForward({ xt, aPrev, ...p, ...noOutput });
    steps.push(step);
    aPrev = step.aNext;
  }
  return steps;
}

/** The GRU weight gradients summed over the steps of `refGruSequenceBackward`. */
export interface RefGruWeightGradients {
  /** Summed `dWz`. */
  dWz: Mat;
  /** Summed `dbz`. */
  dbz: Mat;
  /** Summed `dWr`. */
  dWr: Mat;
  /** Summed `dbr`. */
  dbr: Mat;
  /** Summed `dWhx`. */
  dWhx: Mat;
  /** Summed `dbhx`. */
  dbhx: Mat;
  /** Summed `dWhh`. */
  dWhh: Mat;
  /** Summed `dbhh`. */
  dbhh: Mat;
}

/** Backpropagation through time over `refGruSequence`. */
export function refGruSequenceBackward(da: readonly Mat[], xs: readonly Mat[], a0: Mat, steps: readonly RefGruStep[], p: RefGruWeights) {
  let daCarry = mat(a0.rows, a0.cols, new Float64Array(a0.rows * a0.cols));
  const dx: Mat[] = new Array<Mat>(xs.length);
  let sums: RefGruWeightGradients | undefined;
  for (let t = xs.length - 1; t >= 0; t--) {
    const s = steps[t] as RefGruStep;
    const g = refGruCellBackward({ da: plus(da[t] as Mat, daCarry), aPrev: t === 0 ? a0 : (steps[t - 1] as RefGruStep).aNext, xt: xs[t] as Mat, ...s, Wz: p.Wz, Wr: p.Wr, Whx: p.Whx, Whh: p.Whh });
    dx[t] = g.dxt;
    daCarry = g.daPrev;
    const { dxt: _dxt, daPrev: _daPrev, ...w } = g;
    sums = sums === undefined ? w : {
      dWz: plus(sums.dWz, w.dWz), dbz: plus(sums.dbz, w.dbz), dWr: plus(sums.dWr, w.dWr), dbr: plus(sums.dbr, w.dbr),
      dWhx: plus(sums.dWhx, w.dWhx), dbhx: plus(sums.dbhx, w.dbhx), dWhh: plus(sums.dWhh, w.dWhh), dbhh: plus(sums.dbhh, w.dbhh),
    };
  }
  if (sums === undefined) throw new Error('refGruSequenceBackward: no steps');
  return {
    /** `dx⟨t⟩` of every step. */
    dx,
    /** Gradient with respect to `a0`. */
    da0: daCarry,
    /** The summed weight gradients. */
    weights: sums,
  };
}

/** A cell the walk reference runs, with its weights as reference matrices. */
export type RefCell = RefRnnCell | RefLstmCell | RefGruCell;

/** An RNN for the walk reference. */
export interface RefRnnCell {
  /** Which cell. */
  readonly kind: 'rnn';
  /** Its recurrent weights. */
  readonly weights: {
    /** Hidden state → hidden state, `(n_a, n_a)`. */
    readonly Waa: Mat;
    /** Input → hidden state, `(n_a, n_x)`. */
    readonly Wax: Mat;
    /** Hidden bias, `(n_a, 1)`. */
    readonly ba: Mat;
  };
}

/** An LSTM for the walk reference. */
export interface RefLstmCell {
  /** Which cell. */
  readonly kind: 'lstm';
  /** Its four gates' weights and biases. */
  readonly weights: RefLstmGates;
}

/** A GRU for the walk reference. */
export interface RefGruCell {
  /** Which cell. */
  readonly kind: 'gru';
  /** Its gates' and candidate's weights and biases. */
  readonly weights: RefGruWeights;
}

/** How the walk reference walks the steps: as the sequence kernels' `SequenceOptions`. */
export interface RefWalk {
  /** Walk from the last step to the first. */
  readonly reverse?: boolean | undefined;
  /** Each example's length. */
  readonly lengths?: readonly number[] | undefined;
}

/** What `refWalk` returns: time-indexed outputs (zero where a step did not run) and the gradients. */
export interface RefWalkResult {
  /** Hidden states `(n_a, m)` of every time step. */
  readonly a: Mat[];
  /** Cell states of every time step (the LSTM only). */
  readonly c: Mat[];
  /** Gradients with respect to every input step. */
  readonly dx: Mat[];
  /** Gradient with respect to `a0`. */
  readonly da0: Mat;
  /** Gradient with respect to `c0` (the LSTM only; zero otherwise). */
  readonly dc0: Mat;
  /** The weight gradients summed over examples and steps, keyed `d` + the weight's name. */
  readonly weights: Record<string, Mat>;
}

/** Column `j` of `m` as an `(rows, 1)` matrix: one example of a batch. */
export function column(m: Mat, j: number): Mat {
  return mat(m.rows, 1, Array.from({ length: m.rows }, (_, r) => m.data[r * m.cols + j] as number));
}

/** Writes the `(rows, 1)` matrix `values` into column `j` of `target`. */
export function setColumn(target: Mat, j: number, values: Mat): void {
  for (let r = 0; r < target.rows; r++) target.data[r * target.cols + j] = values.data[r] as number;
}

function zerosLike(m: Mat, cols = m.cols): Mat {
  return mat(m.rows, cols, new Float64Array(m.rows * cols));
}

/**
 * A recurrent layer over `xs` with the semantics of ONNX's `direction` and `sequence_lens`,
 * computed example by example: example `j` runs its own `lengths[j]` steps (forward, or from its
 * last step back to its first), its outputs past its length are zero, and `da` there is ignored.
 */
export function refWalk(cell: RefCell, xs: readonly Mat[], a0: Mat, c0: Mat, da: readonly Mat[], walk: RefWalk): RefWalkResult {
  const T = xs.length;
  const m = a0.cols;
  const a = xs.map(() => zerosLike(a0));
  const c = xs.map(() => zerosLike(a0));
  const dx = xs.map((x) => zerosLike(x));
  const da0 = zerosLike(a0);
  const dc0 = zerosLike(a0);
  const weights: Record<string, Mat> = {};
  const add = (name: string, g: Mat): void => {
    weights[name] = weights[name] === undefined ? g : plus(weights[name] as Mat, g);
  };
  for (let j = 0; j < m; j++) {
    const length = walk.lengths?.[j] ?? T;
    const times = Array.from({ length }, (_, s) => (walk.reverse === true ? length - 1 - s : s));
    const x = times.map((t) => column(xs[t] as Mat, j));
    const d = times.map((t) => column(da[t] as Mat, j));
    const a0j = column(a0, j);
    if (length === 0) continue;
    if (cell.kind === 'lstm') {
      const c0j = column(c0, j);
      const steps = refLstmSequence(x, a0j, c0j, cell.weights);
      steps.forEach((s, k) => { setColumn(a[times[k] as number] as Mat, j, s.aNext); setColumn(c[times[k] as number] as Mat, j, s.cNext); });
      const g = refLstmSequenceBackward(d, x, a0j, c0j, steps, cell.weights);
      g.dx.forEach((v, k) => setColumn(dx[times[k] as number] as Mat, j, v));
      setColumn(da0, j, g.da0);
      setColumn(dc0, j, g.dc0);
      for (const [name, v] of Object.entries(g.weights)) add(name, v);
    } else if (cell.kind === 'gru') {
      const steps = refGruSequence(x, a0j, cell.weights);
      steps.forEach((s, k) => setColumn(a[times[k] as number] as Mat, j, s.aNext));
      const g = refGruSequenceBackward(d, x, a0j, steps, cell.weights);
      g.dx.forEach((v, k) => setColumn(dx[times[k] as number] as Mat, j, v));
      setColumn(da0, j, g.da0);
      for (const [name, v] of Object.entries(g.weights)) add(name, v);
    } else {
      const states = refRnnSequence(x, a0j, cell.weights);
      states.forEach((s, k) => setColumn(a[times[k] as number] as Mat, j, s));
      const g = refRnnSequenceBackward(d, x, a0j, states, cell.weights);
      g.dx.forEach((v, k) => setColumn(dx[times[k] as number] as Mat, j, v));
      setColumn(da0, j, g.da0);
      for (const name of ['dWax', 'dWaa', 'dba'] as const) add(name, g[name]);
    }
  }
  return { a, c, dx, da0, dc0, weights };
}
