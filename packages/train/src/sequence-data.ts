import { InvalidArgumentError } from '@rnn/tensor';
import type { Batch, BatchBase } from './batching.js';
import type { ModelTask } from './task.js';

/** Inputs of numeric sequences, ragged: `inputs[example][step][feature]`, each step `inputSize` finite numbers. */
export type SequenceInputs = readonly (readonly ArrayLike<number>[])[];

/**
 * What a numeric model must predict, by task:
 * - `step-classification`: `targets[example][step]`, a class in `[0, outputSize)` per step, or
 *   `null` to leave that step out of the loss;
 * - `step-regression`: `targets[example][step][output]`, `outputSize` numbers per step;
 * - `last-step-regression`: `targets[example][output]`, `outputSize` numbers per example, for its last step.
 */
export type SequenceTargets = readonly (readonly (number | null)[])[] | readonly (readonly ArrayLike<number>[])[] | readonly ArrayLike<number>[];

/** Examples of numeric sequences and what to predict of them (see `SequenceInputs`, `SequenceTargets`). */
export interface SequenceDataset {
  /** `inputs[example][step][feature]`. */
  readonly inputs: SequenceInputs;
  /** `targets[example]…`, shaped by the model's task. */
  readonly targets: SequenceTargets;
}

/** Checks ragged inputs: at least one example, each of at least one step of `nX` finite numbers. Returns each example's length. */
export function checkInputs(fn: string, arg: string, inputs: unknown, nX: number): number[] {
  if (!Array.isArray(inputs)) throw new InvalidArgumentError(fn, arg, 'must be an array of examples, each an array of steps of inputSize numbers');
  if (inputs.length === 0) throw new InvalidArgumentError(fn, arg, 'holds no examples');
  return inputs.map((example: unknown, j) => {
    if (!Array.isArray(example) || example.length === 0) throw new InvalidArgumentError(fn, `${arg}[${j}]`, 'must be a non-empty array of steps');
    example.forEach((step: unknown, t) => checkVector(fn, `${arg}[${j}][${t}]`, step, nX, 'inputSize'));
    return example.length;
  });
}

function checkVector(fn: string, arg: string, v: unknown, n: number, size: string): void {
  if (!isArrayLike(v) || v.length !== n) throw new InvalidArgumentError(fn, arg, `must hold ${size} = ${n} numbers, got ${isArrayLike(v) ? `${v.length}` : typeof v}`);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new InvalidArgumentError(fn, `${arg}[${i}]`, `must be a finite number, got ${String(x)}`);
  }
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

/** Checks `targets` against the task, the examples' lengths and `outputSize = nY`. */
export function checkTargets(fn: string, arg: string, task: Exclude<ModelTask, 'characters'>, targets: unknown, lengths: readonly number[], nY: number): void {
  if (!Array.isArray(targets) || targets.length !== lengths.length) {
    throw new InvalidArgumentError(fn, arg, `must hold one entry per example (${lengths.length}), got ${Array.isArray(targets) ? targets.length : typeof targets}`);
  }
  targets.forEach((target: unknown, j) => {
    const at = `${arg}[${j}]`;
    if (task === 'last-step-regression') {
      checkVector(fn, at, target, nY, 'outputSize');
      return;
    }
    const steps = lengths[j] as number;
    if (!Array.isArray(target) || target.length !== steps) throw new InvalidArgumentError(fn, at, `must hold one target per step (${steps}), got ${Array.isArray(target) ? target.length : typeof target}`);
    target.forEach((value: unknown, t) => {
      if (task === 'step-regression') return checkVector(fn, `${at}[${t}]`, value, nY, 'outputSize');
      if (value === null) return;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= nY) {
        throw new InvalidArgumentError(fn, `${at}[${t}]`, `must be a class in [0, ${nY}) or null, got ${String(value)}`);
      }
    });
  });
}

/** The padded inputs of some examples: `x (n_x, m, T)` and their lengths; nothing counted by a loss. */
export function encodeInputs(inputs: SequenceInputs, indices: readonly number[], nX: number): BatchBase {
  const m = indices.length;
  const lengths = indices.map((j) => (inputs[j] as readonly ArrayLike<number>[]).length);
  const T = Math.max(...lengths);
  const x = new Float64Array(nX * m * T);
  indices.forEach((e, j) => {
    (inputs[e] as readonly ArrayLike<number>[]).forEach((step, t) => {
      for (let i = 0; i < nX; i++) x[i * m * T + j * T + t] = step[i] as number;
    });
  });
  return { x, nX, m, T, lengths, mask: new Float64Array(m * T), count: 0 };
}

/**
 * A padded batch of the examples `indices` of a checked dataset (see `checkInputs` and
 * `checkTargets`) for `task`: classes with the `null` steps and the padding masked, values at
 * every step, or values at each example's last step only.
 */
export function encodeExamples(task: Exclude<ModelTask, 'characters'>, data: SequenceDataset, indices: readonly number[], nX: number, nY: number): Batch {
  const base = encodeInputs(data.inputs, indices, nX);
  const { m, T, lengths } = base;
  const mask = new Float64Array(m * T);
  let count = 0;
  if (task === 'step-classification') {
    const targets = new Int32Array(m * T);
    indices.forEach((e, j) => {
      (data.targets[e] as readonly (number | null)[]).forEach((c, t) => {
        if (c === null) return;
        targets[j * T + t] = c;
        mask[j * T + t] = 1;
        count++;
      });
    });
    return { ...base, loss: 'cross-entropy', targets, mask, count };
  }
  const targets = new Float64Array(nY * m * T);
  const put = (j: number, t: number, v: ArrayLike<number>): void => {
    for (let k = 0; k < nY; k++) targets[k * m * T + j * T + t] = v[k] as number;
    mask[j * T + t] = 1;
    count++;
  };
  indices.forEach((e, j) => {
    if (task === 'last-step-regression') put(j, (lengths[j] as number) - 1, data.targets[e] as ArrayLike<number>);
    else (data.targets[e] as readonly ArrayLike<number>[]).forEach((v, t) => put(j, t, v));
  });
  return { ...base, loss: 'mse', nY, targets, mask, count };
}
