import type { CellName } from '@rnn/cells';
import type { DType } from '@rnn/tensor';
import type { Workload } from '../workloads.js';

/** One prepared measurement: a forward pass, optionally forward+backward, each awaiting its result. */
export interface PreparedRun {
  forward(): Promise<void>;
  forwardBackward?: (() => Promise<void>) | undefined;
  dispose(): void;
}

/** Something the bench measures side by side: one of our backends or a peer library. */
export interface Runner {
  /** Row label, e.g. `cpu (js)` or `tfjs-wasm`. */
  readonly label: string;
  /** What the row computes, when it differs from ours (e.g. no output layer). */
  readonly note?: string;
  readonly dtypes: readonly DType[];
  /** The cells it runs (default: the LSTM only; the peers have no GRU). */
  readonly cells?: readonly CellName[];
  /** FLOPs of its forward pass when it computes less than ours (e.g. no output layer). */
  forwardFlops?(w: Workload): number;
  /** Whether this runner takes the workload at all (the JS peers skip the largest). */
  accepts?(w: Workload): boolean;
  /** A run of `cell` (default `lstm`) on the workload. */
  prepare(w: Workload, dtype: DType, cell?: CellName): Promise<PreparedRun>;
  /** Total milliseconds spent compiling kernels so far, for runners that compile (gpu.js). */
  compileMs?(): number;
  close(): void;
}
