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

/** GRU cell forward per SPEC.md (reset gate after the recurrent product). */
export function refGruCellForward(p: {
  xt: Mat; aPrev: Mat; Wz: Mat; bz: Mat; Wr: Mat; br: Mat; Whx: Mat; bhx: Mat; Whh: Mat; bhh: Mat; Wy: Mat; by: Mat;
}) {
  const concat = stackRows(p.aPrev, p.xt);
  const zt = apply(plus(dot(p.Wz, concat), p.bz), sig);
  const rt = apply(plus(dot(p.Wr, concat), p.br), sig);
  const hh = plus(dot(p.Whh, p.aPrev), p.bhh);
  const hct = apply(plus(plus(dot(p.Whx, p.xt), p.bhx), times(rt, hh)), Math.tanh);
  const aNext = plus(times(apply(zt, (z) => 1 - z), hct), times(zt, p.aPrev));
  return {
    /** `(1 − zt) ⊙ hct + zt ⊙ aPrev`. */
    aNext,
    /** Update gate. */
    zt,
    /** Reset gate. */
    rt,
    /** `Whh·aPrev + bhh`. */
    hh,
    /** Candidate. */
    hct,
    /** `softmax(Wy·aNext + by)`. */
    ytPred: softmaxColumns(plus(dot(p.Wy, aNext), p.by)),
  };
}

/** GRU cell backward per SPEC.md, with `da` the total gradient into `aNext`. */
export function refGruCellBackward(p: { da: Mat; aPrev: Mat; xt: Mat; zt: Mat; rt: Mat; hh: Mat; hct: Mat; Wz: Mat; Wr: Mat; Whx: Mat; Whh: Mat }) {
  const nA = p.aPrev.rows;
  const dhct = times(p.da, apply(p.zt, (z) => 1 - z));
  const dz = times(times(p.da, plus(p.aPrev, apply(p.hct, (h) => -h))), apply(p.zt, (z) => z * (1 - z)));
  const dhpre = times(dhct, apply(p.hct, oneMinusSquare));
  const dr = times(times(dhpre, p.hh), apply(p.rt, (r) => r * (1 - r)));
  const dhh = times(dhpre, p.rt);
  const concatT = transpose(stackRows(p.aPrev, p.xt));
  const dconcat = plus(dot(transpose(p.Wz), dz), dot(transpose(p.Wr), dr));
  return {
    /** `dconcat[n_a:] + Whxᵀ·dhpre`. */
    dxt: plus(rowsOf(dconcat, nA, dconcat.rows), dot(transpose(p.Whx), dhpre)),
    /** `dconcat[:n_a] + da ⊙ zt + Whhᵀ·dhh`. */
    daPrev: plus(plus(rowsOf(dconcat, 0, nA), times(p.da, p.zt)), dot(transpose(p.Whh), dhh)),
    /** `dz·concatᵀ`. */
    dWz: dot(dz, concatT),
    /** `Σ dz`. */
    dbz: sumColumns(dz),
    /** `dr·concatᵀ`. */
    dWr: dot(dr, concatT),
    /** `Σ dr`. */
    dbr: sumColumns(dr),
    /** `dhpre·xtᵀ`. */
    dWhx: dot(dhpre, transpose(p.xt)),
    /** `Σ dhpre`. */
    dbhx: sumColumns(dhpre),
    /** `dhh·aPrevᵀ`. */
    dWhh: dot(dhh, transpose(p.aPrev)),
    /** `Σ dhh`. */
    dbhh: sumColumns(dhh),
  };
}
