import { checkVariant, type CellSpec } from './cell-spec.js';

/** A GRU parameter's name (the NumPy keys), as the description lists it. */
export type GruKey = 'Wz' | 'bz' | 'Wr' | 'br' | 'Whx' | 'bhx' | 'Whh' | 'bhh' | 'Wy' | 'by';

/**
 * The GRU as data, the reset gate after the recurrent product (PyTorch's `nn.GRU`, Keras's
 * default, ONNX `linear_before_reset=1`): update and reset gates over `[a⟨t−1⟩; x⟨t⟩]`, the
 * candidate's input part `Whx`, `bhx` and recurrent part `Whh`, `bhh`, output layer `Wy`, `by`.
 */
export const GRU: CellSpec<GruKey> = {
  name: 'gru',
  parameters: {
    Wz: { shape: ['nA', 'nA+nX'], init: 'weight' },
    bz: { shape: ['nA', 1], init: { bias: 0 } },
    Wr: { shape: ['nA', 'nA+nX'], init: 'weight' },
    br: { shape: ['nA', 1], init: { bias: 0 } },
    Whx: { shape: ['nA', 'nX'], init: 'weight' },
    bhx: { shape: ['nA', 1], init: { bias: 0 } },
    Whh: { shape: ['nA', 'nA'], init: 'weight' },
    bhh: { shape: ['nA', 1], init: { bias: 0 } },
    Wy: { shape: ['nY', 'nA'], init: 'weight', head: true },
    by: { shape: ['nY', 1], init: { bias: 0 }, head: true },
  },
  state: ['a'],
  activations: ['zt', 'rt', 'hct', 'hh'],
  sequenceForward(k, { x, state, weights: w, walk, variant }) {
    checkVariant('GRU.sequenceForward', 'gru', variant);
    const out = k.gruSequenceForward({
      x, a0: state.a, Wz: w.Wz, bz: w.bz, Wr: w.Wr, br: w.br, Whx: w.Whx, bhx: w.bhx, Whh: w.Whh, bhh: w.bhh, ...walk,
      clip: variant?.clip, linearBeforeReset: variant?.linearBeforeReset,
    });
    return { states: { a: out.a }, steps: out.steps.map((s) => ({ ...s })), tape: out.tape };
  },
  sequenceBackward(k, { da, tape, weights: w }) {
    const { dx, da0, ...grads } = k.gruSequenceBackward({ da, tape, Wz: w.Wz, Wr: w.Wr, Whx: w.Whx, Whh: w.Whh });
    return { dx, dState: { a: da0 }, weights: grads };
  },
  stepForward(k, { xt, state, weights }) {
    return { ...k.gruCellForward({ xt, aPrev: state.a, ...weights }) };
  },
};
