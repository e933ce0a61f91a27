/**
 * Node-only test helpers of `@rnn/tensor`: forcing garbage collection to check that memory comes
 * back without `dispose()`.
 *
 * @module @rnn/tensor/testing/node
 * @group Test helpers
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Runs a full garbage collection and waits for the finalizers it scheduled (FinalizationRegistry
 * callbacks run in later tasks), for tests that check memory is given back without `dispose()`.
 * Node only: it switches on V8's `gc` function for this process.
 */
export async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc !== 'function') throw new Error('collectGarbage: V8 did not expose gc');
  for (let round = 0; round < 3; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
