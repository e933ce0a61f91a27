import type { CellName } from '@rnn/cells';

/** The backends the page offers: the CPU backend, or gpu.js in one of its browser modes. */
export type WebBackend = 'cpu' | 'webgl2' | 'webgpu';

/** What the page asks the worker to do. */
export type ToWorker =
  | {
      readonly type: 'train';
      readonly backend: WebBackend;
      readonly cell: CellName;
      readonly hiddenSize: number;
      readonly iterations: number;
      readonly batchSize: number;
      readonly learningRate: number;
      readonly seed: number;
    }
  | { readonly type: 'stop' };

/** One panel of the heatmap: an activation or state of the bottom layer at each step, `[step][unit]`. */
export interface HeatmapPanel {
  /** What it shows, e.g. `forget gate f⟨t⟩`. */
  readonly title: string;
  /** `[step][unit]`. */
  readonly values: readonly (readonly number[])[];
  /** Signed values (a state, a candidate) drawn blue–white–red; gates in [0, 1] drawn on a ramp. */
  readonly diverging: boolean;
}

/** The activations of a sampled name's steps, as the cell's description names them: one panel each. */
export interface HeatmapData {
  /** The name's characters, then `⏎` for the end of name when it was drawn. */
  readonly labels: readonly string[];
  /** The cell they belong to. */
  readonly cell: CellName;
  readonly panels: readonly HeatmapPanel[];
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
