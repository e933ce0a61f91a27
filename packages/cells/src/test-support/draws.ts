import { RandomState, type Tensor } from '@rnn/tensor';

/** Draws `(name, shape)` pairs in order from `RandomState(seed)`, as the NumPy fixtures did. */
export function drawInOrder(seed: number, order: readonly (readonly [string, readonly number[]])[]): Record<string, Tensor> {
  const rng = new RandomState(seed);
  const out: Record<string, Tensor> = {};
  for (const [name, shape] of order) out[name] = rng.randn(...shape);
  return out;
}

/** Picks parameter tensors by key. */
export function pick<K extends string>(all: Record<string, Tensor>, keys: readonly K[]): Record<K, Tensor> {
  const out = {} as Record<K, Tensor>;
  for (const key of keys) {
    const t = all[key];
    if (t === undefined) throw new Error(`no draw named ${key}`);
    out[key] = t;
  }
  return out;
}

/** The RNN parameter keys. */
export const RNN_KEYS = ['Waa', 'Wax', 'Wya', 'ba', 'by'] as const;
/** The LSTM parameter keys. */
export const LSTM_KEYS = ['Wf', 'bf', 'Wi', 'bi', 'Wc', 'bc', 'Wo', 'bo', 'Wy', 'by'] as const;
