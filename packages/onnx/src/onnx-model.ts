import { InvalidArgumentError, resolveBackend, ShapeMismatchError, Tensor, type Backend, type BackendOptions } from '@rnn/tensor';
import { OnnxImportError, OnnxRunError } from './errors.js';
import { DEFAULT_MAX_ELEMENTS, type HostValue, type Limits } from './graph/host-value.js';
import type { Fail } from './graph/shape.js';
import { planGraph, type GraphPlan, type OnnxValueInfo } from './load-graph.js';
import type { RunContext } from './ops/operator.js';
import { decodeModel } from './proto/onnx-decode.js';

/** Options of `OnnxModel.load`. */
export interface OnnxLoadOptions {
  /**
   * The most elements any one value may hold: an initializer, a declared input, or an operator's
   * output (default 2^27, 512 MiB of float32). A model that declares or computes more is refused
   * before anything that size is allocated.
   */
  readonly maxElements?: number | undefined;
}

/** Options of `OnnxModel.run`. */
export interface OnnxRunOptions extends BackendOptions {}

/** What the model's bytes say about where it came from. */
export interface OnnxModelInfo {
  /** `ir_version`. */
  readonly irVersion: number;
  /** The default domain's opset. */
  readonly opset: number;
  /** `producer_name` and `producer_version`, e.g. `pytorch 2.3.0`. */
  readonly producer: string;
  /** The operators of the nodes that run, in order (constant subgraphs folded at load are not counted). */
  readonly operators: readonly string[];
  /** `doc_string`. */
  readonly docString: string;
  /**
   * `metadata_props`. `exportOnnx` records `rnn.config` (the layer stack as JSON), `rnn.head`, and
   * for a `SequenceModel` `rnn.task` and a character model's `rnn.vocabulary` (its characters as a JSON array).
   */
  readonly metadata: Readonly<Record<string, string>>;
}

const FN = 'OnnxModel.run';

/**
 * An ONNX model loaded for inference on an `@rnn` backend.
 *
 * `LSTM`, `GRU` and `RNN` nodes run through the cells of `@rnn/cells` on the backend you pass
 * (`CELLS[cell].sequenceForward`, float32); the operators around them (`Gemm`, `MatMul`, `Add`,
 * `Softmax`, `Transpose`, `Squeeze`, `Unsqueeze`, `Reshape`, `Concat`, `Slice`, `Gather`,
 * `Identity`, `Constant`, `Shape`) run on the host in float32 (products accumulated in float64).
 * Nodes whose inputs are all constants are computed once, when the model loads.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { tensor } from '@rnn/tensor';
 * import { createCpuBackend } from '@rnn/backend-cpu';
 * import { OnnxModel } from '@rnn/onnx';
 *
 * const model = OnnxModel.load(await readFile('lstm.onnx'));
 * model.inputs;    // [{ name: 'X', type: 'float32', shape: ['T', 'batch', 3] }]
 * const { Y, Y_h, Y_c } = await model.run({ X: tensor(values, [T, 2, 3], 'float32') }, { backend: createCpuBackend() });
 * ```
 */
export class OnnxModel {
  /** The inputs a run must be fed (initializers are not among them). */
  readonly inputs: readonly OnnxValueInfo[];
  /** The outputs a run returns, keyed by these names. */
  readonly outputs: readonly OnnxValueInfo[];
  /** Versions, producer and the operators that run. */
  readonly info: OnnxModelInfo;
  readonly #plan: GraphPlan;
  readonly #limits: Limits;
  #disposed = false;

  private constructor(plan: GraphPlan, limits: Limits, info: OnnxModelInfo) {
    this.#plan = plan;
    this.#limits = limits;
    this.inputs = plan.inputs;
    this.outputs = plan.outputs;
    this.info = info;
  }

  /**
   * Parses and checks an ONNX model (the bytes of a `.onnx` file). Everything is checked before
   * the model is returned — the bytes, the IR version and opset (7 to 22 of the default domain),
   * every operator, attribute, data type and shape it can know — and anything this package does not
   * run exactly as onnxruntime does is refused with an `OnnxImportError` naming the node, the
   * operator and what is unsupported. Truncated or hostile bytes fail fast: every length is
   * bounded by the bytes left and every value by `opts.maxElements`.
   */
  static load(bytes: Uint8Array | ArrayBuffer, opts: OnnxLoadOptions = {}): OnnxModel {
    const view = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
    if (!(view instanceof Uint8Array)) throw new InvalidArgumentError('OnnxModel.load', 'bytes', 'must be a Uint8Array (a Buffer) or an ArrayBuffer');
    const maxElements = opts.maxElements ?? DEFAULT_MAX_ELEMENTS;
    if (!Number.isSafeInteger(maxElements) || maxElements < 1) throw new InvalidArgumentError('OnnxModel.load', 'opts.maxElements', `must be a positive integer, got ${String(maxElements)}`);
    if (view.length === 0) throw new OnnxImportError({}, 'the bytes are empty');
    const fail: Fail = (problem) => {
      throw new OnnxImportError({}, problem);
    };
    const data = decodeModel(view, fail);
    const limits = { maxElements };
    const plan = planGraph(data, limits);
    const producer = [data.producerName, data.producerVersion].filter((s) => s !== '').join(' ');
    return new OnnxModel(plan, limits, { irVersion: data.irVersion, opset: plan.opset, producer, operators: plan.nodes.map((n) => n.op), docString: data.docString, metadata: { ...data.metadata } });
  }

  /**
   * Runs the model: `feeds` keyed by the input names (`inputs`), results keyed by the output
   * names (`outputs`), every output of the graph, in ONNX's shapes — what onnxruntime's
   * `InferenceSession.run` returns. Float inputs take float32 tensors (float64 ones are rounded to
   * float32); an integer input such as `sequence_lens` takes a tensor of integer values. Float
   * results are float32 host tensors; an integer result (a `Shape`'s, say) is a float64 tensor of
   * its integers.
   *
   * Feeds are checked before anything runs (a missing or unknown name, a tensor that is not one, a
   * shape that is not the declared one: `InvalidArgumentError` / `ShapeMismatchError`); a node whose
   * inputs do not fit at run time throws an `OnnxRunError` naming it.
   */
  async run(feeds: Readonly<Record<string, Tensor>>, opts: OnnxRunOptions = {}): Promise<Record<string, Tensor>> {
    if (this.#disposed) throw new InvalidArgumentError(FN, 'this', 'was disposed');
    const values = new Map<string, HostValue>(this.#plan.constants);
    for (const [name, value] of await this.#checkFeeds(feeds)) values.set(name, value);
    let backend: Backend | undefined;
    const needed = this.#lastUses();
    for (const [index, node] of this.#plan.nodes.entries()) {
      const fail: Fail = (problem) => {
        throw new OnnxRunError({ node: node.name, op: node.op }, problem);
      };
      const ctx: RunContext = {
        backend: () => (backend ??= resolveBackend(FN, opts)),
        limits: this.#limits,
        fail,
      };
      const inputs = node.inputs.map((n) => (n === '' ? undefined : (values.get(n) ?? fail(`input ${n} has no value`))));
      const outs = await node.bound.run(inputs, ctx);
      node.outputs.forEach((o, i) => {
        if (o !== '') values.set(o, outs[i] ?? fail(`gave no output ${i}`));
      });
      for (const n of node.inputs) if (needed.get(n) === index && !this.#plan.constants.has(n)) values.delete(n);
    }
    const result: Record<string, Tensor> = {};
    for (const o of this.outputs) {
      const v = values.get(o.name);
      if (v === undefined) throw new OnnxRunError({}, `output ${o.name} was not computed`);
      result[o.name] = v.type === 'float32' ? Tensor.fromHost(Float32Array.from(v.data), v.shape, 'float32') : Tensor.fromHost(Float64Array.from(v.data), v.shape, 'float64');
    }
    return result;
  }

  /** Frees what the model keeps on backends (its recurrent weights' device copies). The model cannot run afterwards. */
  dispose(): void {
    this.#disposed = true;
    for (const node of this.#plan.nodes) node.bound.dispose?.();
  }

  /** For each value, the index of the last node that reads it (graph outputs: never). */
  #lastUses(): Map<string, number> {
    const last = new Map<string, number>();
    this.#plan.nodes.forEach((node, i) => {
      for (const n of node.inputs) if (n !== '') last.set(n, i);
    });
    for (const o of this.outputs) last.delete(o.name);
    return last;
  }

  async #checkFeeds(feeds: Readonly<Record<string, Tensor>>): Promise<Map<string, HostValue>> {
    if (typeof feeds !== 'object' || feeds === null) throw new InvalidArgumentError(FN, 'feeds', 'must be an object of tensors keyed by input name');
    const names = new Set(this.inputs.map((i) => i.name));
    for (const key of Object.keys(feeds)) {
      if (!names.has(key)) throw new InvalidArgumentError(FN, `feeds.${key}`, `is not an input of the model (inputs: ${[...names].join(', ') || 'none'})`);
    }
    const out = new Map<string, HostValue>();
    for (const info of this.inputs) {
      const arg = `feeds.${info.name}`;
      const t = feeds[info.name];
      if (t === undefined) throw new InvalidArgumentError(FN, arg, `is missing: the model needs ${info.type} ${describeShape(info)}`);
      if (!(t instanceof Tensor)) throw new InvalidArgumentError(FN, arg, 'must be a Tensor');
      if (t.isDisposed) throw new InvalidArgumentError(FN, arg, 'was disposed');
      const want = info.shape;
      if (want !== undefined && (want.length !== t.shape.length || want.some((d, i) => typeof d === 'number' && d !== t.shape[i]))) {
        throw new ShapeMismatchError(FN, arg, want.map((d) => (typeof d === 'number' ? d : null)), t.shape, `the model declares ${describeShape(info)}`);
      }
      if (t.size > this.#limits.maxElements) throw new InvalidArgumentError(FN, arg, `holds ${t.size} elements, more than maxElements = ${this.#limits.maxElements}`);
    }
    // Read the data only once every feed passed its checks.
    for (const info of this.inputs) {
      const t = feeds[info.name] as Tensor;
      const raw = await t.data();
      if (info.type === 'float32') {
        out.set(info.name, { type: 'float32', shape: [...t.shape], data: raw instanceof Float32Array ? raw : Float32Array.from(raw) });
        continue;
      }
      const bad = raw.findIndex((v) => !Number.isInteger(v));
      if (bad >= 0) throw new InvalidArgumentError(FN, `feeds.${info.name}`, `is an ${info.type} input but element ${bad} is ${raw[bad]}`);
      out.set(info.name, { type: info.type, shape: [...t.shape], data: Float64Array.from(raw) });
    }
    return out;
  }
}

function describeShape(info: OnnxValueInfo): string {
  return info.shape === undefined ? 'of any shape' : `of shape [${info.shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}
