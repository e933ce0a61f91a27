/**
 * The page's inputs and the ranges it states next to each: every value is checked here before it
 * reaches the library, and a bad one gets a message instead of a substitute.
 */

/** The closed range of a number field and what it starts at. */
export interface NumberRange {
  readonly min: number;
  readonly max: number;
  /** Only whole numbers. */
  readonly integer: boolean;
  /** The value the page starts with. */
  readonly initial: number;
}

/**
 * The training fields. Hidden units stop at 256 and layers at 3, sizes every backend here
 * trains at a usable pace; iterations at 100,000 (well over an hour on the CPU); the seed is any
 * seed `RandomState` takes. 1,000 iterations of a 32-unit LSTM beat the 3-gram on the held-out
 * names on the CPU backend in a few seconds (see the demo's README for what was measured).
 */
export const TRAINING_FIELDS = {
  layers: { min: 1, max: 3, integer: true, initial: 1 },
  hidden: { min: 1, max: 256, integer: true, initial: 32 },
  iterations: { min: 1, max: 100_000, integer: true, initial: 1000 },
  seed: { min: 0, max: 0xffffffff, integer: true, initial: 1 },
} as const satisfies Record<string, NumberRange>;

/** A training field's name. */
export type TrainingField = keyof typeof TRAINING_FIELDS;

/** The sampling fields. */
export const SAMPLING_FIELDS = {
  temperature: { min: 0.05, max: 5, integer: false, initial: 1 },
  count: { min: 1, max: 20, integer: true, initial: 8 },
  sampleSeed: { min: 0, max: 0xffffffff, integer: true, initial: 0 },
} as const satisfies Record<string, NumberRange>;

/** Longest prefix to sample from, in characters. */
export const MAX_PREFIX = 30;
/** Longest name to trace the gates over, in characters. */
export const MAX_TRACED = 60;

/** What the user's own training text must be. */
export const DATA_LIMITS = {
  /** Lines at least: a tenth (rounded) is held out, and the 3-gram holds out a tenth of the rest to pick its k. */
  minLines: 20,
  maxLines: 50_000,
  /** Characters per line at most (code points): a batch is as long as its longest line. */
  maxLineLength: 100,
  /** Distinct characters at most: the one-hot inputs and the output layer grow with them. */
  maxCharacters: 200,
  /** Size of a dropped or chosen file, in bytes. */
  maxBytes: 2 * 1024 * 1024,
} as const;

/** A checked value, or the message that says why not. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const format = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 6 });

/** The range as the page shows it, e.g. `1–256` or `0.05–5`. */
export function rangeText(range: NumberRange): string {
  return `${format(range.min)}–${format(range.max)}`;
}

/**
 * Reads a number field as typed: empty, not a number, a fraction where a whole number is asked
 * for, or outside the range are each refused with a message that states the range.
 */
export function checkNumber(text: string, range: NumberRange): Checked<number> {
  const kind = range.integer ? 'a whole number' : 'a number';
  const wanted = `Enter ${kind} from ${format(range.min)} to ${format(range.max)}`;
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: `${wanted}.` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, message: `${wanted}; “${trimmed}” is not one.` };
  if (range.integer && !Number.isInteger(value)) return { ok: false, message: `${wanted}; ${trimmed} is not a whole number.` };
  if (value < range.min || value > range.max) return { ok: false, message: `${wanted}; ${trimmed} is out of range.` };
  return { ok: true, value };
}

/** Splits a text into lines (`\n`, `\r\n` or `\r`), trimmed, blank ones dropped. */
export function textLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/).map((line) => line.trim()).filter((line) => line.length > 0);
}

/** The user's training lines, or why they cannot be trained on. */
export function checkLines(lines: readonly string[]): Checked<readonly string[]> {
  const { minLines, maxLines, maxLineLength, maxCharacters } = DATA_LIMITS;
  if (lines.length < minLines) return { ok: false, message: `Give at least ${minLines} non-blank lines (one name per line); this has ${lines.length}.` };
  if (lines.length > maxLines) return { ok: false, message: `Give at most ${format(maxLines)} lines; this has ${format(lines.length)}.` };
  const long = lines.findIndex((line) => [...line].length > maxLineLength);
  if (long >= 0) return { ok: false, message: `Lines can be at most ${maxLineLength} characters; line ${format(long + 1)} has ${[...(lines[long] ?? '')].length}.` };
  const characters = new Set(lines.flatMap((line) => [...line])).size;
  if (characters > maxCharacters) return { ok: false, message: `The lines may use at most ${maxCharacters} different characters; these use ${characters}.` };
  return { ok: true, value: lines };
}

/**
 * Text to feed a model (a prefix to sample from, a name to trace): at most `maxLength`
 * characters, each one the model writes. `required` refuses an empty text.
 */
export function checkModelText(text: string, characters: readonly string[], maxLength: number, required: boolean): Checked<string> {
  const chars = [...text];
  if (required && chars.length === 0) return { ok: false, message: 'Type a name.' };
  if (chars.length > maxLength) return { ok: false, message: `At most ${maxLength} characters; this has ${chars.length}.` };
  const known = new Set(characters);
  const outside = [...new Set(chars.filter((c) => !known.has(c)))];
  if (outside.length > 0) {
    const list = outside.slice(0, 5).map((c) => (c === ' ' ? '“ ” (space)' : `“${c}”`)).join(', ');
    return { ok: false, message: `The model never saw ${list}${outside.length > 5 ? ' …' : ''}; it writes only: ${characters.join('')}` };
  }
  return { ok: true, value: text };
}
