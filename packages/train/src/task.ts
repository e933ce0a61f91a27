import { InvalidArgumentError } from '@rnn/tensor';

/**
 * What a `SequenceModel` learns, chosen when it is made:
 * - `characters`: a character-level language model over a `Vocabulary` (names in, the next
 *   character at every step out; softmax cross-entropy).
 * - `step-classification`: a class at every step of numeric sequences (softmax cross-entropy; a
 *   `null` target leaves a step out of the loss).
 * - `step-regression`: a vector of `outputSize` numbers at every step (linear head, mean squared error).
 * - `last-step-regression`: a vector of `outputSize` numbers at each example's last step only
 *   (linear head, mean squared error there).
 */
export type ModelTask = 'characters' | 'step-classification' | 'step-regression' | 'last-step-regression';

/** How a task's head and loss work. */
export interface TaskSpec {
  /** The head's activation on the device: `softmax` for classes, `linear` for numbers. */
  readonly head: 'softmax' | 'linear';
  /** `cross-entropy` (nats per counted step) or `mse` (mean squared error per counted value). */
  readonly loss: 'cross-entropy' | 'mse';
}

/** Every task, with its head and loss. */
export const TASKS: { readonly [T in ModelTask]: TaskSpec } = {
  characters: { head: 'softmax', loss: 'cross-entropy' },
  'step-classification': { head: 'softmax', loss: 'cross-entropy' },
  'step-regression': { head: 'linear', loss: 'mse' },
  'last-step-regression': { head: 'linear', loss: 'mse' },
};

/** True when `task` is one of the tasks. */
export function isTask(task: unknown): task is ModelTask {
  return typeof task === 'string' && Object.hasOwn(TASKS, task);
}

/** Throws an `InvalidArgumentError` naming `fn` unless `task` is one of the tasks. */
export function checkTask(fn: string, task: unknown): asserts task is ModelTask {
  if (!isTask(task)) {
    throw new InvalidArgumentError(fn, 'task', `must be one of ${Object.keys(TASKS).map((t) => `'${t}'`).join(', ')}, got ${typeof task === 'string' ? `'${task}'` : String(task)}`);
  }
}
