import {
  checkLengths,
  disposeOnError,
  InvalidArgumentError,
  resolveBackend,
  zeros,
  type BackendOptions,
  type Kernels,
  type Tensor,
} from '@rnn/tensor';
import { parameterEntries, parameterShape, type CellName, type CellSequenceRun, type CellSpec, type ParameterSpec } from './cell-spec.js';
import { CELLS, isCellName } from './cells.js';
import { ArgumentChecker } from './validate.js';

/**
 * A stack of recurrent layers: `numLayers` layers of one cell, each walking the sequence forward
 * and, when `bidirectional`, also in reverse (its outputs are the two directions' hidden states
 * stacked, `2·n_a` rows, and feed the next layer), then optionally an output layer (the head).
 */
export interface LayerConfig {
  /** `rnn`, `lstm` or `gru`. */
  readonly cell: CellName;
  /** Features of each input step, `n_x`. */
  readonly inputSize: number;
  /** Hidden units of every layer and direction, `n_a`. */
  readonly hiddenSize: number;
  /** Layers stacked (default 1). */
  readonly numLayers?: number | undefined;
  /** Each layer also walks the sequence in reverse (default false). */
  readonly bidirectional?: boolean | undefined;
  /** Outputs of the head `(n_y)`; without it the layers return their hidden states alone. */
  readonly outputSize?: number | undefined;
}

/** One parameter of a layer stack: its key, its shape and its description. */
export interface LayerParameterShape {
  /** `l0.Wf`, `l1r.Wz` (layer 1, reverse direction), or the head's `Wy`, `by`. */
  readonly name: string;
  /** Layer, or -1 for the head. */
  readonly layer: number;
  /** `forward` or `reverse` (the head: `forward`). */
  readonly direction: Direction;
  /** The cell parameter's own name (`Wf`). */
  readonly key: string;
  /** `[rows, cols]`. */
  readonly shape: readonly [number, number];
  /** How it starts, from the cell's description. */
  readonly spec: ParameterSpec;
}

/** The two directions a layer may walk. */
export type Direction = 'forward' | 'reverse';

/** A layer stack's parameters as tensors, keyed as `layerParameterShapes` names them. */
export type LayerParameters = Readonly<Record<string, Tensor>>;

/** The checked sizes of a `LayerConfig`. */
interface Sizes {
  readonly cell: CellSpec;
  readonly nX: number;
  readonly nA: number;
  readonly layers: number;
  readonly directions: readonly Direction[];
  readonly nY: number | undefined;
}

function positive(fn: string, arg: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1) throw new InvalidArgumentError(fn, arg, `must be a positive integer, got ${String(value)}`);
  return value as number;
}

/** Checks a `LayerConfig` and returns its sizes. */
function sizesOf(fn: string, config: LayerConfig): Sizes {
  if (typeof config !== 'object' || config === null) throw new InvalidArgumentError(fn, 'config', 'must be a LayerConfig object');
  if (!isCellName(config.cell)) throw new InvalidArgumentError(fn, 'config.cell', `must be one of ${Object.keys(CELLS).join(', ')}, got ${String(config.cell)}`);
  const bidirectional = config.bidirectional ?? false;
  if (typeof bidirectional !== 'boolean') throw new InvalidArgumentError(fn, 'config.bidirectional', `must be a boolean, got ${String(bidirectional)}`);
  return {
    cell: CELLS[config.cell],
    nX: positive(fn, 'config.inputSize', config.inputSize),
    nA: positive(fn, 'config.hiddenSize', config.hiddenSize),
    layers: positive(fn, 'config.numLayers', config.numLayers ?? 1),
    directions: bidirectional ? ['forward', 'reverse'] : ['forward'],
    nY: config.outputSize === undefined ? undefined : positive(fn, 'config.outputSize', config.outputSize),
  };
}

/** The key prefix of a layer's direction: `l0`, `l0r`. */
function prefix(layer: number, direction: Direction): string {
  return `l${layer}${direction === 'reverse' ? 'r' : ''}`;
}

/**
 * Every parameter of a layer stack, in storage order: for each layer and direction the cell's
 * recurrent parameters (`l0.Wf … l0r.bo`, layer 0's input being `inputSize`, the others' the
 * previous layer's outputs), then the head's `Wy`, `by` when `outputSize` is set.
 *
 * @example
 * ```ts
 * layerParameterShapes({ cell: 'gru', inputSize: 3, hiddenSize: 8, numLayers: 2 }).map((p) => p.name);
 * // ['l0.Wz', 'l0.bz', …, 'l1.bhh']
 * ```
 */
export function layerParameterShapes(config: LayerConfig): LayerParameterShape[] {
  const { cell, nX, nA, layers, directions, nY } = sizesOf('layerParameterShapes', config);
  const out: LayerParameterShape[] = [];
  for (let layer = 0; layer < layers; layer++) {
    const inputs = layer === 0 ? nX : directions.length * nA;
    for (const direction of directions) {
      for (const [key, spec] of parameterEntries(cell, 'recurrent')) {
        out.push({ name: `${prefix(layer, direction)}.${key}`, layer, direction, key, shape: parameterShape(spec, { nX: inputs, nA, nY: 0 }), spec });
      }
    }
  }
  if (nY !== undefined) {
    for (const [key, spec] of parameterEntries(cell, 'head')) {
      out.push({ name: key === 'Wya' ? 'Wy' : key, layer: -1, direction: 'forward', key, shape: parameterShape(spec, { nX, nA: directions.length * nA, nY }), spec });
    }
  }
  return out;
}

/** Options of `layersForward`. */
export interface LayersForwardOptions extends BackendOptions {
  /** Initial hidden states `(L·D, n_a, m)`: layer by layer, the forward direction first (default zeros). */
  readonly a0?: Tensor | undefined;
  /** Initial cell states of an LSTM, `(L·D, n_a, m)` (default zeros). */
  readonly c0?: Tensor | undefined;
  /** Each example's number of steps in a padded batch (ONNX `sequence_lens`). */
  readonly lengths?: readonly number[] | undefined;
  /** The head's activation: `softmax` (default, classes) or `linear` (regression). */
  readonly head?: 'softmax' | 'linear' | undefined;
}

/** One layer's one direction of a forward pass, kept for the backward. */
export interface DirectionRun {
  /** The layer, from 0 at the bottom. */
  readonly layer: number;
  /** Which way it walked. */
  readonly direction: Direction;
  /** The cell's sequence run: outputs, final states and the tape its backward reads. */
  readonly run: CellSequenceRun;
  /** The weights it ran with, by the cell's parameter names. */
  readonly weights: Readonly<Record<string, Tensor>>;
}

/** What `layersForward` keeps for `layersBackward`; free it with `disposeLayerCaches` (or let it be collected). */
export interface LayerCaches {
  /** The configuration it ran. */
  readonly config: LayerConfig;
  /** The backend it ran on. */
  readonly backend: Kernels;
  /** The top layer's outputs the head read. */
  readonly outputs: Tensor;
  /** The head's weight, when there is a head. */
  readonly head: Tensor | undefined;
  /** Each layer and direction, bottom up. */
  readonly runs: readonly DirectionRun[];
  /** Tensors the pass made that only the caches hold (inputs of upper layers, zero states). */
  readonly made: readonly Tensor[];
}

/** What `layersForward` returns. */
export interface LayersForwardOutput {
  /** The top layer's hidden states, `(D·n_a, m, T)`: the directions stacked, zero past an example's length. */
  readonly outputs: Tensor;
  /** The head's output `(n_y, m, T)`, when `outputSize` is set. */
  readonly yPred?: Tensor | undefined;
  /** Every layer and direction's state after its walk, `(L·D, n_a, m)`, zero for an example with no steps (ONNX's `Y_h`). */
  readonly aLast: Tensor;
  /** The LSTM's cell states after the walk, `(L·D, n_a, m)` (ONNX's `Y_c`). */
  readonly cLast?: Tensor | undefined;
  /** What `layersBackward` needs. */
  readonly caches: LayerCaches;
}

/** Checks `parameters` against the stack's shapes; returns them per layer and direction (by the cell's own keys) and the head. */
function checkLayerParameters(check: ArgumentChecker, config: LayerConfig, parameters: unknown): { weights: Map<string, Record<string, Tensor>>; head: Record<string, Tensor> } {
  const shapes = layerParameterShapes(config);
  const raw = check.record('parameters', parameters, shapes.map((p) => p.name));
  const weights = new Map<string, Record<string, Tensor>>();
  const head: Record<string, Tensor> = {};
  for (const p of shapes) {
    const why = p.layer < 0 ? 'the head, from hiddenSize, bidirectional and outputSize' : `layer ${p.layer}'s ${p.direction} ${p.key}, from the config`;
    const t = check.shape(`parameters.${p.name}`, raw[p.name], p.shape, why);
    if (p.layer < 0) {
      head[p.key] = t;
      continue;
    }
    const at = prefix(p.layer, p.direction);
    const record = weights.get(at) ?? {};
    record[p.key] = t;
    weights.set(at, record);
  }
  return { weights, head };
}

/**
 * Runs a layer stack over `x (n_x, m, T)`: each layer's directions through the backend's sequence
 * kernels (reverse ones walk from the last step; with `lengths` each example stops at its own
 * length), the directions' states stacked as the next layer's input, then the head. Every step of
 * the walk is ONNX's `LSTM`/`GRU`/`RNN` operator with `direction` and `sequence_lens`.
 *
 * @example
 * ```ts
 * const config = { cell: 'gru', inputSize: 3, hiddenSize: 16, numLayers: 2, bidirectional: true } as const;
 * const parameters = …;   // layerParameterShapes(config) tells the keys and shapes
 * const { outputs, aLast } = layersForward(x, parameters, config, { backend });
 * outputs.shape;   // [32, m, T]: both directions of the top layer
 * ```
 */
export function layersForward(x: Tensor, parameters: LayerParameters, config: LayerConfig, opts: LayersForwardOptions = {}): LayersForwardOutput {
  const fn = 'layersForward';
  const check = new ArgumentChecker(fn);
  const { cell, nX, nA, layers, directions, nY } = sizesOf(fn, config);
  const [, m = 0, T = 0] = check.rank('x', x, 3, '(n_x, m, T)');
  check.shape('x', x, [nX, m, T], `(n_x, m, T) with n_x = ${nX} from config.inputSize`);
  const { weights, head } = checkLayerParameters(check, config, parameters);
  const states = layers * directions.length;
  if (opts.a0 !== undefined) check.shape('opts.a0', opts.a0, [states, nA, m], '(L·D, n_a, m): one initial state per layer and direction');
  const hasC = cell.state.includes('c');
  if (opts.c0 !== undefined) {
    if (!hasC) throw new InvalidArgumentError(fn, 'opts.c0', `is an LSTM's cell state; a ${cell.name} has none`);
    check.shape('opts.c0', opts.c0, [states, nA, m], '(L·D, n_a, m): one initial cell state per layer and direction');
  }
  checkLengths(fn, opts.lengths, m, T, 'opts.lengths');
  const lengths = opts.lengths === undefined ? undefined : [...opts.lengths];
  const headKind = opts.head ?? 'softmax';
  if (headKind !== 'softmax' && headKind !== 'linear') throw new InvalidArgumentError(fn, 'opts.head', `must be 'softmax' or 'linear', got ${String(headKind)}`);
  const k = resolveBackend(fn, opts).kernels;

  return disposeOnError(() => {
    const made: Tensor[] = [];
    const runs: DirectionRun[] = [];
    const lastA: Tensor[] = [];
    const lastC: Tensor[] = [];
    let input = x;
    for (let layer = 0; layer < layers; layer++) {
      const outputs: Tensor[] = [];
      for (const [d, direction] of directions.entries()) {
        const index = layer * directions.length + d;
        const a0 = opts.a0 === undefined ? zeros([nA, m], x.dtype) : k.sliceFlat(opts.a0, index * nA * m, [nA, m]);
        const c0 = !hasC ? undefined : opts.c0 === undefined ? zeros([nA, m], x.dtype) : k.sliceFlat(opts.c0, index * nA * m, [nA, m]);
        made.push(a0, ...(c0 === undefined ? [] : [c0]));
        const w = weights.get(prefix(layer, direction)) ?? {};
        const run = cell.sequenceForward(k, { x: input, state: { a: a0, c: c0 }, weights: w, walk: { reverse: direction === 'reverse', lengths } });
        runs.push({ layer, direction, run, weights: w });
        outputs.push(run.states.a);
        const last = run.steps[direction === 'reverse' ? 0 : T - 1];
        if (last === undefined) throw new Error('layersForward: a run returned no steps');
        lastA.push(last['aNext'] as Tensor);
        if (hasC) lastC.push(last['cNext'] as Tensor);
      }
      const next = outputs.length === 1 ? (outputs[0] as Tensor) : k.concatFlat(outputs, [directions.length * nA, m, T]);
      if (outputs.length > 1) made.push(next);
      input = next;
    }
    // An example with no steps has no final state: zero, as onnxruntime's Y_h and Y_c are.
    const empty = lengths?.some((n) => n === 0) === true;
    const finalState = (parts: Tensor[]): Tensor => {
      const joined = k.concatFlat(parts, [states, nA, m]);
      if (!empty || lengths === undefined) return joined;
      made.push(joined);
      return k.maskColumns(joined, lengths.map((n) => n > 0));
    };
    const aLast = finalState(lastA);
    const cLast = hasC ? finalState(lastC) : undefined;
    const W = head['Wy'] ?? head['Wya'];
    const b = head['by'];
    const yPred = nY === undefined || W === undefined || b === undefined ? undefined : (headKind === 'softmax' ? k.softmaxOutput : k.linearOutput)({ a: input, W, b });
    const caches: LayerCaches = { config, backend: k, outputs: input, head: W, runs, made };
    return { outputs: input, yPred, aLast, cLast, caches };
  });
}

/** What `layersBackward` returns. */
export interface LayersGradients {
  /** Gradient with respect to `x`, `(n_x, m, T)`. */
  readonly dx: Tensor;
  /** Gradient with respect to the initial hidden states, `(L·D, n_a, m)`. */
  readonly da0: Tensor;
  /** Gradient with respect to the initial cell states of an LSTM, `(L·D, n_a, m)`. */
  readonly dc0?: Tensor | undefined;
  /** Gradient of every parameter, keyed as the parameters are. */
  readonly grads: Readonly<Record<string, Tensor>>;
}

/** The gradients flowing into a layer stack from above: into the head's logits, into the top layer's outputs, or both. */
export interface LayersOutputGradient {
  /** Gradient with respect to the head's logits `W·a + b`, `(n_y, m, T)` (for a softmax head with cross-entropy: `ŷ − y`, masked). */
  readonly dLogits?: Tensor | undefined;
  /** Gradient with respect to the top layer's outputs, `(D·n_a, m, T)`. */
  readonly dOutputs?: Tensor | undefined;
}

/**
 * Backpropagation through a layer stack from `layersForward`'s caches: the head (from the
 * logits' gradient), then each layer top-down, each direction through the backend's sequence
 * backward, the directions' input gradients summed into the layer below's.
 *
 * @example
 * ```ts
 * const out = layersForward(x, parameters, config, { backend });
 * const { dx, grads } = layersBackward({ dOutputs: G }, out.caches, { backend });
 * grads['l0.Wz'].shape;   // the shape of parameters['l0.Wz']
 * ```
 */
export function layersBackward(gradient: LayersOutputGradient, caches: LayerCaches, opts: BackendOptions = {}): LayersGradients {
  const fn = 'layersBackward';
  const check = new ArgumentChecker(fn);
  const { cell, nA, layers, directions, nY } = sizesOf(fn, caches.config);
  const [, m = 0, T = 0] = caches.outputs.shape;
  if (gradient.dLogits === undefined && gradient.dOutputs === undefined) throw new InvalidArgumentError(fn, 'gradient', 'needs dLogits, dOutputs or both');
  if (gradient.dLogits !== undefined) {
    if (nY === undefined || caches.head === undefined) throw new InvalidArgumentError(fn, 'gradient.dLogits', 'was given but the layers have no head (config.outputSize)');
    check.shape('gradient.dLogits', gradient.dLogits, [nY, m, T], '(n_y, m, T) of the head');
  }
  if (gradient.dOutputs !== undefined) check.shape('gradient.dOutputs', gradient.dOutputs, caches.outputs.shape, '(D·n_a, m, T) of the top layer');
  for (const r of caches.runs) {
    if (r.run.tape.isDisposed) throw new InvalidArgumentError(fn, 'caches', 'were disposed (disposeLayerCaches); run layersForward again');
  }
  const k = resolveBackend(fn, opts).kernels;

  return disposeOnError(() => {
    const grads: Record<string, Tensor> = {};
    const temporary: Tensor[] = [];
    const own = (t: Tensor): Tensor => {
      temporary.push(t);
      return t;
    };
    let dOut = gradient.dOutputs;
    if (gradient.dLogits !== undefined && caches.head !== undefined) {
      const head = k.outputBackward({ dz: gradient.dLogits, a: caches.outputs, W: caches.head });
      grads['Wy'] = head.dW;
      grads['by'] = head.db;
      dOut = dOut === undefined ? own(head.da) : own(k.add(dOut, own(head.da)));
    }
    const states = layers * directions.length;
    const da0: Tensor[] = [];
    const dc0: Tensor[] = [];
    let dx: Tensor | undefined;
    for (let layer = layers - 1; layer >= 0; layer--) {
      const below: Tensor[] = [];
      for (const [d, direction] of directions.entries()) {
        const r = caches.runs.find((run) => run.layer === layer && run.direction === direction);
        if (r === undefined || dOut === undefined) throw new Error('layersBackward: a run is missing');
        const da = directions.length === 1 ? dOut : own(k.sliceFlat(dOut, d * nA * m * T, [nA, m, T]));
        const g = cell.sequenceBackward(k, { da, tape: r.run.tape, weights: r.weights });
        for (const [name, t] of Object.entries(g.weights)) grads[`${prefix(layer, direction)}.${name.slice(1)}`] = t;
        da0[layer * directions.length + d] = own(g.dState.a);
        if (g.dState.c !== undefined) dc0[layer * directions.length + d] = own(g.dState.c);
        below.push(g.dx);
      }
      const sum = below.length === 1 ? (below[0] as Tensor) : k.add(own(below[0] as Tensor), own(below[1] as Tensor));
      if (layer === 0) dx = sum;
      else dOut = own(sum);
    }
    if (dx === undefined) throw new Error('layersBackward: no layers');
    const result: LayersGradients = {
      dx,
      da0: k.concatFlat(da0, [states, nA, m]),
      dc0: cell.state.includes('c') ? k.concatFlat(dc0, [states, nA, m]) : undefined,
      grads,
    };
    for (const t of temporary) t.dispose();
    return result;
  });
}

/** Frees what a `layersForward` pass keeps for its backward (the tapes and the inner layers' inputs); the outputs it returned stay. */
export function disposeLayerCaches(caches: LayerCaches): void {
  for (const r of caches.runs) {
    r.run.tape.dispose();
    for (const step of r.run.steps) for (const t of Object.values(step)) t.dispose();
    if (r.run.states.c !== undefined) r.run.states.c.dispose();
    if (r.run.states.a !== caches.outputs) r.run.states.a.dispose();
  }
  for (const t of caches.made) if (t !== caches.outputs) t.dispose();
}
