import { checkVariant, requiredState as required, type CellSpec } from './cell-spec.js';

/** An LSTM parameter's name (the NumPy keys), as the description lists it. */
export type LstmKey = 'Wf' | 'bf' | 'Wi' | 'bi' | 'Wc' | 'bc' | 'Wo' | 'bo' | 'Wy' | 'by';

/**
 * The LSTM as data: forget, update and output gates and the candidate over `[a⟨t−1⟩; x⟨t⟩]`, a
 * cell state `c` beside `a`, output layer `Wy`, `by`. The forget-gate bias starts at 1, so a fresh
 * cell remembers.
 */
export const LSTM: CellSpec<LstmKey> = {
  name: 'lstm',
  parameters: {
    Wf: { shape: ['nA', 'nA+nX'], init: 'weight' },
    bf: { shape: ['nA', 1], init: { bias: 1 } },
    Wi: { shape: ['nA', 'nA+nX'], init: 'weight' },
    bi: { shape: ['nA', 1], init: { bias: 0 } },
    Wc: { shape: ['nA', 'nA+nX'], init: 'weight' },
    bc: { shape: ['nA', 1], init: { bias: 0 } },
    Wo: { shape: ['nA', 'nA+nX'], init: 'weight' },
    bo: { shape: ['nA', 1], init: { bias: 0 } },
    Wy: { shape: ['nY', 'nA'], init: 'weight', head: true },
    by: { shape: ['nY', 1], init: { bias: 0 }, head: true },
  },
  state: ['a', 'c'],
  activations: ['ft', 'it', 'cct', 'ot'],
  sequenceForward(k, { x, state, weights: w, walk, variant }) {
    checkVariant('LSTM.sequenceForward', 'lstm', variant);
    const out = k.lstmSequenceForward({
      x, a0: state.a, c0: required(state.c, 'c'), Wf: w.Wf, bf: w.bf, Wi: w.Wi, bi: w.bi, Wc: w.Wc, bc: w.bc, Wo: w.Wo, bo: w.bo, ...walk,
      clip: variant?.clip, peepholes: variant?.peepholes, inputForget: variant?.inputForget,
    });
    return { states: { a: out.a, c: out.c }, steps: out.steps.map((s) => ({ ...s })), tape: out.tape };
  },
  sequenceBackward(k, { da, tape, weights: w }) {
    const { dx, da0, dc0, ...grads } = k.lstmSequenceBackward({ da, tape, Wf: w.Wf, Wi: w.Wi, Wc: w.Wc, Wo: w.Wo });
    return { dx, dState: { a: da0, c: dc0 }, weights: grads };
  },
  stepForward(k, { xt, state, weights }) {
    return { ...k.lstmCellForward({ xt, aPrev: state.a, cPrev: required(state.c, 'c'), ...weights }) };
  },
};
