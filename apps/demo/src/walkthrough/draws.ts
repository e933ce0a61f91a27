import { RandomState, type DType, type Tensor } from '@rnn/tensor';

/** Shapes drawn for the RNN parameters, in the NumPy notebook's order. */
export const RNN_DRAWS = [['Waa', [5, 5]], ['Wax', [5, 3]], ['Wya', [2, 5]], ['ba', [5, 1]], ['by', [2, 1]]] as const;
/** Shapes drawn for the LSTM parameters, in the NumPy notebook's order. */
export const LSTM_DRAWS = [
  ['Wf', [5, 8]], ['bf', [5, 1]], ['Wi', [5, 8]], ['bi', [5, 1]], ['Wo', [5, 8]], ['bo', [5, 1]],
  ['Wc', [5, 8]], ['bc', [5, 1]], ['Wy', [2, 5]], ['by', [2, 1]],
] as const;

/** `np.random.seed(1)` then `randn` of each shape in turn; float32 rounds the same draws. */
export function drawSeeded(order: readonly (readonly [string, readonly number[]])[], dtype: DType): Record<string, Tensor> {
  const rng = new RandomState(1);
  return Object.fromEntries(order.map(([name, shape]) => [name, rng.randnAs(shape, dtype)]));
}
