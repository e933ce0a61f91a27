import { layerParameterShapes, type CellName, type LayerConfig } from '@rnn/cells';
import { InvalidArgumentError } from '@rnn/tensor';
import { WeightImportError } from '../errors.js';
import { checkModel, directionParameters, type ImportedModel, type RecurrentModel } from '../model-source.js';
import { cellParameters, GATE_ORDERS, gateWeights } from './gate-weights.js';
import { readSafetensors, writeSafetensors, type SafetensorsInput, type SafetensorsTensor } from './safetensors.js';

/** Options of `importPytorch`. */
export interface PytorchImportOptions {
  /**
   * The prefix of the recurrent module's keys, e.g. `rnn.` for a module whose `nn.LSTM` is
   * `self.rnn` (`rnn.weight_ih_l0`). Default: found from the one key that ends in `weight_ih_l0`.
   */
  readonly prefix?: string | undefined;
  /** The cell, to check against the weights' gate count (4: LSTM, 3: GRU, 1: RNN). */
  readonly cell?: CellName | undefined;
  /**
   * An `nn.Linear` after the recurrent layers: the prefix of its `weight (n_y, D·n_a)` and `bias`
   * (e.g. `head.`), and the activation applied to it. Default: the `rnn.head` metadata of a file
   * `exportSafetensors` wrote, else no head.
   */
  readonly head?: LinearHead | undefined;
}

/** An `nn.Linear` head in a state dict: where its keys are and what follows it. */
export interface LinearHead {
  /** The prefix of its `weight` and `bias` keys, e.g. `fc.`. */
  readonly prefix: string;
  /** `softmax` (classes) or `linear` (regression). */
  readonly activation: 'softmax' | 'linear';
}

const FN = 'importPytorch';
const CELL_BY_GATES: Readonly<Record<number, CellName>> = { 4: 'lstm', 3: 'gru', 1: 'rnn' };

/** The tensors of a state dict: from a `.safetensors` file's bytes, or already read. */
function tensorsOf(source: Uint8Array | Readonly<Record<string, SafetensorsTensor>>): { tensors: Readonly<Record<string, SafetensorsTensor>>; metadata: Readonly<Record<string, string>> } {
  if (source instanceof Uint8Array) return readSafetensors(source);
  if (typeof source !== 'object' || source === null) throw new WeightImportError(FN, 'source must be the bytes of a .safetensors file or the tensors readSafetensors returned');
  return { tensors: source, metadata: {} };
}

/**
 * Maps a PyTorch `nn.LSTM` / `nn.GRU` / `nn.RNN` `state_dict` (with `num_layers`, `bidirectional`
 * and `bias` true or false, `batch_first` irrelevant to the weights) to an `@rnn` layer stack:
 * `weight_ih_l{k}[_reverse]`, `weight_hh_l{k}[_reverse]`, `bias_ih_…`, `bias_hh_…`, gates in
 * PyTorch's order (LSTM i, f, g, o; GRU r, z, n), become `l{k}[r].W…` and `b…` (SPEC's mapping:
 * `[W_hh | W_ih]` per gate, the two biases summed except the GRU candidate's). The result runs
 * with `layersForward`, trains with `@rnn/train`, and exports with `exportOnnx`.
 *
 * `source` is a `.safetensors` file's bytes (`safetensors.torch.save_file(model.state_dict(), path)`)
 * or the tensors of `readSafetensors`. Refused with a `WeightImportError`: names that do not form a
 * module (a missing layer, `proj_size`'s `weight_hr`), shapes that disagree, a gate count of no cell.
 * `nn.RNN`'s `nonlinearity='relu'` is not in the weights: only `tanh` (the default) computes the same.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { importPytorch, exportOnnx } from '@rnn/onnx';
 *
 * const model = importPytorch(await readFile('lstm.safetensors'), { head: { prefix: 'fc.', activation: 'softmax' } });
 * model.layers;   // { cell: 'lstm', inputSize: 27, hiddenSize: 64, numLayers: 2, bidirectional: false, outputSize: 27 }
 * ```
 */
export function importPytorch(source: Uint8Array | Readonly<Record<string, SafetensorsTensor>>, opts: PytorchImportOptions = {}): ImportedModel {
  const { tensors, metadata } = tensorsOf(source);
  const names = Object.keys(tensors);
  let prefix = opts.prefix ?? metadata['rnn.prefix'];
  if (prefix === undefined) {
    const found = [...new Set(names.filter((n) => n.endsWith('weight_ih_l0')).map((n) => n.slice(0, -'weight_ih_l0'.length)))];
    if (found.length !== 1) throw new WeightImportError(FN, found.length === 0 ? 'no tensor is named …weight_ih_l0: not the state_dict of an nn.LSTM, nn.GRU or nn.RNN' : `several recurrent modules (prefixes ${found.map((p) => JSON.stringify(p)).join(', ')}): pass opts.prefix`);
    prefix = found[0] as string;
  }
  // The module's own keys: under the prefix, not in a submodule (a bare nn.LSTM's keys have no dots).
  const own = names.filter((n) => n.startsWith(prefix as string)).map((n) => n.slice((prefix as string).length)).filter((n) => !n.includes('.'));
  const pattern = /^(weight_ih|weight_hh|bias_ih|bias_hh)_l(\d+)(_reverse)?$/;
  const strange = own.filter((n) => !pattern.test(n));
  if (strange.length > 0) throw new WeightImportError(FN, `${strange.map((n) => prefix + n).join(', ')} ${strange.length === 1 ? 'is' : 'are'} not a weight of nn.LSTM/nn.GRU/nn.RNN${strange.some((n) => n.startsWith('weight_hr')) ? ' (proj_size is not supported)' : ''}`);
  const get = (name: string): SafetensorsTensor | undefined => tensors[prefix + name];
  const need = (name: string, shape: readonly number[]): Float64Array => {
    const t = get(name) ?? fail(`${prefix}${name} is missing`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) fail(`${prefix}${name} has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
    return t.data;
  };
  const ih0 = get('weight_ih_l0') ?? fail(`${prefix}weight_ih_l0 is missing`);
  const hh0 = get('weight_hh_l0') ?? fail(`${prefix}weight_hh_l0 is missing`);
  if (ih0.shape.length !== 2 || hh0.shape.length !== 2) fail(`${prefix}weight_ih_l0 and weight_hh_l0 must be matrices`);
  const nA = hh0.shape[1] as number;
  const G = (hh0.shape[0] as number) / nA;
  const cell = CELL_BY_GATES[G] ?? fail(`${prefix}weight_hh_l0 of shape [${hh0.shape.join(', ')}] has ${G} gate blocks; nn.LSTM has 4, nn.GRU 3, nn.RNN 1`);
  if (opts.cell !== undefined && opts.cell !== cell) fail(`the weights are a ${cell} (${G} gate blocks), not a ${opts.cell}`);
  const layers = Math.max(...own.map((n) => Number(pattern.exec(n)?.[2]))) + 1;
  const bidirectional = own.some((n) => n.endsWith('_reverse'));
  const bias = own.some((n) => n.startsWith('bias_'));
  const D = bidirectional ? 2 : 1;
  const nX = ih0.shape[1] as number;
  const parameters: Record<string, Float64Array> = {};
  for (let layer = 0; layer < layers; layer++) {
    const nIn = layer === 0 ? nX : D * nA;
    for (let d = 0; d < D; d++) {
      const s = `_l${layer}${d === 1 ? '_reverse' : ''}`;
      const zeros = new Float64Array(G * nA);
      const g = {
        W: need(`weight_ih${s}`, [G * nA, nIn]),
        R: need(`weight_hh${s}`, [G * nA, nA]),
        Wb: bias ? need(`bias_ih${s}`, [G * nA]) : zeros,
        Rb: bias ? need(`bias_hh${s}`, [G * nA]) : zeros,
      };
      for (const [key, b] of Object.entries(cellParameters(cell, g, GATE_ORDERS.pytorch[cell], { nA, nX: nIn }))) parameters[`l${layer}${d === 1 ? 'r' : ''}.${key}`] = b.data;
    }
  }
  const fromMetadata = metadata['rnn.head'];
  const head = opts.head ?? (fromMetadata === 'softmax' || fromMetadata === 'linear' ? { prefix: metadata['rnn.headPrefix'] ?? 'head.', activation: fromMetadata } : undefined);
  let outputSize: number | undefined;
  if (head !== undefined) {
    const w = tensors[`${head.prefix}weight`] ?? fail(`${head.prefix}weight (the head) is missing`);
    outputSize = w.shape[0] as number;
    if (w.shape.length !== 2 || w.shape[1] !== D * nA) fail(`${head.prefix}weight has shape [${w.shape.join(', ')}], expected [n_y, ${D * nA}]`);
    const b = tensors[`${head.prefix}bias`];
    if (b !== undefined && (b.shape.length !== 1 || b.shape[0] !== outputSize)) fail(`${head.prefix}bias has shape [${b.shape.join(', ')}], expected [${outputSize}]`);
    parameters['Wy'] = Float64Array.from(w.data);
    parameters['by'] = b === undefined ? new Float64Array(outputSize) : Float64Array.from(b.data);
  }
  const config: LayerConfig = { cell, inputSize: nX, hiddenSize: nA, numLayers: layers, bidirectional, ...(outputSize === undefined ? {} : { outputSize }) };
  const expected = layerParameterShapes(config).map((p) => p.name).sort();
  if (JSON.stringify(expected) !== JSON.stringify(Object.keys(parameters).sort())) fail(`the layers are not complete: expected ${expected.join(', ')}`);
  return { layers: config, parameters, head: head?.activation ?? 'softmax' };
}

function fail(problem: string): never {
  throw new WeightImportError(FN, problem);
}

/** Options of `exportSafetensors`. */
export interface SafetensorsExportOptions {
  /** The recurrent module's key prefix (default `rnn.` when the model has a head, else none: the keys of a bare `nn.LSTM`). */
  readonly prefix?: string | undefined;
  /** The head's `nn.Linear` key prefix (default `head.`). */
  readonly headPrefix?: string | undefined;
  /** Stored element type: `F32` (default, PyTorch's) or `F64`. */
  readonly dtype?: 'F32' | 'F64' | undefined;
}

/**
 * Writes a model's weights as a PyTorch `state_dict` in `.safetensors` form, so training can go
 * on in PyTorch (one machine or `DistributedDataParallel`): the keys of an `nn.LSTM`/`nn.GRU`/`nn.RNN`
 * (`weight_ih_l0`, `weight_hh_l0_reverse`, `bias_ih_l1`, …; PyTorch's gate orders; each summed
 * bias as `bias_ih` with `bias_hh` zero, which computes the same), under `prefix`, and the head
 * as an `nn.Linear` (`head.weight`, `head.bias`). The header's metadata records the configuration
 * (`rnn.config`, `rnn.head`, `rnn.prefix`) so `importPytorch` reads the file back without options.
 *
 * ```python
 * class Model(nn.Module):            # for layers { cell: 'lstm', inputSize: 27, hiddenSize: 64, outputSize: 27 }
 *     def __init__(self):
 *         super().__init__()
 *         self.rnn = nn.LSTM(27, 64)   # num_layers, bidirectional as in the config
 *         self.head = nn.Linear(64, 27)
 * model.load_state_dict(safetensors.torch.load_file('model.safetensors'))
 * ```
 *
 * A forward-only variant has no PyTorch module and is refused (`InvalidArgumentError`).
 */
export function exportSafetensors(model: RecurrentModel, opts: SafetensorsExportOptions = {}): Uint8Array {
  const fn = 'exportSafetensors';
  const m = checkModel(fn, model);
  if (m.variant.clip !== undefined || m.variant.inputForget === true || m.variant.linearBeforeReset === false) {
    throw new InvalidArgumentError(fn, 'model.variant', 'has no PyTorch equivalent (nn.LSTM/nn.GRU have no clip or input_forget, and nn.GRU applies the reset gate after the product)');
  }
  const prefix = opts.prefix ?? (m.nY === undefined ? '' : 'rnn.');
  const headPrefix = opts.headPrefix ?? 'head.';
  const order = GATE_ORDERS.pytorch[m.cell];
  const G = order.length;
  const out: Record<string, SafetensorsInput> = {};
  for (let layer = 0; layer < m.layers; layer++) {
    const nIn = layer === 0 ? m.nX : m.D * m.nA;
    for (let d = 0; d < m.D; d++) {
      const s = `_l${layer}${d === 1 ? '_reverse' : ''}`;
      const g = gateWeights(m.cell, directionParameters(m, layer, d), order, { nA: m.nA, nX: nIn });
      out[`${prefix}weight_ih${s}`] = { shape: [G * m.nA, nIn], data: g.W };
      out[`${prefix}weight_hh${s}`] = { shape: [G * m.nA, m.nA], data: g.R };
      out[`${prefix}bias_ih${s}`] = { shape: [G * m.nA], data: g.Wb };
      out[`${prefix}bias_hh${s}`] = { shape: [G * m.nA], data: g.Rb };
    }
  }
  const metadata: Record<string, string> = { format: 'pt', 'rnn.config': JSON.stringify(m.config), 'rnn.prefix': prefix };
  if (m.nY !== undefined) {
    out[`${headPrefix}weight`] = { shape: [m.nY, m.D * m.nA], data: m.values.get('Wy') as Float64Array };
    out[`${headPrefix}bias`] = { shape: [m.nY], data: m.values.get('by') as Float64Array };
    metadata['rnn.head'] = m.head;
    metadata['rnn.headPrefix'] = headPrefix;
  }
  return writeSafetensors(out, metadata, opts.dtype ?? 'F32');
}
