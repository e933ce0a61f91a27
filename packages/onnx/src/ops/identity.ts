import { hostNode, input, type Operator } from './operator.js';

/** `Identity`: its input, unchanged. */
export const Identity: Operator = {
  inputs: [1, 1],
  outputs: [1, 1],
  since: 1,
  bind(attrs) {
    attrs.done();
    return hostNode((inputs) => [input(inputs, 0)], (inputs) => [input(inputs, 0)]);
  },
};
