import { layerParameterShapes, type CellName, type LayerConfig } from '@rnn/cells';
import { WeightImportError } from '../errors.js';
import type { ImportedModel, StackVariant } from '../model-source.js';
import { cellParameters, GATE_ORDERS, type GateWeights } from './gate-weights.js';

/** A weight entry of a tfjs `model.json` (`weightsManifest[].weights[]` or `weightSpecs[]`). */
export interface KerasWeightSpec {
  /** The weight's name, `<layer>/<…>/kernel`, `recurrent_kernel` or `bias`. */
  readonly name: string;
  /** Its shape (Keras's: `kernel (n_in, G·units)`). */
  readonly shape: readonly number[];
  /** Its element type; only `float32` is read. */
  readonly dtype: string;
  /** Set on quantized weights, which are refused. */
  readonly quantization?: unknown;
}

/** One group of `weightsManifest`: weight files and the weights they hold, in order. */
export interface KerasWeightGroup {
  /** The weight files (shards), relative to `model.json`. */
  readonly paths: readonly string[];
  /** The weights stored one after another across the shards. */
  readonly weights: readonly KerasWeightSpec[];
}

/**
 * A tfjs `model.json` (`{ modelTopology, weightsManifest }`, as `tensorflowjs_converter` and tfjs's
 * `model.save` write it) or tfjs's in-memory `ModelArtifacts` (`{ modelTopology, weightSpecs,
 * weightData }`, as `tf.io.withSaveHandler` hands them over).
 */
export interface KerasModelJson {
  /** The Keras model description (`class_name`, `config.layers`, possibly inside `model_config`). */
  readonly modelTopology: unknown;
  /** `model.json`'s weight groups. */
  readonly weightsManifest?: readonly KerasWeightGroup[] | undefined;
  /** In-memory artifacts' weight list (instead of `weightsManifest`). */
  readonly weightSpecs?: readonly KerasWeightSpec[] | undefined;
  /** In-memory artifacts' weight bytes. */
  readonly weightData?: ArrayBuffer | readonly ArrayBuffer[] | undefined;
}

/** What `importKeras` returns: a layer stack with its parameters (and variant), and how the Keras model ends. */
export interface KerasModel extends ImportedModel {
  /** False when the last recurrent layer returns only its last step (`return_sequences: false`): Keras's output is then our last step. */
  readonly returnSequences: boolean;
}

const FN = 'importKeras';
const CELL_OF: Readonly<Record<string, CellName>> = { LSTM: 'lstm', GRU: 'gru', SimpleRNN: 'rnn' };
const SKIPPED = new Set(['InputLayer', 'Dropout', 'SpatialDropout1D', 'GaussianDropout', 'GaussianNoise']);

function fail(problem: string): never {
  throw new WeightImportError(FN, problem);
}

interface LayerJson {
  readonly class_name: string;
  readonly config: Record<string, unknown> & { readonly name?: string };
}

/** The layers of a Sequential (Keras 2 list or `{ layers }`) or a chain-shaped Functional model. */
function layersOf(topology: unknown): LayerJson[] {
  if (typeof topology !== 'object' || topology === null) fail('modelTopology is missing');
  const t = topology as Record<string, unknown>;
  const model = (t['model_config'] ?? t) as { class_name?: unknown; config?: unknown };
  if (!['Sequential', 'Functional', 'Model'].includes(String(model.class_name))) fail(`a ${String(model.class_name)} model is not supported (Sequential, or a Functional chain)`);
  const config = model.config as { layers?: unknown } | unknown[] | undefined;
  const layers = Array.isArray(config) ? config : config?.layers;
  if (!Array.isArray(layers)) fail('the model has no layers');
  return layers.map((l, i) => {
    if (typeof l !== 'object' || l === null || typeof (l as LayerJson).class_name !== 'string' || typeof (l as LayerJson).config !== 'object') fail(`layer ${i} is not a Keras layer description`);
    return l as LayerJson;
  });
}

/** The float32 weights of the model by name, in manifest order. */
function weightsOf(json: KerasModelJson, data: readonly Uint8Array[]): Map<string, { shape: readonly number[]; data: Float64Array }> {
  const specs = json.weightsManifest?.flatMap((g) => g.weights) ?? json.weightSpecs ?? fail('model.json has neither weightsManifest nor weightSpecs');
  const total = data.reduce((n, b) => n + b.length, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const b of data) {
    all.set(b, at);
    at += b.length;
  }
  const view = new DataView(all.buffer);
  const out = new Map<string, { shape: readonly number[]; data: Float64Array }>();
  let offset = 0;
  for (const s of specs) {
    if (s.quantization !== undefined) fail(`weight ${s.name} is quantized; convert the model without quantization`);
    if (s.dtype !== 'float32') fail(`weight ${s.name} is ${s.dtype}; only float32 weights are read`);
    if (!Array.isArray(s.shape) || !s.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`weight ${s.name} has shape ${JSON.stringify(s.shape)}`);
    const count = s.shape.reduce((a, b) => a * b, 1);
    if (offset + 4 * count > total) fail(`weight ${s.name} of shape [${s.shape.join(', ')}] runs past the ${total} bytes of weight data`);
    out.set(s.name, { shape: [...s.shape], data: Float64Array.from({ length: count }, (_, k) => view.getFloat32(offset + 4 * k, true)) });
    offset += 4 * count;
  }
  if (offset !== total) fail(`the weight data has ${total} bytes; the manifest describes ${offset}`);
  return out;
}

/** One recurrent layer (inside a Bidirectional or not): its cell, units, bias use and variant, checked. */
interface RecurrentLayer {
  readonly cell: CellName;
  readonly units: number;
  readonly useBias: boolean;
  readonly resetAfter: boolean;
  readonly returnSequences: boolean;
  readonly name: string;
}

function recurrentLayer(l: LayerJson, where: string, insideBidirectional: boolean): RecurrentLayer {
  const c = l.config;
  const cell = CELL_OF[l.class_name] ?? fail(`${where}: layer class ${l.class_name} is not supported (LSTM, GRU, SimpleRNN, Bidirectional, Dense, InputLayer, Dropout)`);
  const name = String(c.name ?? '');
  const opt = (key: string, camel: string): unknown => c[key] ?? c[camel];
  const activation = opt('activation', 'activation') ?? 'tanh';
  if (activation !== 'tanh') fail(`${where} (${name}): activation ${String(activation)} is not supported (tanh only)`);
  if (cell !== 'rnn') {
    const recurrent = opt('recurrent_activation', 'recurrentActivation') ?? 'sigmoid';
    if (recurrent !== 'sigmoid') fail(`${where} (${name}): recurrent_activation ${String(recurrent)} is not supported (sigmoid only; tfjs's default is hardSigmoid: create the layer with recurrentActivation: 'sigmoid')`);
  }
  if (opt('go_backwards', 'goBackwards') === true && !insideBidirectional) fail(`${where} (${name}): go_backwards outside a Bidirectional is not supported (its outputs come out reversed)`);
  if (opt('stateful', 'stateful') === true) fail(`${where} (${name}): stateful layers are not supported`);
  const units = Number(opt('units', 'units'));
  if (!Number.isSafeInteger(units) || units < 1) fail(`${where} (${name}): units ${String(c.units)} is not a positive integer`);
  return {
    cell,
    units,
    useBias: opt('use_bias', 'useBias') !== false,
    resetAfter: cell === 'gru' && opt('reset_after', 'resetAfter') === true,
    returnSequences: opt('return_sequences', 'returnSequences') === true,
    name,
  };
}

/** Keras's `kernel (n_in, G·n_a)`, `recurrent_kernel (n_a, G·n_a)`, `bias` as gate weights (transposed; a GRU's reset_after bias `(2, G·n_a)` is both biases). */
function kerasGates(r: RecurrentLayer, weights: Map<string, { shape: readonly number[]; data: Float64Array }>, prefix: string, nIn: number): GateWeights {
  const G = GATE_ORDERS.keras[r.cell].length;
  const H = r.units;
  const find = (suffix: string): { shape: readonly number[]; data: Float64Array } | undefined => {
    const hits = [...weights.entries()].filter(([n]) => n.startsWith(prefix) && (n.endsWith(`/${suffix}`) || n.endsWith(`/${suffix}:0`)));
    if (hits.length > 1) fail(`several weights ${prefix}…/${suffix}: ${hits.map(([n]) => n).join(', ')}`);
    return hits[0]?.[1];
  };
  const need = (suffix: string, shape: readonly number[]): Float64Array => {
    const w = find(suffix) ?? fail(`weight ${prefix}…/${suffix} is missing`);
    if (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i])) fail(`weight ${prefix}…/${suffix} has shape [${w.shape.join(', ')}], expected [${shape.join(', ')}]`);
    return w.data;
  };
  const transpose = (m: Float64Array, rows: number, cols: number): Float64Array => {
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = m[i * cols + j] as number;
    return out;
  };
  const W = transpose(need('kernel', [nIn, G * H]), nIn, G * H);
  const R = transpose(need('recurrent_kernel', [H, G * H]), H, G * H);
  let Wb: Float64Array = new Float64Array(G * H);
  let Rb: Float64Array = new Float64Array(G * H);
  if (r.useBias) {
    if (r.resetAfter) {
      const b = need('bias', [2, G * H]);
      Wb = b.slice(0, G * H);
      Rb = b.slice(G * H);
    } else Wb = need('bias', [G * H]);
  }
  return { W, R, Wb, Rb };
}

/**
 * Maps a Keras / TensorFlow.js model of recurrent layers to an `@rnn` layer stack: `LSTM`, `GRU`
 * (`reset_after` true — Keras's default — or false, tfjs's only form, which is the forward-only
 * variant `linearBeforeReset: false`) and `SimpleRNN` layers, each optionally in a `Bidirectional`
 * (`merge_mode: 'concat'`), stacked, and optionally a last `Dense` (softmax or linear) as the head.
 * Keras's `kernel`, `recurrent_kernel` and `bias` (gates i, f, c, o and z, r, h) become our
 * parameters (SPEC's mapping).
 *
 * `json` is the parsed `model.json` (or tfjs's `ModelArtifacts`), `weightData` the weight files
 * in the order of `weightsManifest[].paths` (not needed with artifacts that carry `weightData`).
 *
 * Refused with a `WeightImportError`: activations other than `tanh` and a `recurrent_activation`
 * other than `sigmoid` (tfjs's default `hardSigmoid` included), `go_backwards` outside a
 * `Bidirectional`, `stateful`, other merge modes, other layers, quantized or non-float32 weights,
 * and stacks whose layers differ in cell or units (a layer stack shares them).
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { importKeras, exportOnnx } from '@rnn/onnx';
 *
 * const json = JSON.parse(await readFile('model/model.json', 'utf8'));
 * const model = importKeras(json, [await readFile('model/group1-shard1of1.bin')]);
 * const onnx = exportOnnx(model);   // a GRU with reset_after false exports as linear_before_reset = 0
 * ```
 */
export function importKeras(json: KerasModelJson, weightData?: Uint8Array | ArrayBuffer | readonly (Uint8Array | ArrayBuffer)[]): KerasModel {
  if (typeof json !== 'object' || json === null) fail('json must be the parsed model.json');
  const given = weightData ?? json.weightData ?? fail('no weight data: pass the weight files');
  const parts = (Array.isArray(given) ? given : [given]) as (Uint8Array | ArrayBuffer)[];
  const weights = weightsOf(json, parts.map((b) => (b instanceof Uint8Array ? b : new Uint8Array(b))));
  const layers = layersOf(json.modelTopology).filter((l) => !SKIPPED.has(l.class_name));
  const stack: { r: RecurrentLayer; bidirectional: boolean; prefix: string; backward: string }[] = [];
  let dense: LayerJson | undefined;
  let nX: number | undefined;
  layers.forEach((l, i) => {
    const where = `layer ${i}`;
    if (dense !== undefined) fail(`${where}: ${l.class_name} after the Dense head is not supported`);
    if (l.class_name === 'Dense') {
      dense = l;
      return;
    }
    if (l.class_name === 'Bidirectional') {
      const mode = l.config['merge_mode'] ?? l.config['mergeMode'] ?? 'concat';
      if (mode !== 'concat') fail(`${where}: Bidirectional merge_mode ${String(mode)} is not supported (concat only)`);
      const inner = l.config['layer'] as LayerJson | undefined;
      if (inner === undefined) fail(`${where}: Bidirectional without its layer`);
      const r = recurrentLayer(inner, where, true);
      const back = l.config['backward_layer'] as LayerJson | undefined;
      if (back !== undefined) {
        const b = recurrentLayer(back, where, true);
        if (b.cell !== r.cell || b.units !== r.units || b.useBias !== r.useBias || b.resetAfter !== r.resetAfter) fail(`${where}: the backward layer differs from the forward one`);
      }
      const name = String(l.config.name ?? '');
      stack.push({ r, bidirectional: true, prefix: `${name}/forward`, backward: `${name}/backward` });
    } else {
      const r = recurrentLayer(l, where, false);
      stack.push({ r, bidirectional: false, prefix: `${r.name}/`, backward: '' });
    }
    if (i === 0) {
      const shape: unknown = l.config['batch_input_shape'] ?? l.config['batchInputShape'] ?? (l.config['layer'] as LayerJson | undefined)?.config['batch_input_shape'];
      if (Array.isArray(shape)) nX = Number(shape[shape.length - 1]);
    }
  });
  const first = stack[0] ?? fail('the model has no LSTM, GRU or SimpleRNN layer');
  const { cell, units, resetAfter } = first.r;
  const D = first.bidirectional ? 2 : 1;
  for (const [i, s] of stack.entries()) {
    if (s.r.cell !== cell || s.r.units !== units || s.bidirectional !== first.bidirectional || s.r.resetAfter !== resetAfter) {
      fail(`recurrent layer ${i} (${s.r.name}) is a ${s.bidirectional ? 'bidirectional ' : ''}${s.r.cell} of ${s.r.units} units after a ${first.bidirectional ? 'bidirectional ' : ''}${cell} of ${units}: a @rnn/cells layer stack shares one cell, size and direction`);
    }
    if (i < stack.length - 1 && !s.r.returnSequences) fail(`recurrent layer ${i} (${s.r.name}) has return_sequences false but feeds another recurrent layer`);
  }
  const kernel0 = [...weights.entries()].find(([n]) => n.startsWith(first.prefix) && /\/kernel(:0)?$/.test(n));
  nX ??= kernel0?.[1].shape[0];
  if (nX === undefined || !Number.isSafeInteger(nX) || nX < 1) fail('the input size is not known (no batch_input_shape and no kernel)');
  const parameters: Record<string, Float64Array> = {};
  stack.forEach((s, layer) => {
    const nIn = layer === 0 ? (nX as number) : D * units;
    const directions = s.bidirectional ? [s.prefix, s.backward] : [s.prefix];
    directions.forEach((prefix, d) => {
      const g = kerasGates(s.r, weights, prefix, nIn);
      for (const [key, b] of Object.entries(cellParameters(cell, g, GATE_ORDERS.keras[cell], { nA: units, nX: nIn }))) parameters[`l${layer}${d === 1 ? 'r' : ''}.${key}`] = b.data;
    });
  });
  let outputSize: number | undefined;
  let head: 'softmax' | 'linear' = 'softmax';
  if (dense !== undefined) {
    const d = dense as LayerJson;
    const activation = d.config['activation'] ?? 'linear';
    if (activation !== 'softmax' && activation !== 'linear') fail(`the Dense head's activation ${String(activation)} is not supported (softmax or linear)`);
    head = activation;
    const name = String(d.config.name ?? '');
    const k = [...weights.entries()].find(([n]) => n.startsWith(`${name}/`) && /\/kernel(:0)?$/.test(n))?.[1] ?? fail(`weight ${name}/kernel is missing`);
    if (k.shape.length !== 2 || k.shape[0] !== D * units) fail(`weight ${name}/kernel has shape [${k.shape.join(', ')}], expected [${D * units}, units]`);
    outputSize = k.shape[1] as number;
    const Wy = new Float64Array(outputSize * D * units);
    for (let i = 0; i < D * units; i++) for (let o = 0; o < outputSize; o++) Wy[o * D * units + i] = k.data[i * outputSize + o] as number;
    parameters['Wy'] = Wy;
    const useBias = d.config['use_bias'] ?? d.config['useBias'];
    const b = [...weights.entries()].find(([n]) => n.startsWith(`${name}/`) && /\/bias(:0)?$/.test(n))?.[1];
    if (useBias !== false && b === undefined) fail(`weight ${name}/bias is missing`);
    parameters['by'] = b === undefined ? new Float64Array(outputSize) : Float64Array.from(b.data);
  }
  const config: LayerConfig = { cell, inputSize: nX, hiddenSize: units, numLayers: stack.length, bidirectional: D === 2, ...(outputSize === undefined ? {} : { outputSize }) };
  const expected = layerParameterShapes(config).map((p) => p.name).sort();
  if (JSON.stringify(expected) !== JSON.stringify(Object.keys(parameters).sort())) fail(`the layers are not complete: expected ${expected.join(', ')}`);
  const variant: StackVariant | undefined = cell === 'gru' && !resetAfter ? { linearBeforeReset: false } : undefined;
  return { layers: config, parameters, head, variant, returnSequences: (stack[stack.length - 1] as { r: RecurrentLayer }).r.returnSequences };
}
