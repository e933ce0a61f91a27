import type { Announcer } from './announcer.js';
import { fitCanvas } from './canvas-size.js';
import { fieldControls, markField, numberField, readNumber, showChecked, type NumberField } from './field-check.js';
import { drawHeatmap, heatmapSummary } from './heatmap-chart.js';
import { ModelClient } from './model-client.js';
import type { HeatmapData } from './protocol.js';
import { checkModelText, MAX_PREFIX, MAX_TRACED, SAMPLING_FIELDS } from './settings.js';
import { count, newRun, runLabel, type DemoState, type RunState } from './state.js';

/** What the panel needs from the page. */
export interface PanelContext {
  readonly state: DemoState;
  readonly announcer: Announcer;
  readonly find: (id: string) => HTMLElement;
  readonly element: <T extends HTMLElement>(id: string, type: abstract new () => T) => T;
  /** A fresh run id, for a loaded checkpoint. */
  newId(): number;
  color(id: number): string;
  /** The runs changed (a checkpoint was read, one was loaded, another selected): redraw the table and chart. */
  changed(): void;
}

/** Largest checkpoint file the page reads (a 256-unit, 3-layer LSTM over 200 characters is about 12 MB). */
const MAX_CHECKPOINT_BYTES = 64 * 1024 * 1024;

/**
 * The selected run's model: its samples and heatmap, sampling with a prefix and a temperature,
 * the gates over a typed name, the checkpoint to download, and checkpoints loaded from files. The
 * heatmap always belongs to the selected run and says which.
 */
export class ModelPanel {
  readonly #c: PanelContext;
  readonly #models = new ModelClient();
  readonly #checkpoints = new Map<number, Uint8Array>();
  readonly #ui;
  readonly #fields: Record<keyof typeof SAMPLING_FIELDS, NumberField>;
  /** What the heatmap shows: the selected run's last sampled name, or a name the user typed. */
  #heatmap: { run: RunState; data: HeatmapData; typed: boolean } | null = null;

  constructor(context: PanelContext) {
    this.#c = context;
    const { find, element } = context;
    this.#ui = {
      note: find('model-note'), download: element('download', HTMLButtonElement),
      load: element('load-checkpoint', HTMLInputElement), loadError: find('load-error'),
      samples: element('samples', HTMLOListElement), samplesNote: find('samples-note'),
      sampling: element('sampling', HTMLFieldSetElement), sampleForm: element('sample-form', HTMLFormElement),
      prefix: fieldControls('prefix'),
      inspecting: element('inspecting', HTMLFieldSetElement), inspectForm: element('inspect-form', HTMLFormElement),
      text: fieldControls('inspect-text'),
      canvas: element('heatmap', HTMLCanvasElement), heatmapNote: find('heatmap-note'), heatmapSummary: find('heatmap-summary'),
    };
    this.#fields = {
      temperature: numberField('temperature', SAMPLING_FIELDS.temperature),
      count: numberField('count', SAMPLING_FIELDS.count),
      sampleSeed: numberField('sampleSeed', SAMPLING_FIELDS.sampleSeed),
    };
    for (const field of Object.values(this.#fields)) field.input.addEventListener('input', () => readNumber(field));
    this.#ui.download.addEventListener('click', () => {
      const run = this.#selected();
      if (run !== undefined) this.download(run);
    });
    this.#ui.load.addEventListener('change', () => void this.#load());
    this.#ui.sampleForm.addEventListener('submit', (event) => void this.#sample(event));
    this.#ui.inspectForm.addEventListener('submit', (event) => void this.#inspect(event));
    this.show();
  }

  #selected(): RunState | undefined {
    return this.#c.state.runs.find((r) => r.id === this.#c.state.selected);
  }

  /** Shows a run's samples, heatmap and model tools. */
  select(run: RunState): void {
    this.#c.state.selected = run.id;
    markField(this.#ui.prefix.input, this.#ui.prefix.error, null);
    markField(this.#ui.text.input, this.#ui.text.error, null);
    this.#showSamples(run, run.samples, run.samples.length === 0 ? '' : `Drawn by run #${run.id} during training.`);
    this.#heatmap = run.heatmap === null ? null : { run, data: run.heatmap, typed: false };
    this.show();
    this.#c.changed();
  }

  /** New samples (and a heatmap) from a training run: shown when it is the selected one. */
  trainingSamples(run: RunState): void {
    if (run.id !== this.#c.state.selected) return;
    this.#showSamples(run, run.samples, `Drawn by run #${run.id} at iteration ${run.iterationsDone.toLocaleString('en-US')}.`);
    if (run.heatmap !== null) this.#heatmap = { run, data: run.heatmap, typed: false };
    this.redraw();
  }

  /** Keeps a finished run's checkpoint and has the model worker read it, for sampling, tracing and download. */
  keep(run: RunState, bytes: Uint8Array): void {
    this.#checkpoints.set(run.id, bytes);
    this.#models.load(run.id, bytes).then(
      (info) => {
        run.model = info;
        run.hasCheckpoint = true;
        this.show();
        this.#c.changed();
      },
      (error: unknown) => this.#c.announcer.alert(`Run #${run.id}'s checkpoint could not be read: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  /** Saves a run's checkpoint as a file: the bytes `SequenceModel.save()` gave, which `pnpm demo sample --checkpoint` reads. */
  download(run: RunState): void {
    const bytes = this.#checkpoints.get(run.id);
    if (bytes === undefined) return;
    const s = run.settings;
    const name = s === null
      ? (run.file ?? `model-${run.id}.ckpt`)
      : `${s.data === 'dinos.txt' ? 'dinos' : 'names'}-${s.cell}-h${s.hiddenSize}${s.numLayers > 1 ? `-${s.numLayers}layers` : ''}-seed${s.seed}-${run.iterationsDone}it.ckpt`;
    const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' })), download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    this.#c.announcer.say(`Downloading run #${run.id}'s checkpoint as ${name}.`);
  }

  /** The model note, the tools' state, the heatmap. */
  show(): void {
    const run = this.#selected();
    const ready = run?.hasCheckpoint === true && run.model !== null;
    this.#ui.note.textContent = run === undefined
      ? 'No run yet: train one, or load a checkpoint.'
      : `Showing ${runLabel(run)}.${ready ? '' : ' Its model can be sampled from and downloaded once the run has finished an iteration and ended.'}`;
    this.#ui.download.disabled = !ready;
    this.#ui.sampling.disabled = !ready;
    this.#ui.inspecting.disabled = !ready;
    const characters = run?.model?.characters.join('') ?? '';
    this.#ui.prefix.rangeNote.textContent = `0–${MAX_PREFIX} characters${characters === '' ? '' : ` from: ${characters}`}`;
    this.#ui.text.rangeNote.textContent = `1–${MAX_TRACED} characters`;
    this.redraw();
  }

  /** Draws the heatmap at the canvas's current width, or says why there is none. */
  redraw(): void {
    const run = this.#selected();
    const shown = this.#heatmap !== null && this.#heatmap.run === run ? this.#heatmap : null;
    const { canvas, heatmapNote, heatmapSummary: summary } = this.#ui;
    if (run === undefined || shown === null) {
      this.#c.state.heatmap = null;
      canvas.hidden = true;
      summary.textContent = '';
      heatmapNote.textContent = run === undefined ? '' : run.settings === null
        ? `Type a name under “Gates over a name” to see the gates of run #${run.id}.`
        : `Run #${run.id} has no heatmap yet: it comes with the run's first samples.`;
      return;
    }
    canvas.hidden = false;
    drawHeatmap(canvas, shown.data);
    const { data } = shown;
    this.#c.state.heatmap = { run: run.id, cell: data.cell, labels: data.labels, panels: data.panels.length, traced: shown.typed };
    const units = data.panels[0]?.values[0]?.length ?? 0;
    heatmapNote.textContent = `${runLabel(run)}: the ${data.cell.toUpperCase()}'s first layer (${count(units, 'unit')}, rows) over ${shown.typed ? 'your name' : 'a sampled name'} “${data.labels.join('')}” (columns).`;
    summary.textContent = heatmapSummary(data);
  }

  #showSamples(run: RunState, names: readonly string[], note: string): void {
    this.#ui.samples.replaceChildren(...names.map((n) => Object.assign(document.createElement('li'), { textContent: n === '' ? '(empty)' : n })));
    this.#ui.samplesNote.textContent = note;
    this.#ui.samples.dataset.run = String(run.id);
  }

  /** The selected run's model, when it can be sampled; `undefined` otherwise. */
  #ready(): (RunState & { model: NonNullable<RunState['model']> }) | undefined {
    const run = this.#selected();
    return run !== undefined && run.hasCheckpoint && run.model !== null ? (run as RunState & { model: NonNullable<RunState['model']> }) : undefined;
  }

  async #sample(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const run = this.#ready();
    if (run === undefined) return;
    const prefix = showChecked(this.#ui.prefix.input, this.#ui.prefix.error, checkModelText(this.#ui.prefix.input.value, run.model.characters, MAX_PREFIX, false));
    const temperature = readNumber(this.#fields.temperature);
    const n = readNumber(this.#fields.count);
    const seed = readNumber(this.#fields.sampleSeed);
    if (prefix === null || temperature === null || n === null || seed === null) {
      this.#refuse([this.#ui.prefix.input, ...Object.values(this.#fields).map((f) => f.input)], 'Not sampled');
      return;
    }
    try {
      const names = await this.#models.sample(run.id, prefix, temperature, n, seed);
      if (this.#c.state.selected !== run.id) return;
      const how = `${prefix === '' ? '' : `prefix “${prefix}”, `}temperature ${temperature}, seed ${seed}`;
      this.#showSamples(run, names, `${count(names.length, 'name')} from run #${run.id} (${how}).`);
      this.#c.announcer.say(`Sampled ${count(names.length, 'name')} from run #${run.id}: ${names.join(', ')}.`);
    } catch (error) {
      this.#c.announcer.alert(`Sampling failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async #inspect(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const run = this.#ready();
    if (run === undefined) return;
    const text = showChecked(this.#ui.text.input, this.#ui.text.error, checkModelText(this.#ui.text.input.value, run.model.characters, MAX_TRACED, true));
    if (text === null) {
      this.#refuse([this.#ui.text.input], 'No gates shown');
      return;
    }
    try {
      const data = await this.#models.inspect(run.id, text);
      if (this.#c.state.selected !== run.id) return;
      this.#heatmap = { run, data, typed: true };
      this.redraw();
      this.#c.announcer.say(`Showing the gates of run #${run.id} over “${text}”.`);
    } catch (error) {
      this.#c.announcer.alert(`The gates could not be traced: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Focuses the first marked control and says what was not done. */
  #refuse(controls: readonly HTMLElement[], what: string): void {
    const invalid = controls.filter((c) => c.getAttribute('aria-invalid') === 'true');
    invalid[0]?.focus();
    this.#c.announcer.alert(`${what}: ${invalid.length === 1 ? 'one field needs' : `${invalid.length} fields need`} fixing.`);
  }

  /** Reads a checkpoint file (from this page or `pnpm demo train`) into a new entry of the runs table, and shows it. */
  async #load(): Promise<void> {
    const { load, loadError } = this.#ui;
    const file = load.files?.[0];
    if (file === undefined) return;
    load.value = '';
    try {
      if (file.size > MAX_CHECKPOINT_BYTES) throw new Error(`it is ${(file.size / 2 ** 20).toFixed(1)} MB; the page reads checkpoints up to ${MAX_CHECKPOINT_BYTES / 2 ** 20} MB`);
      const bytes = new Uint8Array(await file.arrayBuffer());
      const id = this.#c.newId();
      const info = await this.#models.load(id, bytes);
      const run = newRun(id, this.#c.color(id), null, file.name);
      Object.assign(run, { model: info, hasCheckpoint: true, iterationsDone: info.iterations ?? 0, heldOutFinal: info.heldOutNatsPerChar });
      this.#checkpoints.set(id, bytes);
      this.#c.state.runs.push(run);
      markField(load, loadError, null);
      this.select(run);
      this.#c.announcer.say(`Loaded ${runLabel(run)}.`);
    } catch (error) {
      const message = `${file.name} could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
      markField(load, loadError, message);
      this.#c.announcer.alert(message);
    }
  }
}
