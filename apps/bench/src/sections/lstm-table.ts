import type { CellName } from '@rnn/cells';
import type { DType } from '@rnn/tensor';
import { markdownTable, speedup } from '../markdown-table.js';

/** One measured row of the LSTM section. */
export interface LstmRow {
  /** The runner's name in `RUNNERS` (`cpu`, `tfjs-wasm`, `onnxruntime`, …). */
  readonly runner: string;
  /** The runner's label as printed. */
  readonly label: string;
  /** The cell measured: `lstm`, or `gru` on our cpu backend. */
  readonly cell: CellName;
  readonly workload: string;
  readonly dtype: DType;
  readonly pass: string;
  readonly firstMs: number;
  readonly compileMs: number | undefined;
  readonly medianMs: number;
  readonly gflops: number;
  readonly runs: number;
}

/** The runners every row is compared with, by name in `RUNNERS`, and their column headers. */
export const LSTM_BASES = [
  { runner: 'cpu', header: 'vs cpu' },
  { runner: 'tfjs-wasm', header: '× tfjs-wasm' },
  { runner: 'onnxruntime', header: '× ORT' },
] as const;

/** The order cells are listed in within a workload: the LSTM, which every runner has, first. */
const CELL_ORDER: readonly CellName[] = ['lstm', 'gru', 'rnn'];

/**
 * The table of recurrent layers, sorted by workload, cell (LSTM first), dtype and pass. Each base
 * column holds the base runner's median of the same cell, workload, dtype and pass divided by this
 * row's (above 1× = this row is faster; `–` where the base has no such row, e.g. no peer runs a GRU).
 */
export function lstmTable(rows: readonly LstmRow[]): string {
  const key = (r: LstmRow) => `${r.cell}|${r.workload}|${r.dtype}|${r.pass}`;
  const bases = LSTM_BASES.map(({ runner }) => new Map(rows.filter((r) => r.runner === runner).map((r) => [key(r), r.medianMs])));
  const head = ['workload', 'cell', 'dtype', 'pass', 'backend', 'first ms', 'compile ms', 'median ms', 'GFLOP/s', ...LSTM_BASES.map((b) => b.header), 'runs'];
  const sorted = [...rows].sort((a, b) =>
    a.workload.localeCompare(b.workload) || CELL_ORDER.indexOf(a.cell) - CELL_ORDER.indexOf(b.cell) || a.dtype.localeCompare(b.dtype) || a.pass.localeCompare(b.pass));
  return markdownTable(head, sorted.map((r) => [
    r.workload, r.cell.toUpperCase(), r.dtype, r.pass, r.label, r.firstMs.toFixed(2), r.compileMs?.toFixed(2) ?? '–', r.medianMs.toFixed(2), r.gflops.toFixed(3),
    ...bases.map((base) => speedup(base.get(key(r)), r.medianMs)), String(r.runs),
  ]));
}
