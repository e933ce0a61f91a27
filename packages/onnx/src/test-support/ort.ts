import type { Tensor } from '@rnn/tensor';
import type { WriteType } from '../proto/onnx-encode.js';

/** A tensor as onnxruntime takes and returns it: element type, dims and row-major data. */
export interface OrtValue {
  readonly type: WriteType;
  readonly dims: readonly number[];
  readonly data: ArrayLike<number>;
}

/** A float32 `OrtValue`. */
export const f32 = (data: ArrayLike<number>, dims: readonly number[]): OrtValue => ({ type: 'float32', dims, data });

/** Runs `model` on onnxruntime-node (one thread) and returns every output as float64 numbers. */
export async function runOrt(model: Uint8Array, feeds: Readonly<Record<string, OrtValue>>): Promise<Record<string, { dims: number[]; data: Float64Array }>> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
  try {
    const inputs: Record<string, InstanceType<typeof ort.Tensor>> = {};
    for (const [name, v] of Object.entries(feeds)) {
      const data = v.type === 'float32' ? Float32Array.from(v.data) : v.type === 'int32' ? Int32Array.from(v.data) : BigInt64Array.from(Array.from(v.data, (x) => BigInt(x)));
      inputs[name] = new ort.Tensor(v.type, data, [...v.dims]);
    }
    const result = await session.run(inputs);
    const out: Record<string, { dims: number[]; data: Float64Array }> = {};
    for (const [name, t] of Object.entries(result)) {
      const raw = t.data;
      if (typeof raw === 'string' || Array.isArray(raw)) throw new Error(`output ${name} is not numeric`);
      out[name] = { dims: [...t.dims], data: Float64Array.from(raw as ArrayLike<number | bigint>, (x) => Number(x)) };
    }
    return out;
  } finally {
    await session.release();
  }
}

/** Our feeds as tensors from the same values onnxruntime gets. */
export async function asFeeds(feeds: Readonly<Record<string, OrtValue>>): Promise<Record<string, Tensor>> {
  const { tensor } = await import('@rnn/tensor');
  return Object.fromEntries(Object.entries(feeds).map(([name, v]) => [name, tensor(Float64Array.from(v.data), [...v.dims], v.type === 'float32' ? 'float32' : 'float64')]));
}
