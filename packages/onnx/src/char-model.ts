import { InvalidArgumentError, RandomState, Tensor, type BackendOptions } from '@rnn/tensor';
import type { OnnxModel } from './onnx-model.js';

/** The end of a name in a character model's vocabulary (as `@rnn/train` writes it). */
const END = '\n';

/**
 * The characters of a character model exported by `exportOnnx` (its `rnn.vocabulary` metadata),
 * in the order of its one-hot inputs and of its `probabilities`. Throws an `InvalidArgumentError`
 * for a model that has none.
 */
export function characterVocabulary(model: OnnxModel): string[] {
  const fn = 'characterVocabulary';
  const raw = model.info.metadata['rnn.vocabulary'];
  if (raw === undefined) throw new InvalidArgumentError(fn, 'model', 'has no rnn.vocabulary metadata: it is not a character model exported from a SequenceModel');
  let chars: unknown;
  try {
    chars = JSON.parse(raw);
  } catch {
    chars = undefined;
  }
  if (!Array.isArray(chars) || !chars.every((c) => typeof c === 'string' && c.length === 1) || !chars.includes(END)) {
    throw new InvalidArgumentError(fn, 'model', 'has rnn.vocabulary metadata that is not a JSON array of characters with the end of name');
  }
  return chars as string[];
}

/** What `encodeCharacters` returns. */
export interface EncodedCharacters {
  /** The model's input `(T, batch, V)`, float32. */
  readonly X: Tensor;
  /** Each text's steps: its length + 1 (the model's `sequence_lens`). */
  readonly lengths: number[];
}

/** A text `sampleCharacters` drew. */
export interface SampledText {
  /** The text, the prefix included, without the end of name. */
  readonly text: string;
  /** False when `maxLength`, not the end of name, stopped it. */
  readonly ended: boolean;
}

/**
 * A character model's input `X (T, batch, V)` for `texts`, as `@rnn/train` feeds its model: step 0
 * all zeros, step `t` the one-hot of character `t − 1`; `T` is the longest text's length + 1, and a
 * shorter text's steps past its end are zeros (pass `lengths` as the model's `sequence_lens` when it
 * has one). Throws an `InvalidArgumentError` for a character outside `vocabulary`.
 */
export function encodeCharacters(texts: readonly string[], vocabulary: readonly string[]): EncodedCharacters {
  const fn = 'encodeCharacters';
  if (texts.length === 0) throw new InvalidArgumentError(fn, 'texts', 'must hold at least one text');
  const index = new Map(vocabulary.map((c, i) => [c, i]));
  const V = vocabulary.length;
  const m = texts.length;
  const T = Math.max(...texts.map((t) => [...t].length)) + 1;
  const X = new Float32Array(T * m * V);
  texts.forEach((text, j) => {
    [...text].forEach((c, t) => {
      const i = index.get(c);
      if (i === undefined) throw new InvalidArgumentError(fn, `texts[${j}]`, `holds ${JSON.stringify(c)}, which is not in the vocabulary`);
      X[((t + 1) * m + j) * V + i] = 1;
    });
  });
  return { X: Tensor.fromHost(X, [T, m, V], 'float32'), lengths: texts.map((t) => [...t].length + 1) };
}

/** Options of `sampleCharacters`. */
export interface CharacterSampleOptions extends BackendOptions {
  /** Seed of the draws (default 0). */
  readonly seed?: number | undefined;
  /** Sharpens (< 1) or flattens (> 1) the distribution: `p^(1/temperature)`, renormalized (default 1). */
  readonly temperature?: number | undefined;
  /** Characters drawn at most after the prefix (default 50). */
  readonly maxLength?: number | undefined;
  /** The beginning of the text, continued by the model (default none). */
  readonly prefix?: string | undefined;
}

/**
 * Samples one text, character by character, from a character model exported by `exportOnnx`
 * (a `SequenceModel` over names): each step runs the model on the text so far and draws the next
 * character from its last step's `probabilities`, until the end of a name or `maxLength`. The
 * draws are this function's own (seeded `RandomState`), not `SequenceModel.sample`'s.
 *
 * @example
 * ```ts
 * const model = OnnxModel.load(await readFile('dinos.onnx'));
 * const { text } = await sampleCharacters(model, { seed: 1, prefix: 'tyr', backend });
 * ```
 */
export async function sampleCharacters(model: OnnxModel, opts: CharacterSampleOptions = {}): Promise<SampledText> {
  const fn = 'sampleCharacters';
  const vocabulary = characterVocabulary(model);
  const temperature = opts.temperature ?? 1;
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new InvalidArgumentError(fn, 'opts.temperature', `must be a positive number, got ${String(temperature)}`);
  const maxLength = opts.maxLength ?? 50;
  if (!Number.isInteger(maxLength) || maxLength < 0) throw new InvalidArgumentError(fn, 'opts.maxLength', `must be a non-negative integer, got ${String(maxLength)}`);
  const input = model.inputs[0]?.name ?? 'X';
  const output = model.outputs[0]?.name ?? 'probabilities';
  const rng = new RandomState(opts.seed ?? 0);
  let text = opts.prefix ?? '';
  for (let drawn = 0; drawn < maxLength; drawn++) {
    const { X } = encodeCharacters([text], vocabulary);
    const result = await model.run({ [input]: X }, opts);
    const probabilities = result[output];
    if (probabilities === undefined) throw new InvalidArgumentError(fn, 'model', `gave no output ${output}`);
    const data = await probabilities.data();
    const V = vocabulary.length;
    const last = data.subarray(data.length - V);
    // p^(1/temperature) in log space, so a low temperature does not underflow every weight to 0.
    const logs = Array.from(last, (p) => Math.log(Math.max(p, Number.MIN_VALUE)));
    const top = Math.max(...logs);
    const weights = logs.map((l) => Math.exp((l - top) / temperature));
    const total = weights.reduce((a, b) => a + b, 0);
    let u = rng.nextDouble() * total;
    let pick = V - 1;
    for (let k = 0; k < V; k++) {
      u -= weights[k] as number;
      if (u < 0) {
        pick = k;
        break;
      }
    }
    const c = vocabulary[pick] as string;
    for (const t of Object.values(result)) t.dispose();
    X.dispose();
    if (c === END) return { text, ended: true };
    text += c;
  }
  return { text, ended: false };
}
