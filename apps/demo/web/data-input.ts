import { markField } from './field-check.js';
import type { TrainingData } from './protocol.js';
import { checkLines, DATA_LIMITS, textLines } from './settings.js';

/** The controls of the training-data choice. */
export interface DataControls {
  /** `dinos` or `text`. */
  readonly source: HTMLSelectElement;
  /** Shown when `source` is `text`; files dropped on it are read. */
  readonly area: HTMLElement;
  readonly text: HTMLTextAreaElement;
  readonly file: HTMLInputElement;
  readonly summary: HTMLElement;
  readonly error: HTMLElement;
}

const megabytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/**
 * The training data: the built-in names, or lines pasted or typed into the text box, or read
 * from a text file chosen or dropped on it. The lines are checked as they change (see
 * `checkLines`); a refused text marks the box with the reason.
 */
export class DataInput {
  readonly #c: DataControls;
  /** The file the text came from, `pasted text` once typed into. */
  #name = 'pasted text';
  /** A file that could not be read (too large), reported until the text changes. */
  #fileError: string | null = null;

  constructor(controls: DataControls) {
    this.#c = controls;
    const c = controls;
    c.source.addEventListener('change', () => {
      c.area.hidden = c.source.value !== 'text';
      this.check();
    });
    c.text.addEventListener('input', () => {
      this.#name = 'pasted text';
      this.#fileError = null;
      this.check();
    });
    c.file.addEventListener('change', () => {
      const file = c.file.files?.[0];
      if (file !== undefined) void this.#read(file);
    });
    c.area.addEventListener('dragover', (event) => {
      event.preventDefault();
      c.area.classList.add('dropping');
    });
    c.area.addEventListener('dragleave', () => c.area.classList.remove('dropping'));
    c.area.addEventListener('drop', (event) => {
      event.preventDefault();
      c.area.classList.remove('dropping');
      const file = event.dataTransfer?.files[0];
      if (file !== undefined) void this.#read(file);
    });
  }

  /** Puts a file's text in the box (a file over the size limit is refused instead). */
  async #read(file: File): Promise<void> {
    this.#name = file.name;
    this.#fileError = file.size > DATA_LIMITS.maxBytes
      ? `${file.name} is ${megabytes(file.size)}; a file can be at most ${megabytes(DATA_LIMITS.maxBytes)}.`
      : null;
    this.#c.text.value = this.#fileError === null ? await file.text() : '';
    this.check();
  }

  /** The data a run would train on, or `null` with the box marked and the reason next to it. */
  check(): TrainingData | null {
    const c = this.#c;
    if (c.source.value !== 'text') {
      markField(c.text, c.error, null);
      return { source: 'dinos' };
    }
    const lines = textLines(c.text.value);
    const checked = this.#fileError === null ? checkLines(lines) : { ok: false as const, message: this.#fileError };
    markField(c.text, c.error, checked.ok ? null : checked.message);
    const characters = new Set(lines.flatMap((line) => [...line])).size;
    c.summary.textContent = checked.ok ? `${this.#name}: ${lines.length.toLocaleString('en-US')} lines, ${characters} different characters.` : '';
    return checked.ok ? { source: 'text', name: this.#name, lines: checked.value } : null;
  }

  /** The control to move focus to when the data is refused. */
  get control(): HTMLTextAreaElement {
    return this.#c.text;
  }
}
