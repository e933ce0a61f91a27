import { RnnError } from '@rnn/tensor';

/** Why a checkpoint was refused. */
export type CheckpointProblem = 'truncated' | 'magic' | 'version' | 'checksum' | 'header' | 'mismatch';

/**
 * A checkpoint could not be read: it is cut short, not a checkpoint, of another format
 * version, corrupted (checksum), internally inconsistent (header), or of another model than
 * the caller asked for (mismatch). Nothing is loaded when this is thrown.
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
