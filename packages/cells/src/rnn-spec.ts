import { checkVariant, type CellSpec } from './cell-spec.js';

/** An RNN parameter's name (the NumPy keys), as the description lists it. */
export type RnnKey = 'Waa' | 'Wax' | 'Wya' | 'ba' | 'by';

/**
 * The basic RNN as data: `a⟨t⟩ = tanh(Waa·a⟨t−1⟩ + Wax·x⟨t⟩ + ba)`, output layer `Wya`, `by`;
 * parameters in NumPy's storage order.
 */
export const RNN: CellSpec<RnnKey> = {
  name: 'rnn',
  parameters: {
    Waa: { shape: ['nA', 'nA'], init: 'weight' },
    Wax: { shape: ['nA', 'nX'], init: 'weight' },
    Wya: { shape: ['nY', 'nA'], init: 'weight', head: true },
    ba: { shape: ['nA', 1], init: { bias: 0 } },
    by: { shape: ['nY', 1], init: { bias: 0 }, head: true },
  },
  state: ['a'],
  activations: [],
  sequenceForward(k, { x, state, weights, walk, variant }) {
    checkVariant('RNN.sequenceForward', 'rnn', variant);
    const out = k.rnnSequenceForward({ x, a0: state.a, Waa: weights.Waa, Wax: weights.Wax, ba: weights.ba, ...walk, clip: variant?.clip });
    return { states: { a: out.a }, steps: out.steps.map((s) => ({ ...s })), tape: out.tape };
  },
  sequenceBackward(k, { da, tape, weights }) {
    const { dx, da0, ...grads } = k.rnnSequenceBackward({ da, tape, Waa: weights.Waa, Wax: weights.Wax });
    return { dx, dState: { a: da0 }, weights: grads };
  },
  stepForward(k, { xt, state, weights }) {
    return { ...k.rnnCellForward({ xt, aPrev: state.a, ...weights }) };
  },
};
