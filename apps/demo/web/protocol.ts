import type { CellName } from '@rnn/cells';

/** The backends the page offers: the CPU backend (WebAssembly SIMD), or gpu.js in one of its browser modes. */
export type WebBackend = 'cpu' | 'webgl2' | 'webgpu';

/** What a run trains on: the built-in dinosaur names, or lines the user pasted or dropped. */
export type TrainingData =
  | { readonly source: 'dinos' }
  | { readonly source: 'text'; readonly name: string; readonly lines: readonly string[] };

/** A training run's settings, every one checked by the page (see `settings.ts`). */
export interface TrainRequest {
  readonly type: 'train';
  readonly backend: WebBackend;
  readonly cell: CellName;
  readonly numLayers: number;
  readonly hiddenSize: number;
  readonly iterations: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  readonly data: TrainingData;
}

/** What the page asks a training worker: train, or stop after the current iteration. */
export type ToTrainer = TrainRequest | { readonly type: 'stop' };

/** One panel of the heatmap: an activation or state of the bottom layer at each step, `[step][unit]`. */
export interface HeatmapPanel {
  /** What it shows, e.g. `forget gate f⟨t⟩`. */
  readonly title: string;
  /** `[step][unit]`. */
  readonly values: readonly (readonly number[])[];
  /** Signed values (a state, a candidate) drawn blue–white–red; gates in [0, 1] drawn on a ramp. */
  readonly diverging: boolean;
}

/** The activations of a name's steps, as the cell's description names them: one panel each. */
export interface HeatmapData {
  /** The name's characters, then `⏎` for the end of name when it was drawn. */
  readonly labels: readonly string[];
  /** The cell they belong to. */
  readonly cell: CellName;
  readonly panels: readonly HeatmapPanel[];
}

/** What a training worker reports, in order: phases, `ready`, then progress and samples, then `done` or `error`. */
export type FromTrainer =
  | { readonly type: 'phase'; readonly phase: string }
  | {
      readonly type: 'ready';
      /** `backend.mode`: `wasm-simd` or `js` on the CPU, `webgl2` or `webgpu` on gpu.js. */
      readonly mode: string;
      readonly dtype: string;
      /** The first name sampled from the freshly initialised model with the run's seed, on this backend. */
      readonly firstSample: string;
      /** The same draw on the CPU backend in float64, for comparison (equal to `firstSample` on the CPU). */
      readonly firstSampleCpu: string;
      /** The add-k 3-gram's held-out cross-entropy on this run's data, nats per character. */
      readonly ngramNatsPerChar: number;
      readonly trainNames: number;
      readonly heldOutNames: number;
      /** Characters of the vocabulary, end of name included. */
      readonly vocabularySize: number;
    }
  | {
      readonly type: 'progress';
      /** Iterations finished. */
      readonly iteration: number;
      /** `[iteration, smoothed training loss]` since the last progress message, at most 500 over a run. */
      readonly points: readonly (readonly [number, number])[];
      /** The held-out loss, when it was evaluated at `iteration`. */
      readonly heldOut?: number | undefined;
      readonly namesPerSecond: number;
      readonly seconds: number;
    }
  | { readonly type: 'samples'; readonly iteration: number; readonly names: readonly string[]; readonly heatmap?: HeatmapData | undefined }
  | {
      readonly type: 'done';
      readonly iterations: number;
      readonly seconds: number;
      readonly heldOut: number;
      readonly stopped: boolean;
      /** `SequenceModel.save()` of the trained model (what `pnpm demo train` writes); `null` when no iteration finished. */
      readonly checkpoint: Uint8Array | null;
    }
  | { readonly type: 'error'; readonly message: string };

/** What the model worker does with checkpoints: keep one under an id, sample from it, trace a name through it. */
export type ToModels =
  | { readonly type: 'load'; readonly request: number; readonly model: number; readonly bytes: Uint8Array }
  | { readonly type: 'sample'; readonly request: number; readonly model: number; readonly prefix: string; readonly temperature: number; readonly count: number; readonly seed: number }
  | { readonly type: 'inspect'; readonly request: number; readonly model: number; readonly text: string };

/** A loaded checkpoint as the page shows it. */
export interface ModelInfo {
  readonly cell: CellName;
  readonly hiddenSize: number;
  readonly numLayers: number;
  /** The characters the model writes, end of name excluded. */
  readonly characters: readonly string[];
  /** `metadata.iterations`: iterations it was trained for. */
  readonly iterations: number | null;
  /** `metadata.seed`, else the seed its weights were drawn from. */
  readonly seed: number | null;
  /** `metadata.backend` (and `mode`), as the trainer recorded it. */
  readonly backend: string | null;
  readonly heldOutNatsPerChar: number | null;
  readonly corpus: string | null;
}

/** What the model worker answers, each reply naming its request. */
export type FromModels =
  | { readonly type: 'loaded'; readonly request: number; readonly info: ModelInfo }
  | { readonly type: 'sampled'; readonly request: number; readonly names: readonly string[] }
  | { readonly type: 'inspected'; readonly request: number; readonly heatmap: HeatmapData }
  | { readonly type: 'failed'; readonly request: number; readonly message: string };
