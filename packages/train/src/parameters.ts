import { InvalidArgumentError, tensor, type DType, type Tensor } from '@rnn/tensor';
import type { LstmParameters, RnnParameters } from '@rnn/cells';

/** Which recurrent cell a model runs. */
export type CellType = 'lstm' | 'rnn';

/** Every `CellType`, for checks and messages. */
const CELL_TYPES: readonly CellType[] = ['lstm', 'rnn'];

/** Throws an `InvalidArgumentError` naming `fn` unless `cell` is a supported cell. */
export function checkCell(fn: string, cell: unknown): asserts cell is CellType {
  if (!CELL_TYPES.some((c) => c === cell)) {
    throw new InvalidArgumentError(fn, 'cell', `must be ${CELL_TYPES.map((c) => `'${c}'`).join(' or ')}, got ${typeof cell === 'string' ? `'${cell}'` : String(cell)}`);
  }
}

/** The LSTM parameter names, NumPy's keys, in the order they are drawn and stored. */
export const LSTM_PARAMETER_NAMES = ['Wf', 'bf', 'Wi', 'bi', 'Wc', 'bc', 'Wo', 'bo', 'Wy', 'by'] as const;
/** The RNN parameter names, NumPy's keys, in the order they are drawn and stored. */
export const RNN_PARAMETER_NAMES = ['Waa', 'Wax', 'Wya', 'ba', 'by'] as const;

/** Sizes of a model: `n_x` inputs, `n_a` hidden units, `n_y` output classes. */
export interface ModelDims {
  /** Input features `n_x` (the vocabulary size for characters). */
  readonly nX: number;
  /** Hidden units `n_a`. */
  readonly nA: number;
  /** Output classes `n_y`. */
  readonly nY: number;
}

/**
 * Parameters (or gradients, or optimizer moments) kept on the host in float64, one flat
 * row-major array per NumPy key. A gradient map uses the same keys: `grads.Wf` holds `dWf`.
 */
export type HostParameters = Readonly<Record<string, Float64Array>>;

/** The name and `(rows, cols)` shape of every parameter of `cell`, in storage order. */
export function parameterShapes(cell: CellType, { nX, nA, nY }: ModelDims): readonly (readonly [string, readonly [number, number]])[] {
  checkCell('parameterShapes', cell);
  if (cell === 'lstm') {
    const gate = [nA, nA + nX] as const;
    const bias = [nA, 1] as const;
    return [
      ['Wf', gate], ['bf', bias], ['Wi', gate], ['bi', bias], ['Wc', gate], ['bc', bias], ['Wo', gate], ['bo', bias],
      ['Wy', [nY, nA]], ['by', [nY, 1]],
    ];
  }
  return [['Waa', [nA, nA]], ['Wax', [nA, nX]], ['Wya', [nY, nA]], ['ba', [nA, 1]], ['by', [nY, 1]]];
}

/** The name of the output-layer weight: `Wy` for the LSTM, `Wya` for the RNN. */
export function outputWeightName(cell: CellType): 'Wy' | 'Wya' {
  return cell === 'lstm' ? 'Wy' : 'Wya';
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

/** Checks that `params` holds exactly the parameters of `cell` with the shapes `dims` imply. */
export function checkParameters(fn: string, cell: CellType, dims: ModelDims, params: HostParameters): void {
  const shapes = parameterShapes(cell, dims);
  for (const [name, [rows, cols]] of shapes) {
    const p = parameter(params, name, fn);
    if (p.length !== rows * cols) {
      throw new InvalidArgumentError(fn, `parameters.${name}`, `holds ${p.length} values but (${rows}, ${cols}) = ${rows * cols} were expected`);
    }
  }
  const extra = Object.keys(params).filter((k) => !shapes.some(([name]) => name === k));
  if (extra.length > 0) throw new InvalidArgumentError(fn, 'parameters', `has keys a ${cell} does not use: ${extra.join(', ')}`);
}

/** Host tensors of `dtype` for the cells, one per parameter (float32 rounds the float64 values). */
export function toTensors(cell: 'lstm', dims: ModelDims, params: HostParameters, dtype: DType): LstmParameters;
export function toTensors(cell: 'rnn', dims: ModelDims, params: HostParameters, dtype: DType): RnnParameters;
export function toTensors(cell: CellType, dims: ModelDims, params: HostParameters, dtype: DType): LstmParameters | RnnParameters;
export function toTensors(cell: CellType, dims: ModelDims, params: HostParameters, dtype: DType): LstmParameters | RnnParameters {
  const shapes = new Map(parameterShapes(cell, dims));
  const t = (name: string): Tensor => tensor(parameter(params, name, 'toTensors'), shapes.get(name) ?? [0, 0], dtype);
  if (cell === 'lstm') {
    return { Wf: t('Wf'), bf: t('bf'), Wi: t('Wi'), bi: t('bi'), Wc: t('Wc'), bc: t('bc'), Wo: t('Wo'), bo: t('bo'), Wy: t('Wy'), by: t('by') };
  }
  return { Waa: t('Waa'), Wax: t('Wax'), Wya: t('Wya'), ba: t('ba'), by: t('by') };
}
