/**
 * A deliberately plain float64 reference of the cell math in SPEC.md, used as the oracle of
 * the conformance suite. Matrices are `{ rows, cols, data }` in row-major order; nothing here
 * is tuned for speed.
 */

/** A row-major float64 matrix. */
export interface Mat {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** The values, row after row. */
  readonly data: Float64Array;
}

/** Makes a matrix from flat values. */
export function mat(rows: number, cols: number, values: ArrayLike<number>): Mat {
  return { rows, cols, data: Float64Array.from(values) };
}

const at = (m: Mat, r: number, c: number): number => m.data[r * m.cols + c] as number;

function map(m: Mat, f: (v: number, r: number, c: number) => number): Mat {
  const out = new Float64Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) out[r * m.cols + c] = f(at(m, r, c), r, c);
  return { rows: m.rows, cols: m.cols, data: out };
}

/** `a·b`. */
export function dot(a: Mat, b: Mat): Mat {
  const out = new Float64Array(a.rows * b.cols);
  for (let r = 0; r < a.rows; r++) {
    for (let c = 0; c < b.cols; c++) {
      let s = 0;
      for (let k = 0; k < a.cols; k++) s += at(a, r, k) * at(b, k, c);
      out[r * b.cols + c] = s;
    }
  }
  return { rows: a.rows, cols: b.cols, data: out };
}

/** `aᵀ`. */
export function transpose(a: Mat): Mat {
  const out = new Float64Array(a.rows * a.cols);
  for (let r = 0; r < a.rows; r++) for (let c = 0; c < a.cols; c++) out[c * a.rows + r] = at(a, r, c);
  return { rows: a.cols, cols: a.rows, data: out };
}

/** Element-wise sum; a `(n,1)` right operand broadcasts over columns. */
export function plus(a: Mat, b: Mat): Mat {
  return map(a, (v, r, c) => v + (b.cols === 1 ? at(b, r, 0) : at(b, r, c)));
}

/** Element-wise product. */
export function times(a: Mat, b: Mat): Mat {
  return map(a, (v, r, c) => v * at(b, r, c));
}

/** Applies `f` to every element. */
export function apply(a: Mat, f: (v: number) => number): Mat {
  return map(a, (v) => f(v));
}

/** Sums over columns: `(n,m)` → `(n,1)`. */
export function sumColumns(a: Mat): Mat {
  const out = new Float64Array(a.rows);
  for (let r = 0; r < a.rows; r++) for (let c = 0; c < a.cols; c++) out[r] = (out[r] as number) + at(a, r, c);
  return { rows: a.rows, cols: 1, data: out };
}

/** `[p; q]`. */
export function stackRows(p: Mat, q: Mat): Mat {
  const data = new Float64Array((p.rows + q.rows) * p.cols);
  data.set(p.data, 0);
  data.set(q.data, p.data.length);
  return { rows: p.rows + q.rows, cols: p.cols, data };
}

/** Rows `[from, to)`. */
export function rowsOf(a: Mat, from: number, to: number): Mat {
  return { rows: to - from, cols: a.cols, data: a.data.slice(from * a.cols, to * a.cols) };
}

/** Softmax down each column. */
export function softmaxColumns(a: Mat): Mat {
  const out = new Float64Array(a.rows * a.cols);
  for (let c = 0; c < a.cols; c++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < a.rows; r++) max = Math.max(max, at(a, r, c));
    let sum = 0;
    for (let r = 0; r < a.rows; r++) sum += Math.exp(at(a, r, c) - max);
    for (let r = 0; r < a.rows; r++) out[r * a.cols + c] = Math.exp(at(a, r, c) - max) / sum;
  }
  return { rows: a.rows, cols: a.cols, data: out };
}

const sig = (v: number): number => 1 / (1 + Math.exp(-v));
const oneMinusSquare = (v: number): number => 1 - v * v;

/** RNN cell forward per SPEC.md. */
export function refRnnCellForward(p: { xt: Mat; aPrev: Mat; Waa: Mat; Wax: Mat; ba: Mat; Wya: Mat; by: Mat }) {
  const aNext = apply(plus(plus(dot(p.Waa, p.aPrev), dot(p.Wax, p.xt)), p.ba), Math.tanh);
  const ytPred = softmaxColumns(plus(dot(p.Wya, aNext), p.by));
  return {
    /** `tanh(Waa·aPrev + Wax·xt + ba)`. */
    aNext,
    /** `softmax(Wya·aNext + by)`. */
    ytPred,
  };
}

/** RNN cell backward per SPEC.md, with `da = daNext (+ daCarry)`. */
export function refRnnCellBackward(p: { da: Mat; aNext: Mat; aPrev: Mat; xt: Mat; Waa: Mat; Wax: Mat }) {
  const dtanh = times(apply(p.aNext, oneMinusSquare), p.da);
  return {
    /** `Waxᵀ·dtanh`. */
    dxt: dot(transpose(p.Wax), dtanh),
    /** `Waaᵀ·dtanh`. */
    daPrev: dot(transpose(p.Waa), dtanh),
    /** `dtanh·xtᵀ`. */
    dWax: dot(dtanh, transpose(p.xt)),
    /** `dtanh·aPrevᵀ`. */
    dWaa: dot(dtanh, transpose(p.aPrev)),
    /** `Σ_batch dtanh`. */
    dba: sumColumns(dtanh),
  };
}

/** LSTM cell forward per SPEC.md. */
export function refLstmCellForward(p: {
  xt: Mat; aPrev: Mat; cPrev: Mat; Wf: Mat; bf: Mat; Wi: Mat; bi: Mat; Wc: Mat; bc: Mat; Wo: Mat; bo: Mat; Wy: Mat; by: Mat;
}) {
  const concat = stackRows(p.aPrev, p.xt);
  const ft = apply(plus(dot(p.Wf, concat), p.bf), sig);
  const it = apply(plus(dot(p.Wi, concat), p.bi), sig);
  const cct = apply(plus(dot(p.Wc, concat), p.bc), Math.tanh);
  const cNext = plus(times(ft, p.cPrev), times(it, cct));
  const ot = apply(plus(dot(p.Wo, concat), p.bo), sig);
  const aNext = times(ot, apply(cNext, Math.tanh));
  const ytPred = softmaxColumns(plus(dot(p.Wy, aNext), p.by));
  return {
    /** `ot ⊙ tanh(cNext)`. */
    aNext,
    /** `ft ⊙ cPrev + it ⊙ cct`. */
    cNext,
    /** Forget gate. */
    ft,
    /** Update gate. */
    it,
    /** Candidate cell value. */
    cct,
    /** Output gate. */
    ot,
    /** `softmax(Wy·aNext + by)`. */
    ytPred,
  };
}

/** LSTM cell backward per SPEC.md, with `da = daNext (+ daCarry)`. */
export function refLstmCellBackward(p: {
  da: Mat; dcNext: Mat; cNext: Mat; aPrev: Mat; cPrev: Mat; ft: Mat; it: Mat; cct: Mat; ot: Mat; xt: Mat;
  Wf: Mat; Wi: Mat; Wc: Mat; Wo: Mat;
}) {
  const nA = p.aPrev.rows;
  const tc = apply(p.cNext, Math.tanh);
  const dc = plus(p.dcNext, times(times(p.da, p.ot), apply(tc, oneMinusSquare)));
  const dot_ = times(times(p.da, tc), apply(p.ot, (o) => o * (1 - o)));
  const dcct = times(times(dc, p.it), apply(p.cct, oneMinusSquare));
  const dit = times(times(dc, p.cct), apply(p.it, (i) => i * (1 - i)));
  const dft = times(times(dc, p.cPrev), apply(p.ft, (f) => f * (1 - f)));
  const concatT = transpose(stackRows(p.aPrev, p.xt));
  const dconcat = plus(
    plus(dot(transpose(p.Wf), dft), dot(transpose(p.Wi), dit)),
    plus(dot(transpose(p.Wc), dcct), dot(transpose(p.Wo), dot_)),
  );
  return {
    /** `dconcat[n_a:]`. */
    dxt: rowsOf(dconcat, nA, dconcat.rows),
    /** `dconcat[:n_a]`. */
    daPrev: rowsOf(dconcat, 0, nA),
    /** `dc ⊙ ft`. */
    dcPrev: times(dc, p.ft),
    /** `dft·concatᵀ`. */
    dWf: dot(dft, concatT),
    /** `Σ_batch dft`. */
    dbf: sumColumns(dft),
    /** `dit·concatᵀ`. */
    dWi: dot(dit, concatT),
    /** `Σ_batch dit`. */
    dbi: sumColumns(dit),
    /** `dcct·concatᵀ`. */
    dWc: dot(dcct, concatT),
    /** `Σ_batch dcct`. */
    dbc: sumColumns(dcct),
    /** `dot·concatᵀ`. */
    dWo: dot(dot_, concatT),
    /** `Σ_batch dot`. */
    dbo: sumColumns(dot_),
  };
}

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
