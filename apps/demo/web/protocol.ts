import type { CellType } from '@rnn/train';

/** The backends the page offers: the CPU backend, or gpu.js in one of its browser modes. */
export type WebBackend = 'cpu' | 'webgl2' | 'webgpu';

/** What the page asks the worker to do. */
export type ToWorker =
  | {
      readonly type: 'train';
      readonly backend: WebBackend;
      readonly cell: CellType;
      readonly hiddenSize: number;
      readonly iterations: number;
      readonly batchSize: number;
      readonly learningRate: number;
      readonly seed: number;
    }
  | { readonly type: 'stop' };

/** An LSTM's gates and cell state at each step of a sampled name: `[step][unit]`. */
export interface HeatmapData {
  /** The name's characters, then `⏎` for the end of name when it was drawn. */
  readonly labels: readonly string[];
  readonly forget: readonly (readonly number[])[];
  readonly update: readonly (readonly number[])[];
  readonly output: readonly (readonly number[])[];
  readonly cell: readonly (readonly number[])[];
}

/** What the worker reports. */
export type FromWorker =
  | {
      readonly type: 'ready';
      readonly backend: WebBackend;
      readonly mode: string;
      readonly dtype: string;
      /** The first name sampled from the freshly initialised model with the run's seed, on this backend. */
      readonly firstSample: string;
      /** The same draw on the CPU backend in float64, for comparison (equal to `firstSample` on the CPU). */
      readonly firstSampleCpu: string;
      readonly ngramNatsPerChar: number;
      readonly trainNames: number;
      readonly heldOutNames: number;
    }
  | { readonly type: 'progress'; readonly iteration: number; readonly loss: number; readonly smoothLoss: number; readonly heldOut?: number | undefined; readonly namesPerSecond: number }
  | { readonly type: 'samples'; readonly iteration: number; readonly names: readonly string[]; readonly heatmap?: HeatmapData | undefined }
  | { readonly type: 'done'; readonly iterations: number; readonly seconds: number; readonly heldOut: number; readonly stopped: boolean }
  | { readonly type: 'error'; readonly message: string };
