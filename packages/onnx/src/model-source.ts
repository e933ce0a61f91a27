import { layerParameterShapes, type CellName, type LayerConfig } from '@rnn/cells';
import { InvalidArgumentError, RnnError, Tensor } from '@rnn/tensor';

/**
 * The forward-only cell variants a layer stack can be exported with (an imported Keras GRU with
 * `reset_after: false` is `linearBeforeReset: false`). Per-layer tensors (the LSTM's peepholes)
 * are not part of a layer stack.
 */
export interface StackVariant {
  /** ONNX `clip`: every pre-activation clamped to `[−clip, clip]`. */
  readonly clip?: number | undefined;
  /** LSTM `input_forget`: `ft = 1 − it`. */
  readonly inputForget?: boolean | undefined;
  /** GRU: false applies the reset gate before the recurrent product (ONNX `linear_before_reset = 0`). */
  readonly linearBeforeReset?: boolean | undefined;
}

/** A parameter's values: a tensor (read with `dataSync`), a typed array or plain numbers, row-major. */
export type ParameterValues = Tensor | ArrayLike<number>;

/**
 * A recurrent model as `exportOnnx` and `exportSafetensors` read it, and as the importers return
 * it: a layer stack (`@rnn/cells`' `LayerConfig`, with `outputSize` for a head), its parameters
 * keyed as `layerParameterShapes` names them (`l0.Wf`, `l1r.Wz`, the head's `Wy`, `by`) and the
 * head's activation. A `SequenceModel` of `@rnn/train` has this shape (its `task` says its head,
 * its `vocabulary` goes into the ONNX model's metadata); so does `{ layers, parameters }` built by hand.
 */
export interface RecurrentModel {
  /** The layer stack: cell, sizes, layers, directions and the head's `outputSize`. */
  readonly layers: LayerConfig;
  /** Every parameter of the stack, keyed as `layerParameterShapes(layers)` names them. */
  readonly parameters: Readonly<Record<string, ParameterValues>>;
  /** The head's activation when `layers.outputSize` is set: `softmax` (default, classes) or `linear`. */
  readonly head?: 'softmax' | 'linear' | undefined;
  /** Forward-only variants of every layer's cell (default: none). */
  readonly variant?: StackVariant | undefined;
  /**
   * What the model learns, as `@rnn/train` names it: when `head` is not given, `characters` and
   * `step-classification` mean a softmax head, `step-regression` and `last-step-regression` a linear one.
   */
  readonly task?: string | undefined;
  /** A character model's characters, in the order of its one-hot inputs and its outputs (a `Vocabulary` of `@rnn/train`). */
  readonly vocabulary?: CharacterSet | undefined;
}

/** A character model's characters (`@rnn/train`'s `Vocabulary` is one). */
export interface CharacterSet {
  /** The characters, the end of a name (`'\n'`) among them, in index order. */
  readonly chars: readonly string[];
}

/** The head each task of `@rnn/train` has. */
const TASK_HEADS: Readonly<Record<string, 'softmax' | 'linear'>> = {
  characters: 'softmax',
  'step-classification': 'softmax',
  'step-regression': 'linear',
  'last-step-regression': 'linear',
};

/** A recurrent model whose parameters are float64 arrays, as the importers return it. */
export interface ImportedModel extends RecurrentModel {
  /** Every parameter keyed as `layerParameterShapes` names it, row-major float64. */
  readonly parameters: Readonly<Record<string, Float64Array>>;
}

/** A checked `RecurrentModel`: sizes, and every parameter's values as float64 by key. */
export interface CheckedModel {
  readonly cell: CellName;
  readonly nX: number;
  readonly nA: number;
  readonly layers: number;
  readonly D: 1 | 2;
  readonly nY: number | undefined;
  readonly head: 'softmax' | 'linear';
  readonly variant: StackVariant;
  readonly values: ReadonlyMap<string, Float64Array>;
  readonly config: LayerConfig;
}

/** Checks `model` (configuration, every parameter's presence and size, the variant) for `fn`; throws `InvalidArgumentError`. */
export function checkModel(fn: string, model: RecurrentModel): CheckedModel {
  if (typeof model !== 'object' || model === null) throw new InvalidArgumentError(fn, 'model', 'must be an object { layers, parameters, head? }');
  const config = model.layers;
  let shapes;
  try {
    shapes = layerParameterShapes(config);
  } catch (error) {
    if (error instanceof RnnError) throw new InvalidArgumentError(fn, 'model.layers', error.message);
    throw error;
  }
  if (typeof model.parameters !== 'object' || model.parameters === null) throw new InvalidArgumentError(fn, 'model.parameters', 'must be an object of parameters keyed as layerParameterShapes names them');
  const values = new Map<string, Float64Array>();
  for (const p of shapes) {
    const v = model.parameters[p.name];
    const arg = `model.parameters['${p.name}']`;
    if (v === undefined) throw new InvalidArgumentError(fn, arg, `is missing (layer ${p.layer < 0 ? 'head' : p.layer}, shape [${p.shape.join(', ')}])`);
    const data = v instanceof Tensor ? v.dataSync() : v;
    if (typeof data !== 'object' || typeof data.length !== 'number') throw new InvalidArgumentError(fn, arg, 'must be a Tensor, a typed array or an array of numbers');
    const size = p.shape[0] * p.shape[1];
    if (data.length !== size) throw new InvalidArgumentError(fn, arg, `holds ${data.length} values; shape [${p.shape.join(', ')}] needs ${size}`);
    const copy = Float64Array.from(data);
    if (copy.some((x) => !Number.isFinite(x))) throw new InvalidArgumentError(fn, arg, 'holds a value that is not finite');
    values.set(p.name, copy);
  }
  if (model.task !== undefined && !Object.hasOwn(TASK_HEADS, model.task)) throw new InvalidArgumentError(fn, 'model.task', `is ${JSON.stringify(model.task)}; known tasks: ${Object.keys(TASK_HEADS).join(', ')}`);
  const head = model.head ?? (model.task === undefined ? 'softmax' : TASK_HEADS[model.task]);
  if (head !== 'softmax' && head !== 'linear') throw new InvalidArgumentError(fn, 'model.head', `must be 'softmax' or 'linear', got ${String(head)}`);
  if (model.vocabulary !== undefined) {
    const chars = model.vocabulary.chars;
    if (!Array.isArray(chars) || chars.length !== config.inputSize || chars.length !== config.outputSize) {
      throw new InvalidArgumentError(fn, 'model.vocabulary', `holds ${Array.isArray(chars) ? chars.length : 'no'} characters; a character model reads and writes one per input and output (${config.inputSize}, ${String(config.outputSize)})`);
    }
  }
  const variant = model.variant ?? {};
  if (variant.clip !== undefined && !(variant.clip > 0)) throw new InvalidArgumentError(fn, 'model.variant.clip', `must be positive, got ${variant.clip}`);
  if (variant.inputForget === true && config.cell !== 'lstm') throw new InvalidArgumentError(fn, 'model.variant.inputForget', `applies to an LSTM, not a ${config.cell}`);
  if (variant.linearBeforeReset === false && config.cell !== 'gru') throw new InvalidArgumentError(fn, 'model.variant.linearBeforeReset', `applies to a GRU, not a ${config.cell}`);
  return {
    cell: config.cell,
    nX: config.inputSize,
    nA: config.hiddenSize,
    layers: config.numLayers ?? 1,
    D: config.bidirectional === true ? 2 : 1,
    nY: config.outputSize,
    head,
    variant,
    values,
    config,
  };
}

/** The parameters of layer `layer`, direction `d` (0 forward, 1 reverse), by the cell's own names. */
export function directionParameters(m: CheckedModel, layer: number, d: number): Record<string, Float64Array> {
  const prefix = `l${layer}${d === 1 ? 'r' : ''}.`;
  const out: Record<string, Float64Array> = {};
  for (const [key, v] of m.values) if (key.startsWith(prefix)) out[key.slice(prefix.length)] = v;
  return out;
}
