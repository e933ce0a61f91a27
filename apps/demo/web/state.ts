import type { CellName } from '@rnn/cells';
import type { HeatmapData, ModelInfo, WebBackend } from './protocol.js';

/** Where a run is: training (`starting` until its first iteration), then how it ended; `loaded` for a checkpoint read from a file. */
export type RunStatus = 'starting' | 'running' | 'stopping' | 'done' | 'stopped' | 'error' | 'loaded';

/** What a run was asked to do. */
export interface RunSettings {
  readonly backend: WebBackend;
  readonly cell: CellName;
  readonly numLayers: number;
  readonly hiddenSize: number;
  readonly iterations: number;
  readonly seed: number;
  /** `dinos.txt`, or the user's file name (`pasted text`). */
  readonly data: string;
}

/** Moments of a run on the page's clock (`performance.now()`, ms), for the tests' measurements. */
export interface RunTimes {
  started: number;
  ready: number | null;
  /** Every progress message, as it arrived. */
  progress: number[];
  stopAsked: number | null;
  ended: number | null;
}

/** One run (or loaded checkpoint) as the page holds it; `window.demoState.runs` exposes them to tests. */
export interface RunState {
  /** 1, 2, … in the order they were started or loaded. */
  readonly id: number;
  readonly color: string;
  /** Settings of a trained run; `null` for a loaded checkpoint (see `model`). */
  readonly settings: RunSettings | null;
  status: RunStatus;
  /** The last phase of the setup the worker reported. */
  phase: string;
  /** `backend.mode` of the run: `wasm-simd`, `webgl2`, `webgpu` … */
  mode: string;
  /** `[iteration, smoothed training loss]`. */
  losses: [number, number][];
  /** `[iteration, held-out loss]`. */
  heldOut: [number, number][];
  /** The iterations finished. */
  iterationsDone: number;
  /** Training speed at the last progress message. */
  namesPerSecond: number | null;
  /** The 3-gram's held-out loss on the run's data. */
  baseline: number | null;
  samples: string[];
  firstSample: string;
  firstSampleCpu: string;
  /** The last heatmap the run sent, to draw when the run is shown. */
  heatmap: HeatmapData | null;
  heldOutFinal: number | null;
  seconds: number | null;
  error: string | null;
  /** Why and how it stopped, when it did. */
  stopNote: string | null;
  /** The model's facts once the model worker has read its checkpoint (a trained run's when it ends, a loaded one's at once). */
  model: ModelInfo | null;
  /** The file a loaded checkpoint came from. */
  readonly file: string | null;
  /** Whether a checkpoint can be downloaded (and sampled from). */
  hasCheckpoint: boolean;
  times: RunTimes;
}

/** The loss chart's axes as last drawn. */
export interface ChartAxes {
  readonly xMax: number;
  readonly yBottom: number;
  readonly yTop: number;
  /** Points drawn at the top edge because they lie above `yTop`. */
  readonly above: number;
}

/** The page's state; `window.demoState` exposes it to tests. */
export interface DemoState {
  available: WebBackend[];
  unavailable: Partial<Record<WebBackend, string>>;
  runs: RunState[];
  /** The run whose samples, heatmap and model tools are shown. */
  selected: number | null;
  /** What the heatmap shows: the run, and whose name. */
  heatmap: { readonly run: number; readonly cell: CellName; readonly labels: readonly string[]; readonly panels: number; readonly traced: boolean } | null;
  chart: ChartAxes | null;
  /** Every message given to the live regions, in order. */
  announcements: string[];
}

/** Backend names as the page shows them. */
export const BACKEND_LABELS: Record<WebBackend, string> = { cpu: 'CPU', webgl2: 'gpu.js WebGL2', webgpu: 'gpu.js WebGPU' };

/** `3 iterations`, `1 iteration`, `1,000 iterations`. */
export function count(n: number, one: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : `${one}s`}`;
}

/** The backend with its mode, e.g. `CPU (wasm-simd)`, `gpu.js WebGPU (webgpu)`. */
export function backendText(run: RunState): string {
  if (run.settings === null) return run.model?.backend ?? 'from a file';
  return `${BACKEND_LABELS[run.settings.backend]}${run.mode === '' ? '' : ` (${run.mode})`}`;
}

/** The model's size, e.g. `LSTM, 32 units` or `GRU, 64 units × 2 layers`. */
export function sizeText(cell: CellName, hiddenSize: number, numLayers: number): string {
  return `${cell.toUpperCase()}, ${count(hiddenSize, 'unit')}${numLayers > 1 ? ` × ${numLayers} layers` : ''}`;
}

/**
 * A run's label wherever it appears (legend, table, heatmap, samples): `#2 CPU (wasm-simd) ·
 * LSTM, 32 units · seed 1 · 1,000 iterations`, with the data when it is not the dinosaur names.
 */
export function runLabel(run: RunState): string {
  const s = run.settings;
  if (s === null) {
    const m = run.model;
    const file = run.file ?? 'a checkpoint';
    if (m === null) return `#${run.id} ${file}`;
    const iterations = m.iterations === null ? '' : ` · ${count(m.iterations, 'iteration')}`;
    return `#${run.id} ${file} · ${sizeText(m.cell, m.hiddenSize, m.numLayers)} · seed ${m.seed ?? 'unknown'}${iterations}`;
  }
  const data = s.data === 'dinos.txt' ? '' : ` · ${s.data}`;
  return `#${run.id} ${backendText(run)} · ${sizeText(s.cell, s.hiddenSize, s.numLayers)} · seed ${s.seed} · ${count(s.iterations, 'iteration')}${data}`;
}

/** A run as it starts (`settings`), or a checkpoint loaded from `file` (settings `null`), before anything is known of it. */
export function newRun(id: number, color: string, settings: RunSettings | null, file: string | null): RunState {
  const now = performance.now();
  return {
    id, color, settings, file, status: settings === null ? 'loaded' : 'starting', phase: 'starting the worker', mode: '',
    losses: [], heldOut: [], iterationsDone: 0, namesPerSecond: null, baseline: null, samples: [], firstSample: '', firstSampleCpu: '',
    heatmap: null, heldOutFinal: null, seconds: null, error: null, stopNote: null, model: null, hasCheckpoint: false,
    times: { started: now, ready: null, progress: [], stopAsked: null, ended: settings === null ? now : null },
  };
}
