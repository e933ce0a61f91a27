import { RnnError } from '@rnn/tensor';

/**
 * Why a checkpoint was refused. `non-finite` is also what `encodeCheckpoint` refuses: weights
 * holding NaN or ±∞ are never written. `metadata` is a metadata entry of the wrong type.
 */
export type CheckpointProblem = 'truncated' | 'magic' | 'version' | 'checksum' | 'header' | 'mismatch' | 'non-finite' | 'metadata';

/**
 * A checkpoint could not be read or written: it is cut short, not a checkpoint, of another
 * format version, corrupted (checksum), internally inconsistent (header), of another model than
 * the caller asked for (mismatch), holds weights that are not finite (non-finite) or metadata of
 * the wrong type (metadata). Nothing is loaded or written when this is thrown.
 */
export class CheckpointError extends RnnError {
  override readonly name = 'CheckpointError';
  constructor(
    fn: string,
    /** What is wrong with the bytes. */
    readonly problem: CheckpointProblem,
    message: string,
  ) {
    super(fn, `checkpoint rejected (${problem}): ${message}`);
  }
}

/**
 * Training produced a loss, a gradient or a weight that is not finite (NaN or ±∞), usually
 * because the learning rate is too high. `fit` stops at that iteration before changing
 * anything, so the model keeps the parameters of the last good iteration.
 */
export class TrainingDivergedError extends RnnError {
  override readonly name = 'TrainingDivergedError';
  constructor(
    fn: string,
    /** The iteration of this call (from 1) that diverged; `iteration − 1` iterations were kept. */
    readonly iteration: number,
    /** What was not finite: `loss`, `gradient dWf`, `parameter Wf` … */
    readonly what: string,
    /** The offending value (the loss, or the first non-finite element). */
    readonly value: number,
  ) {
    super(fn, `training diverged at iteration ${iteration}: ${what} is ${value}; the parameters of iteration ${iteration - 1} were kept (try a lower learning rate or clipping)`);
  }
}

/** Values that must be finite (probabilities to draw from, a model's output) hold NaN or ±∞. */
export class NonFiniteError extends RnnError {
  override readonly name = 'NonFiniteError';
  constructor(
    fn: string,
    /** The values at fault, e.g. `y` or `ŷ⟨3⟩`. */
    readonly arg: string,
    /** Index of the first non-finite element. */
    readonly index: number,
    /** That element. */
    readonly value: number,
  ) {
    super(fn, `${arg} holds ${value} at index ${index}; drawing from non-finite probabilities is refused`);
  }
}

/**
 * The model cannot do what was asked, whatever the arguments: sampling a bidirectional model (its
 * reverse direction reads characters not drawn yet), sampling a model of numeric data, or giving
 * names to a model of numeric data (and numeric data to a character model).
 */
export class UnsupportedOperationError extends RnnError {
  override readonly name = 'UnsupportedOperationError';
  constructor(
    fn: string,
    /** What was refused, e.g. `sample`. */
    readonly operation: string,
    /** Why, in words. */
    readonly reason: string,
  ) {
    super(fn, `${operation} is not supported: ${reason}`);
  }
}
