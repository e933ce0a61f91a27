import { InvalidArgumentError, type Kernels, type LstmPeepholes, type SequenceOptions, type SequenceTape, type Tensor } from '@rnn/tensor';
import type { ArgumentChecker } from './validate.js';

/** A dimension of a parameter, in terms of its layer: `n_a` hidden units, `n_x` inputs, `n_y` outputs, or 1. */
export type Dim = 'nA' | 'nX' | 'nA+nX' | 'nY' | 1;

/** One parameter of a cell: its shape, how it starts, and whether it belongs to the output layer. */
export interface ParameterSpec {
  /** Rows and columns, in terms of the layer's sizes. */
  readonly shape: readonly [Dim, Dim];
  /** `'weight'`: drawn at random, scaled by `1/√fan-in`; `{ bias: v }`: every entry `v`. */
  readonly init: 'weight' | {
    /** The value every entry starts at. */
    readonly bias: number;
  };
  /** True for the output layer's weight and bias (`Wy`/`Wya`, `by`): a layer without a head has neither. */
  readonly head?: boolean | undefined;
}

/** The state a cell carries from one step to the next: the hidden state `a`, and for the LSTM the cell state `c`. */
export type StateName = 'a' | 'c';

/** The sizes a parameter shape refers to. */
export interface CellDims {
  /** Inputs `n_x`. */
  readonly nX: number;
  /** Hidden units `n_a`. */
  readonly nA: number;
  /** Outputs `n_y`. */
  readonly nY: number;
}

/** A cell's states: the hidden state `a`, and for the LSTM the cell state `c`. */
export interface CellStates {
  /** The hidden state. */
  readonly a: Tensor;
  /** The cell state (the LSTM only). */
  readonly c?: Tensor | undefined;
}

/**
 * Forward-only variants of the cells that imported models use: ONNX's `clip`, the LSTM's peepholes
 * `P` and `input_forget`, the GRU's `linear_before_reset = 0`. A run with any of them has no backward.
 */
export interface CellVariant {
  /** Clamp every pre-activation to `[−clip, clip]`. */
  readonly clip?: number | undefined;
  /** LSTM peephole weights. */
  readonly peepholes?: LstmPeepholes | undefined;
  /** LSTM: `ft = 1 − it`. */
  readonly inputForget?: boolean | undefined;
  /** GRU: false applies the reset gate before the recurrent product (default true). */
  readonly linearBeforeReset?: boolean | undefined;
}

/** Refuses the parts of `variant` that `cell` has no use for. */
export function checkVariant(fn: string, cell: CellName, variant: CellVariant | undefined): void {
  if (variant === undefined) return;
  const allowed: Readonly<Record<CellName, readonly string[]>> = { rnn: ['clip'], lstm: ['clip', 'peepholes', 'inputForget'], gru: ['clip', 'linearBeforeReset'] };
  for (const [key, value] of Object.entries(variant)) {
    if (value !== undefined && !allowed[cell].includes(key)) throw new InvalidArgumentError(fn, `variant.${key}`, `does not apply to a ${cell} cell`);
  }
  if (variant.clip !== undefined && !(variant.clip > 0)) throw new InvalidArgumentError(fn, 'variant.clip', `must be a positive number, got ${variant.clip}`);
}

/** What a cell's sequence forward gives a layer: its states over time, the tensors of each step, the tape. */
export interface CellSequenceRun {
  /** Every state over time, each `(n_a, m, T)`: `a` (zero past an example's length) and for the LSTM `c`. */
  readonly states: CellStates;
  /** Each time step's tensors: the input, the new states (`aNext`, `cNext`) and the activations. */
  readonly steps: readonly Readonly<Record<string, Tensor>>[];
  /** What the sequence backward reads. */
  readonly tape: SequenceTape;
}

/** What a cell's sequence backward gives: the input gradient, each initial state's, and each recurrent weight's (keyed `d` + name). */
export interface CellSequenceGradients {
  /** `(n_x, m, T)`. */
  readonly dx: Tensor;
  /** The gradient with respect to each initial state, `(n_a, m)`. */
  readonly dState: CellStates;
  /** `d` + the name of every recurrent (non-head) parameter. */
  readonly weights: Readonly<Record<string, Tensor>>;
}

/**
 * A recurrent cell as data: its parameters (names, shapes, initial values, which form the output
 * layer), the state it carries, the activations it records, and how a backend's kernels run it.
 * Checks, initialisation, checkpoints, training, sampling, layers and the bench iterate this
 * instead of naming keys; adding a cell is its description, its kernels and its tests.
 */
export interface CellSpec<K extends string = string> {
  /** `rnn`, `lstm` or `gru`. */
  readonly name: CellName;
  /** Every parameter in storage order, the output layer's last. */
  readonly parameters: { readonly [P in K]: ParameterSpec };
  /** The states carried between steps, `a` first. */
  readonly state: readonly StateName[];
  /** The per-step activations a cache holds besides the states (e.g. `ft, it, cct, ot`). */
  readonly activations: readonly string[];
  /** The recurrence over a sequence through the backend's sequence kernel. */
  sequenceForward(k: Kernels, args: { readonly x: Tensor; readonly state: CellStates; readonly weights: Readonly<Record<K, Tensor>>; readonly walk: SequenceOptions; readonly variant?: CellVariant | undefined }): CellSequenceRun;
  /** Backpropagation through time over a `sequenceForward` tape. */
  sequenceBackward(k: Kernels, args: { readonly da: Tensor; readonly tape: SequenceTape; readonly weights: Readonly<Record<K, Tensor>> }): CellSequenceGradients;
  /** One step with the output layer, through the backend's step kernel: the next states, `ytPred` and the activations. */
  stepForward(k: Kernels, args: { readonly xt: Tensor; readonly state: CellStates; readonly weights: Readonly<Record<K, Tensor>> }): Readonly<Record<string, Tensor>>;
}

/** The cells there are. */
export type CellName = 'rnn' | 'lstm' | 'gru';

/** The parameter names of a cell description. */
export type ParameterNames<C> = C extends CellSpec<infer K> ? K : never;

/** A cell's parameters as tensors, typed from its description: a wrong or missing key does not compile. */
export type ParametersOf<C> = { readonly [K in ParameterNames<C>]: Tensor };

/** The number a dimension stands for. */
export function dimSize(dim: Dim, dims: CellDims): number {
  if (dim === 1) return 1;
  if (dim === 'nA+nX') return dims.nA + dims.nX;
  return dims[dim];
}

/** `[rows, cols]` of parameter `spec` for a layer of `dims`. */
export function parameterShape(spec: ParameterSpec, dims: CellDims): [number, number] {
  return [dimSize(spec.shape[0], dims), dimSize(spec.shape[1], dims)];
}

/** The names of `cell`'s parameters in storage order, optionally only the recurrent (non-head) ones. */
export function parameterNames<K extends string>(cell: CellSpec<K>, which: 'all' | 'recurrent' | 'head' = 'all'): K[] {
  return (Object.keys(cell.parameters) as K[]).filter((k) => {
    const head = cell.parameters[k].head === true;
    return which === 'all' || (which === 'head') === head;
  });
}

/** `[name, spec]` of `cell`'s parameters in storage order, optionally only the recurrent or the head ones. */
export function parameterEntries<K extends string>(cell: CellSpec<K>, which: 'all' | 'recurrent' | 'head' = 'all'): [K, ParameterSpec][] {
  return parameterNames(cell, which).map((k) => [k, cell.parameters[k]]);
}

const DIM_NAME: Readonly<Record<string, string>> = { nA: 'n_a', nX: 'n_x', nY: 'n_y', 'nA+nX': 'n_a + n_x', 1: '1' };

/**
 * Checks `parameters` against `cell`'s description for hidden size `nA` (learned from `from`) and
 * `nX` inputs; `n_y` is learned from the first head weight. Returns them typed, with `n_y`.
 */
export function checkCellParameters<K extends string>(
  check: ArgumentChecker, cell: CellSpec<K>, parameters: unknown, nA: number, nX: number, from: string, which: 'all' | 'recurrent' = 'all',
): { p: Readonly<Record<K, Tensor>>; nY: number } {
  const names = parameterNames(cell, which);
  const raw = check.record('parameters', parameters, names);
  let nY: number | undefined;
  let nYFrom = '';
  const p = {} as Record<K, Tensor>;
  for (const name of names) {
    const spec = cell.parameters[name];
    const arg = `parameters.${name}`;
    if (nY === undefined && spec.shape.includes('nY')) {
      const shape = check.rank(arg, raw[name], 2, `(${spec.shape.map((d) => DIM_NAME[String(d)]).join(', ')})`);
      nY = shape[spec.shape.indexOf('nY')] ?? 0;
      nYFrom = arg;
    }
    const dims = { nA, nX, nY: nY ?? 0 };
    const used = new Set(spec.shape.flatMap((d) => (d === 'nA+nX' ? ['nA', 'nX'] : d === 1 ? [] : [d])));
    const why = [
      used.has('nA') ? `n_a = ${nA} from ${from}` : '',
      used.has('nX') ? `n_x = ${nX} from the input` : '',
      used.has('nY') && nYFrom !== arg ? `n_y = ${nY} from ${nYFrom}` : '',
    ].filter((s) => s !== '');
    const reason = `(${spec.shape.map((d) => DIM_NAME[String(d)]).join(', ')})${why.length > 0 ? ` with ${why.join(' and ')}` : ''}`;
    p[name] = check.shape(arg, raw[name], parameterShape(spec, dims), reason);
  }
  return { p, nY: nY ?? 0 };
}

/** `state` when present; a description that needs a state it was not given is a programming error. */
export function requiredState(state: Tensor | undefined, name: StateName): Tensor {
  if (state === undefined) throw new Error(`the ${name} state is missing`);
  return state;
}
