import type { SequenceModel } from '@rnn/train';
import { loadCheckpointFile } from '@rnn/train/node';
import { MissingCheckpointError } from '../errors.js';

/** Loads a checkpoint; a missing file is a `MissingCheckpointError` that says how to make one. */
export async function loadModel(path: string): Promise<SequenceModel> {
  try {
    return await loadCheckpointFile(path);
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') throw new MissingCheckpointError(path);
    throw error;
  }
}
