import { RnnError } from '@rnn/tensor';

/**
 * Where in a model a problem is: the node (its name, or `#index` when it has none) and its
 * operator, or neither for a problem of the model as a whole (its bytes, its opset, a graph input).
 */
export interface OnnxLocation {
  /** The node's name, `#7` for the eighth node when it has no name; undefined for the model as a whole. */
  readonly node?: string | undefined;
  /** The node's operator, e.g. `LSTM`; undefined for the model as a whole. */
  readonly op?: string | undefined;
}

function where(at: OnnxLocation): string {
  if (at.node === undefined && at.op === undefined) return '';
  return `node ${at.node ?? '?'} (${at.op ?? '?'}): `;
}

/**
 * An ONNX model that `OnnxModel.load` refuses: bytes that are not a well-formed model, an opset,
 * operator, attribute or data type this package does not run, or shapes that do not fit together.
 * Thrown before anything runs, so a model either loads completely or not at all — never a wrong answer.
 */
export class OnnxImportError extends RnnError {
  /** The class name, `'OnnxImportError'`, as stack traces print it. */
  override readonly name = 'OnnxImportError';
  /** The node at fault, when one is. */
  readonly node: string | undefined;
  /** The node's operator, when a node is at fault. */
  readonly op: string | undefined;
  constructor(
    at: OnnxLocation,
    /** What is unsupported or wrong, e.g. `attribute activations = [Relu] is not supported (only the default activations)`. */
    readonly problem: string,
  ) {
    super('OnnxModel.load', `${where(at)}${problem}`);
    this.node = at.node;
    this.op = at.op;
  }
}

/**
 * A run of a loaded model that cannot go on: a value whose shape was unknown when the model
 * loaded turned out not to fit its node (a feed's symbolic dimension, say), or a `sequence_lens`
 * beyond the sequence. Feeds that do not match the model's declared inputs get the
 * `InvalidArgumentError` / `ShapeMismatchError` of `@rnn/tensor` instead.
 */
export class OnnxRunError extends RnnError {
  /** The class name, `'OnnxRunError'`, as stack traces print it. */
  override readonly name = 'OnnxRunError';
  /** The node at fault. */
  readonly node: string | undefined;
  /** The node's operator. */
  readonly op: string | undefined;
  constructor(
    at: OnnxLocation,
    /** What went wrong, naming the input and the shapes. */
    readonly problem: string,
  ) {
    super('OnnxModel.run', `${where(at)}${problem}`);
    this.node = at.node;
    this.op = at.op;
  }
}

/**
 * Weights that cannot be read or mapped: a malformed `.safetensors` file, a PyTorch `state_dict`
 * whose names or shapes do not form an `nn.LSTM`/`nn.GRU`/`nn.RNN`, or a Keras / TensorFlow.js
 * model with a layer, activation or option that has no `@rnn` equivalent.
 */
export class WeightImportError extends RnnError {
  /** The class name, `'WeightImportError'`, as stack traces print it. */
  override readonly name = 'WeightImportError';
  constructor(
    fn: string,
    /** What is wrong, naming the tensor, layer or field. */
    readonly problem: string,
  ) {
    super(fn, problem);
  }
}
