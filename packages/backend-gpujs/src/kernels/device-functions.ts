import { sigmoid, sigmoidGradFromOutput, tanhFromSigmoid, tanhGradFromOutput } from '@rnn/tensor';

/**
 * The scalar helpers every kernel may call, compiled into it by gpu.js (`gpu.addFunction`)
 * under the names kernel sources use. `sigmoid` and the two derivatives are `@rnn/tensor`'s
 * own functions; `tanhOf` is its `tanhFromSigmoid`, since the device's own tanh overflows. Kernel sources declare the
 * names they call with `declare function` instead of importing them, so that no bundler
 * rewrites a call inside a kernel's source text.
 */
export const DEVICE_FUNCTIONS: readonly { readonly name: string; readonly fn: (x: number) => number }[] = [
  { name: 'sigmoid', fn: sigmoid },
  { name: 'tanhOf', fn: tanhFromSigmoid },
  { name: 'sigmoidGradFromOutput', fn: sigmoidGradFromOutput },
  { name: 'tanhGradFromOutput', fn: tanhGradFromOutput },
];
