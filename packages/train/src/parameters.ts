import { CELLS, isCellName, layerParameterShapes, type CellName, type LayerConfig } from '@rnn/cells';
import { InvalidArgumentError, tensor, type DType, type Tensor } from '@rnn/tensor';

/** Throws an `InvalidArgumentError` naming `fn` unless `cell` is one of the cells in `CELLS`. */
export function checkCell(fn: string, cell: unknown): asserts cell is CellName {
  if (!isCellName(cell)) {
    throw new InvalidArgumentError(fn, 'cell', `must be ${Object.keys(CELLS).map((c) => `'${c}'`).join(', ')}, got ${typeof cell === 'string' ? `'${cell}'` : String(cell)}`);
  }
}

/**
 * A layer stack with every field set: the cell, `inputSize` (`n_x`), `hiddenSize` (`n_a`),
 * `numLayers`, `bidirectional` and the head's `outputSize` (`n_y`).
 */
export interface ModelLayers extends LayerConfig {
  readonly numLayers: number;
  readonly bidirectional: boolean;
  readonly outputSize: number;
}

/**
 * Parameters (or gradients, or optimizer moments) kept on the host in float64, one flat
 * row-major array per key of `layerParameterShapes` (`l0.Wf`, `l1r.Wz`, the head's `Wy`, `by`).
 * A gradient map uses the same keys: `grads['l0.Wf']` holds `dWf` of layer 0.
 */
export type HostParameters = Readonly<Record<string, Float64Array>>;

/** The name and `(rows, cols)` shape of every parameter of a layer stack with a head, in storage order (see `layerParameterShapes`). */
export function parameterShapes(layers: ModelLayers): readonly (readonly [string, readonly [number, number]])[] {
  return layerParameterShapes(layers).map((p) => [p.name, p.shape] as const);
}

/** Reads one parameter, throwing `InvalidArgumentError` naming `fn` when it is missing. */
export function parameter(params: HostParameters, name: string, fn: string): Float64Array {
  const p = params[name];
  if (p === undefined) throw new InvalidArgumentError(fn, `parameters.${name}`, 'is missing');
  return p;
}

/** A zero-filled map with the keys and sizes of `params` (gradients, optimizer moments). */
export function zerosLike(params: HostParameters): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [name, values] of Object.entries(params)) out[name] = new Float64Array(values.length);
  return out;
}

/** A deep copy of a parameter map. */
export function cloneParameters(params: HostParameters): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [name, values] of Object.entries(params)) out[name] = values.slice();
  return out;
}

/** Checks that `params` holds exactly the parameters of `layers`, each of the size its shape implies. */
export function checkParameters(fn: string, layers: ModelLayers, params: HostParameters): void {
  if (typeof params !== 'object' || params === null) throw new InvalidArgumentError(fn, 'parameters', 'must be an object of Float64Array by parameter name');
  const shapes = parameterShapes(layers);
  for (const [name, [rows, cols]] of shapes) {
    const p = parameter(params, name, fn);
    if (!(p instanceof Float64Array)) throw new InvalidArgumentError(fn, `parameters.${name}`, 'must be a Float64Array');
    if (p.length !== rows * cols) {
      throw new InvalidArgumentError(fn, `parameters.${name}`, `holds ${p.length} values but (${rows}, ${cols}) = ${rows * cols} were expected`);
    }
  }
  const extra = Object.keys(params).filter((k) => !shapes.some(([name]) => name === k));
  if (extra.length > 0) throw new InvalidArgumentError(fn, 'parameters', `has keys this ${layers.cell} stack does not use: ${extra.join(', ')}`);
}

/** Tensors of `dtype` for `layersForward`, one per parameter (float32 rounds the float64 values). */
export function toTensors(layers: ModelLayers, params: HostParameters, dtype: DType): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, shape] of parameterShapes(layers)) out[name] = tensor(parameter(params, name, 'toTensors'), shape, dtype);
  return out;
}

function positiveInteger(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new InvalidArgumentError(fn, arg, `must be a positive integer, got ${String(value)}`);
  return value;
}

/**
 * Checks a layer stack with a head (typed errors naming `fn` and the field) and fills in the
 * defaults: one layer, one direction.
 */
export function modelLayers(fn: string, config: LayerConfig): ModelLayers {
  if (typeof config !== 'object' || config === null) throw new InvalidArgumentError(fn, 'config', 'must be an object');
  checkCell(fn, config.cell);
  const bidirectional = config.bidirectional ?? false;
  if (typeof bidirectional !== 'boolean') throw new InvalidArgumentError(fn, 'bidirectional', `must be a boolean, got ${String(bidirectional)}`);
  return {
    cell: config.cell,
    inputSize: positiveInteger(fn, 'inputSize', config.inputSize),
    hiddenSize: positiveInteger(fn, 'hiddenSize', config.hiddenSize),
    numLayers: positiveInteger(fn, 'numLayers', config.numLayers ?? 1),
    bidirectional,
    outputSize: positiveInteger(fn, 'outputSize', config.outputSize),
  };
}
