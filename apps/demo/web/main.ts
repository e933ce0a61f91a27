import { drawHeatmap, drawLossChart, type Series } from './charts.js';
import type { FromWorker, HeatmapData, ToWorker, WebBackend } from './protocol.js';

/** One training run as the page saw it; `window.demoState` exposes these to tests. */
interface RunState {
  status: 'running' | 'done' | 'error';
  mode: string;
  losses: [number, number][];
  heldOut: [number, number][];
  samples: string[];
  firstSample: string;
  firstSampleCpu: string;
  heatmapDrawn: boolean;
  heldOutFinal: number | null;
  seconds: number | null;
  error: string | null;
}

interface DemoState {
  available: WebBackend[];
  unavailable: Partial<Record<WebBackend, string>>;
  runs: Partial<Record<WebBackend, RunState>>;
  baseline: number | null;
}

const LABELS: Record<WebBackend, string> = { cpu: 'CPU (float64)', webgl2: 'gpu.js WebGL2 (float32)', webgpu: 'gpu.js WebGPU (float32)' };
const COLORS: Record<WebBackend, string> = { cpu: '#1f6fd1', webgl2: '#d1461f', webgpu: '#2a9d3c' };

const state: DemoState = { available: ['cpu'], unavailable: {}, runs: {}, baseline: null };
Object.assign(window, { demoState: state });

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`the page has no #${id}`);
  return el;
}

const ui = {
  backend: element('backend', HTMLSelectElement),
  cell: element('cell', HTMLSelectElement),
  hidden: element('hidden', HTMLInputElement),
  iterations: element('iterations', HTMLInputElement),
  seed: element('seed', HTMLInputElement),
  train: element('train', HTMLButtonElement),
  stop: element('stop', HTMLButtonElement),
  status: element('status', HTMLParagraphElement),
  seedNote: element('seed-note', HTMLParagraphElement),
  samples: element('samples', HTMLOListElement),
  loss: element('loss', HTMLCanvasElement),
  heatmap: element('heatmap', HTMLCanvasElement),
  heatmapNote: element('heatmap-note', HTMLParagraphElement),
  runs: element('runs', HTMLTableSectionElement),
};

let worker: Worker | null = null;
let maxIteration = 400;

async function detectBackends(): Promise<void> {
  const canvas = typeof OffscreenCanvas === 'undefined' ? null : new OffscreenCanvas(1, 1);
  if (canvas?.getContext('webgl2') != null) state.available.push('webgl2');
  else state.unavailable.webgl2 = 'no WebGL2 on OffscreenCanvas in this browser';
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  const adapter = gpu === undefined ? null : await gpu.requestAdapter().catch(() => null);
  if (adapter != null) state.available.push('webgpu');
  else state.unavailable.webgpu = gpu === undefined ? 'this browser has no WebGPU (navigator.gpu)' : 'WebGPU gave no adapter';
  for (const option of Array.from(ui.backend.options)) {
    const kind = option.value as WebBackend;
    const why = state.unavailable[kind];
    option.disabled = why !== undefined;
    option.textContent = LABELS[kind] + (why === undefined ? '' : ` — unavailable: ${why}`);
  }
  document.body.dataset.ready = 'true';
}

function redrawLoss(): void {
  const series: Series[] = [];
  for (const [kind, run] of Object.entries(state.runs) as [WebBackend, RunState][]) {
    series.push({ label: `${LABELS[kind]} train`, color: COLORS[kind], points: run.losses });
    series.push({ label: `${LABELS[kind]} held-out`, color: COLORS[kind], points: run.heldOut, dots: true });
  }
  drawLossChart(ui.loss, series, maxIteration, state.baseline ?? undefined);
}

function showHeatmap(kind: WebBackend, data: HeatmapData | undefined, cell: string): void {
  if (data === undefined) {
    ui.heatmapNote.textContent = '';
    return;
  }
  drawHeatmap(ui.heatmap, data);
  const run = state.runs[kind];
  if (run !== undefined) run.heatmapDrawn = true;
  const what = `${data.panels.map((p) => p.title.replace(/ \S*⟨t[^⟩]*⟩.*$/, '')).join(', ')} of the ${data.cell.toUpperCase()}'s first layer`;
  ui.heatmapNote.textContent = `${what} (${data.panels[0]?.values[0]?.length ?? 0} units, rows) over “${data.labels.join('')}” (columns).`;
}

function seedNote(kind: WebBackend, run: RunState, seed: number): string {
  const same = run.firstSample === run.firstSampleCpu;
  const name = (s: string): string => `“${s === '' ? '(empty)' : s}”`;
  if (kind === 'cpu') return `Seed ${seed}: the untrained model's first sample is ${name(run.firstSample)}. The gpu.js backends draw the same name from the same seed.`;
  if (same) return `Seed ${seed}: the untrained model's first sample is ${name(run.firstSample)} on ${LABELS[kind]} and on the CPU (float64) — the same.`;
  let at = 0;
  while (run.firstSample[at] === run.firstSampleCpu[at]) at++;
  return `Seed ${seed}: the first sample is ${name(run.firstSample)} on ${LABELS[kind]} but ${name(run.firstSampleCpu)} on the CPU; they part at character ${at + 1}. ` +
    'gpu.js computes in float32 and the CPU in float64, so the probabilities differ in about the 7th digit; when the uniform draw lands that close to the edge between two letters, the backends pick different letters.';
}

function start(): void {
  const kind = ui.backend.value as WebBackend;
  const cell = ui.cell.value === 'rnn' ? 'rnn' : ui.cell.value === 'gru' ? 'gru' : 'lstm';
  const iterations = Math.max(1, Number(ui.iterations.value) || 400);
  const seed = Math.max(0, Math.floor(Number(ui.seed.value) || 0));
  maxIteration = iterations;
  const run: RunState = {
    status: 'running', mode: '', losses: [], heldOut: [], samples: [], firstSample: '', firstSampleCpu: '',
    heatmapDrawn: false, heldOutFinal: null, seconds: null, error: null,
  };
  state.runs[kind] = run;
  worker?.terminate();
  worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  ui.train.disabled = true;
  ui.stop.disabled = false;
  ui.status.textContent = `Starting ${LABELS[kind]} …`;
  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const m = event.data;
    switch (m.type) {
      case 'ready':
        run.mode = m.mode;
        run.firstSample = m.firstSample;
        run.firstSampleCpu = m.firstSampleCpu;
        state.baseline = m.ngramNatsPerChar;
        ui.seedNote.textContent = seedNote(kind, run, seed);
        ui.status.textContent = `Training a ${cell.toUpperCase()} on ${m.trainNames} names on ${LABELS[kind]} (gpu.js mode ${m.mode}); ${m.heldOutNames} held out.`;
        break;
      case 'progress':
        run.losses.push([m.iteration, m.smoothLoss]);
        if (m.heldOut !== undefined) run.heldOut.push([m.iteration, m.heldOut]);
        ui.status.textContent = `${LABELS[kind]}: iteration ${m.iteration}/${iterations}, loss ${m.loss.toFixed(3)}${m.heldOut === undefined ? '' : `, held-out ${m.heldOut.toFixed(3)}`}, ${Math.round(m.namesPerSecond)} names/s`;
        redrawLoss();
        break;
      case 'samples':
        run.samples = [...m.names];
        ui.samples.replaceChildren(...m.names.map((n) => Object.assign(document.createElement('li'), { textContent: n === '' ? '(empty)' : n })));
        showHeatmap(kind, m.heatmap, cell);
        break;
      case 'done':
        run.status = 'done';
        run.heldOutFinal = m.heldOut;
        run.seconds = m.seconds;
        ui.status.textContent = `${LABELS[kind]}: ${m.iterations} iterations in ${m.seconds.toFixed(1)} s${m.stopped ? ' (stopped)' : ''}; held-out ${m.heldOut.toFixed(3)} nats/char vs 3-gram ${state.baseline?.toFixed(3) ?? '?'}.`;
        finish();
        break;
      case 'error':
        run.status = 'error';
        run.error = m.message;
        ui.status.textContent = `${LABELS[kind]} failed: ${m.message}`;
        finish();
        break;
    }
  };
  worker.onerror = (event) => {
    run.status = 'error';
    run.error = event.message;
    ui.status.textContent = `The worker failed: ${event.message}`;
    finish();
  };
  const request: ToWorker = { type: 'train', backend: kind, cell, hiddenSize: Math.max(1, Number(ui.hidden.value) || 32), iterations, batchSize: 32, learningRate: 0.01, seed };
  worker.postMessage(request);
}

/** One row per backend trained so far: mode, time, final held-out loss, first sample. */
function showRuns(): void {
  ui.runs.replaceChildren(...(Object.entries(state.runs) as [WebBackend, RunState][]).map(([kind, run]) => {
    const row = document.createElement('tr');
    const cells = [LABELS[kind], run.mode, run.status, run.seconds === null ? '' : `${run.seconds.toFixed(1)} s`,
      run.heldOutFinal === null ? '' : run.heldOutFinal.toFixed(3), run.firstSample];
    row.replaceChildren(...cells.map((text) => Object.assign(document.createElement('td'), { textContent: text })));
    return row;
  }));
}

function finish(): void {
  showRuns();
  ui.train.disabled = false;
  ui.stop.disabled = true;
}

ui.train.addEventListener('click', start);
ui.stop.addEventListener('click', () => worker?.postMessage({ type: 'stop' } satisfies ToWorker));
redrawLoss();
void detectBackends();
