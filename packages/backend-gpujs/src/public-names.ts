import type { KernelName } from '@rnn/tensor';

/**
 * The public functions of `@rnn/cells` that reach each kernel, for the errors this backend raises
 * itself (a float64 tensor refused, bad `lengths`): users call `lstmForward`, not
 * `lstmSequenceForward`, so a refusal names the functions they may have called, then the kernel.
 * A kernel cannot tell which of several callers it serves, so a kernel shared by several public
 * functions names them all (`lstmForward/layersForward`); the step kernels share their cell
 * function's name. The time-axis kernels `sliceTime` and `stackTime` run only when a backward pass
 * steps through caches that have no tape (assembled by hand).
 */
export const PUBLIC_NAMES: Readonly<Record<KernelName, string>> = {
  sliceTime: 'rnnBackward/lstmBackward/gruBackward',
  stackTime: 'rnnBackward/lstmBackward/gruBackward',
  add: 'layersBackward',
  sliceFlat: 'layersForward/layersBackward',
  concatFlat: 'layersForward/layersBackward',
  maskColumns: 'layersForward',
  rnnCellForward: 'rnnCellForward',
  rnnCellBackward: 'rnnCellBackward',
  lstmCellForward: 'lstmCellForward',
  lstmCellBackward: 'lstmCellBackward',
  gruCellForward: 'gruCellForward',
  gruCellBackward: 'gruCellBackward',
  rnnSequenceForward: 'rnnForward/layersForward',
  rnnSequenceBackward: 'rnnBackward/layersBackward',
  lstmSequenceForward: 'lstmForward/layersForward',
  lstmSequenceBackward: 'lstmBackward/layersBackward',
  gruSequenceForward: 'gruForward/layersForward',
  gruSequenceBackward: 'gruBackward/layersBackward',
  softmaxOutput: 'rnnForward/lstmForward/gruForward/layersForward',
  linearOutput: 'layersForward',
  outputBackward: 'layersBackward',
};

/** The public function(s) that call `kernel`, as errors name them (`lstmForward` for `lstmSequenceForward`); `kernel` itself when none is listed. */
export function publicName(kernel: string): string {
  const names: Readonly<Record<string, string>> = PUBLIC_NAMES;
  return Object.hasOwn(names, kernel) ? (names[kernel] ?? kernel) : kernel;
}
