import { sigmoid, sigmoidGradFromOutput, tanhFromSigmoid, tanhGradFromOutput } from '@rnn/tensor';
import { DEVICE_FUNCTION_SOURCES } from './kernel-sources.generated.js';

/**
 * The scalar helpers every kernel may call, under the names kernel sources call them by (they
 * declare them with `declare function`). `sigmoid` and the two derivatives are `@rnn/tensor`'s own
 * functions; `tanhOf` is its `tanhFromSigmoid`, since the device's own tanh overflows. The
 * generator (`src/codegen`) follows each entry to its function and writes its source text into
 * `kernel-sources.generated.ts`; that text, not the bundled function, is what gpu.js compiles.
 */
export const DEVICE_HELPERS = { sigmoid, tanhOf: tanhFromSigmoid, sigmoidGradFromOutput, tanhGradFromOutput } satisfies Record<string, (x: number) => number>;

// Every helper has its generated source: one added without regenerating does not compile.
const sources: Readonly<Record<keyof typeof DEVICE_HELPERS, string>> = DEVICE_FUNCTION_SOURCES;

/** The source text of every device helper, each a function named as kernels call it, for `gpu.addFunction`. */
export const DEVICE_FUNCTIONS: readonly string[] = Object.values(sources);
