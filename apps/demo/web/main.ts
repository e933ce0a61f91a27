import type { CellName } from '@rnn/cells';
import { Announcer } from './announcer.js';
import { DataInput } from './data-input.js';
import { numberField, readNumber, type NumberField } from './field-check.js';
import { drawLossChart, lossSummary, type Baseline, type LossSeries } from './loss-chart.js';
import { ModelPanel } from './model-panel.js';
import type { FromTrainer, WebBackend } from './protocol.js';
import { startRun, type RunHandle } from './run-controller.js';
import { renderRuns } from './runs-table.js';
import { DATA_LIMITS, TRAINING_FIELDS, type TrainingField } from './settings.js';
import { BACKEND_LABELS, backendText, count, newRun, runLabel, type DemoState, type RunState } from './state.js';

const PALETTE = ['#1f6fd1', '#d1461f', '#2a9d3c', '#8e44ad', '#c98f00', '#0f8fa0', '#d6337f', '#6b4f2a'];
const CELLS: readonly CellName[] = ['lstm', 'gru', 'rnn'];
const colorOf = (id: number): string => PALETTE[(id - 1) % PALETTE.length] ?? '#333';

const state: DemoState = { available: ['cpu'], unavailable: {}, runs: [], selected: null, heatmap: null, chart: null, announcements: [] };
Object.assign(window, { demoState: state });

function element<T extends HTMLElement>(id: string, type: abstract new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`the page has no #${id}`);
  return el;
}
const find = (id: string): HTMLElement => element(id, HTMLElement);

const ui = {
  form: element('train-form', HTMLFormElement),
  settings: element('settings', HTMLFieldSetElement),
  backend: element('backend', HTMLSelectElement),
  cell: element('cell', HTMLSelectElement),
  train: element('train', HTMLButtonElement),
  stop: element('stop', HTMLButtonElement),
  status: find('status'),
  seedNote: find('seed-note'),
  loss: element('loss', HTMLCanvasElement),
  legend: element('loss-legend', HTMLUListElement),
  lossSummary: find('loss-summary'),
  runs: element('runs', HTMLTableSectionElement),
};
const announcer = new Announcer(find('announcer'), find('alerts'), state.announcements);
const fields: Record<TrainingField, NumberField> = {
  layers: numberField('layers', TRAINING_FIELDS.layers),
  hidden: numberField('hidden', TRAINING_FIELDS.hidden),
  iterations: numberField('iterations', TRAINING_FIELDS.iterations),
  seed: numberField('seed', TRAINING_FIELDS.seed),
};
const dataInput = new DataInput({
  source: element('data-source', HTMLSelectElement), area: find('own-data'), text: element('data-text', HTMLTextAreaElement),
  file: element('data-file', HTMLInputElement), summary: find('data-summary'), error: find('data-error'),
});
const limits = DATA_LIMITS;
find('data-range').textContent = `${limits.minLines}–${limits.maxLines.toLocaleString('en-US')} lines, each at most ${limits.maxLineLength} characters, at most ${limits.maxCharacters} different characters; files up to ${limits.maxBytes / (1024 * 1024)} MB.`;

let nextId = 1;
let active: RunHandle | null = null;
let ticker: ReturnType<typeof setInterval> | undefined;

const panel = new ModelPanel({ state, announcer, find, element, newId: () => nextId++, color: colorOf, changed: () => renderAll() });

async function detectBackends(): Promise<void> {
  const canvas = typeof OffscreenCanvas === 'undefined' ? null : new OffscreenCanvas(1, 1);
  if (canvas?.getContext('webgl2') != null) state.available.push('webgl2');
  else state.unavailable.webgl2 = 'no WebGL2 on OffscreenCanvas in this browser';
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  const adapter = gpu === undefined ? null : await gpu.requestAdapter().catch(() => null);
  if (adapter != null) state.available.push('webgpu');
  else state.unavailable.webgpu = gpu === undefined ? 'this browser has no WebGPU (navigator.gpu)' : 'WebGPU gave no adapter';
  for (const option of Array.from(ui.backend.options)) {
    const why = state.unavailable[option.value as WebBackend];
    option.disabled = why !== undefined;
    if (why !== undefined) option.textContent += ` — unavailable: ${why}`;
  }
  document.body.dataset.ready = 'true';
}

const isOver = (run: RunState): boolean => run.status !== 'starting' && run.status !== 'running' && run.status !== 'stopping';

function redrawLoss(): void {
  const trained = state.runs.filter((r) => r.settings !== null);
  const series: LossSeries[] = trained.map((r) => ({
    label: runLabel(r), color: r.color, losses: r.losses, heldOut: r.heldOut,
    xEnd: isOver(r) ? r.iterationsDone : (r.settings?.iterations ?? 0),
  }));
  const baselines = new Map<string, Baseline>();
  for (const r of trained) {
    if (r.baseline !== null && r.settings !== null) baselines.set(r.settings.data, { label: `3-gram on ${r.settings.data}`, value: r.baseline });
  }
  const width = ui.loss.clientWidth;
  state.chart = drawLossChart(ui.loss, Math.round(Math.min(300, Math.max(200, width * 0.5))), series, [...baselines.values()]);
  const item = (color: string, dashed: boolean, text: string): HTMLLIElement => {
    const swatch = Object.assign(document.createElement('span'), { className: dashed ? 'swatch dashed' : 'swatch' });
    if (!dashed) swatch.style.background = color;
    const li = document.createElement('li');
    li.append(swatch, text);
    return li;
  };
  ui.legend.replaceChildren(
    ...series.map((s) => item(s.color, false, s.label)),
    ...[...baselines.values()].map((b) => item('', true, `${b.label} (${b.value.toFixed(3)})`)),
  );
  ui.lossSummary.textContent = lossSummary(series, [...baselines.values()], state.chart);
}

function renderAll(): void {
  redrawLoss();
  renderRuns(ui.runs, state.runs, state.selected, { show: (run) => panel.select(run), download: (run) => panel.download(run) });
}

/** The status line: the run's phase or progress, ticking with the page's clock so every run shows movement. */
function statusText(run: RunState): string {
  const s = run.settings;
  if (s === null) return '';
  const name = `#${run.id} ${backendText(run)}`;
  const elapsed = `${(((run.times.ended ?? performance.now()) - run.times.started) / 1000).toFixed(1)} s`;
  const heldOut = run.heldOut[run.heldOut.length - 1];
  const loss = run.losses[run.losses.length - 1];
  const baseline = run.baseline === null ? '' : ` vs 3-gram ${run.baseline.toFixed(3)}`;
  switch (run.status) {
    case 'starting':
      return `${name}: ${run.phase} … ${elapsed}`;
    case 'running':
    case 'stopping':
      return `${name}: iteration ${run.iterationsDone.toLocaleString('en-US')} of ${s.iterations.toLocaleString('en-US')} · loss ${loss?.[1].toFixed(3) ?? '–'} (smoothed)`
        + `${heldOut === undefined ? '' : ` · held-out ${heldOut[1].toFixed(3)}`} · ${Math.round(run.namesPerSecond ?? 0)} names/s · ${elapsed}${run.status === 'stopping' ? ' · stopping …' : ''}`;
    case 'done': {
      const final = run.heldOutFinal;
      const verdict = final === null || run.baseline === null ? '' : final < run.baseline
        ? ` — the ${s.cell.toUpperCase()} beats the 3-gram by ${(run.baseline - final).toFixed(3)}`
        : ` — the 3-gram is better by ${(final - run.baseline).toFixed(3)}`;
      return `${name}: done, ${count(run.iterationsDone, 'iteration')} in ${(run.seconds ?? 0).toFixed(1)} s; held-out ${final?.toFixed(3) ?? '–'} nats/char${baseline}${verdict}.`;
    }
    case 'stopped':
      return `${name}: stopped. ${run.stopNote ?? ''}${run.heldOutFinal === null ? '' : ` Held-out ${run.heldOutFinal.toFixed(3)} nats/char${baseline}.`}`;
    case 'error':
      return `${name} failed: ${run.error ?? 'unknown error'}`;
    case 'loaded':
      return '';
  }
}

function seedNote(run: RunState): string {
  const s = run.settings;
  if (s === null) return '';
  const name = (text: string): string => `“${text === '' ? '(empty)' : text}”`;
  if (s.backend === 'cpu') return `Seed ${s.seed}: the untrained model's first sample is ${name(run.firstSample)}. The gpu.js backends draw the same name from the same seed.`;
  if (run.firstSample === run.firstSampleCpu) return `Seed ${s.seed}: the untrained model's first sample is ${name(run.firstSample)} on ${BACKEND_LABELS[s.backend]} and on the CPU (float64) — the same.`;
  let at = 0;
  while (run.firstSample[at] === run.firstSampleCpu[at]) at++;
  return `Seed ${s.seed}: the first sample is ${name(run.firstSample)} on ${BACKEND_LABELS[s.backend]} but ${name(run.firstSampleCpu)} on the CPU; they part at character ${at + 1}. `
    + 'gpu.js computes in float32 and the CPU in float64, so the probabilities differ in about the 7th digit; when the uniform draw lands that close to the edge between two letters, the backends pick different letters.';
}

function onChange(run: RunState, m: FromTrainer | null): void {
  ui.status.textContent = statusText(run);
  if (m?.type === 'ready') ui.seedNote.textContent = seedNote(run);
  if (m?.type === 'samples') panel.trainingSamples(run);
  if (m?.type === 'progress' && m.heldOut !== undefined && run.settings !== null) {
    const percent = Math.round((100 * m.iteration) / run.settings.iterations);
    announcer.say(`Run #${run.id}: ${percent} %, iteration ${m.iteration.toLocaleString('en-US')} of ${run.settings.iterations.toLocaleString('en-US')}, held-out loss ${m.heldOut.toFixed(3)}.`);
  }
  if (m === null || m.type === 'progress' || m.type === 'ready') scheduleRender();
}

let renderQueued = false;
/** Redraws the chart and the table once per frame at most, however often progress comes. */
function scheduleRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    renderAll();
  });
}

function onEnd(run: RunState, checkpoint: Uint8Array | null): void {
  active = null;
  clearInterval(ticker);
  const text = statusText(run);
  ui.status.textContent = text;
  if (run.status === 'error') announcer.alert(text);
  else announcer.say(text);
  // Train is enabled and focused before Stop is disabled, so focus never drops to the page's body.
  ui.settings.disabled = false;
  ui.train.disabled = false;
  const focus = document.activeElement;
  if (focus === ui.stop || focus === document.body || focus === null) ui.train.focus();
  ui.stop.disabled = true;
  if (checkpoint !== null) panel.keep(run, checkpoint);
  renderAll();
  panel.show();
}

function start(event: SubmitEvent): void {
  event.preventDefault();
  if (active !== null) return;
  const values = Object.fromEntries((Object.entries(fields) as [TrainingField, NumberField][]).map(([name, field]) => [name, readNumber(field)])) as Record<TrainingField, number | null>;
  const trainingData = dataInput.check();
  const invalid = [...Object.values(fields).map((f) => f.input), dataInput.control].filter((c) => c.getAttribute('aria-invalid') === 'true');
  const { layers, hidden, iterations, seed } = values;
  if (invalid.length > 0 || trainingData === null || layers === null || hidden === null || iterations === null || seed === null) {
    const names = invalid.map((c) => document.querySelector(`label[for="${c.id}"]`)?.textContent?.trim() ?? c.id);
    invalid[0]?.focus();
    const text = `Not started: ${names.length === 1 ? 'one field needs' : `${names.length} fields need`} fixing (${names.join(', ')}).`;
    ui.status.textContent = text;
    announcer.alert(text);
    return;
  }
  const backend = state.available.find((b) => b === ui.backend.value) ?? 'cpu';
  const cell = CELLS.find((c) => c === ui.cell.value) ?? 'lstm';
  const id = nextId++;
  const data = trainingData.source === 'dinos' ? 'dinos.txt' : trainingData.name;
  const run = newRun(id, colorOf(id), { backend, cell, numLayers: layers, hiddenSize: hidden, iterations, seed, data }, null);
  state.runs.push(run);
  // Focus moves to Stop before Train and the fields it was on are disabled.
  ui.stop.disabled = false;
  if (document.activeElement === ui.train || ui.settings.contains(document.activeElement)) ui.stop.focus();
  ui.train.disabled = true;
  ui.settings.disabled = true;
  ui.seedNote.textContent = '';
  active = startRun(run, { type: 'train', backend, cell, numLayers: layers, hiddenSize: hidden, iterations, batchSize: 32, learningRate: 0.01, seed, data: trainingData }, { changed: onChange, ended: onEnd });
  ticker = setInterval(() => {
    if (active !== null) ui.status.textContent = statusText(active.run);
  }, 250);
  announcer.say(`Started run ${runLabel(run)}.`);
  panel.select(run);
  onChange(run, null);
}

ui.form.addEventListener('submit', start);
ui.stop.addEventListener('click', () => active?.stop());
for (const field of Object.values(fields)) field.input.addEventListener('input', () => readNumber(field));
let drawnWidth = 0;
new ResizeObserver(() => {
  if (ui.loss.clientWidth === drawnWidth) return;
  drawnWidth = ui.loss.clientWidth;
  redrawLoss();
  panel.redraw();
}).observe(ui.loss);
renderAll();
void detectBackends();
