import type { Workload } from '../workloads.js';
import type { PreparedRun, Runner } from './runner.js';

/**
 * onnxruntime-node's fused `LSTM` operator on one thread, from a one-node model built in memory.
 * It has no output layer or softmax and no backward, so only its forward row is printed.
 */
export async function createOnnxRunner(): Promise<Runner> {
  const ort = await import('onnxruntime-node');
  const { onnx } = (await import('onnx-proto')).default;
  const FLOAT = onnx.TensorProto.DataType.FLOAT;

  const model = (w: Workload): Uint8Array => {
    const value = (name: string, dims: number[]) =>
      onnx.ValueInfoProto.create({
        name,
        type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
      });
    const graph = onnx.GraphProto.create({
      name: 'lstm',
      node: [onnx.NodeProto.create({
        opType: 'LSTM', input: ['X', 'W', 'R', 'B', '', 'H0'], output: ['Y'],
        attribute: [onnx.AttributeProto.create({ name: 'hidden_size', i: w.nA, type: onnx.AttributeProto.AttributeType.INT })],
      })],
      input: [value('X', [w.T, w.m, w.nX]), value('W', [1, 4 * w.nA, w.nX]), value('R', [1, 4 * w.nA, w.nA]), value('B', [1, 8 * w.nA]), value('H0', [1, w.m, w.nA])],
      output: [value('Y', [w.T, 1, w.m, w.nA])],
    });
    return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph })).finish();
  };

  return {
    label: 'onnxruntime-node (1 thread)',
    note: 'fused LSTM op, forward only, no output layer',
    dtypes: ['float32'],
    forwardFlops: (w) => 2 * 4 * w.nA * (w.nA + w.nX) * w.m * w.T,
    async prepare(w: Workload): Promise<PreparedRun> {
      const session = await ort.InferenceSession.create(model(w), { intraOpNumThreads: 1, interOpNumThreads: 1 });
      const random = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.5);
      const feeds = {
        X: new ort.Tensor('float32', random(w.T * w.m * w.nX), [w.T, w.m, w.nX]),
        W: new ort.Tensor('float32', random(4 * w.nA * w.nX), [1, 4 * w.nA, w.nX]),
        R: new ort.Tensor('float32', random(4 * w.nA * w.nA), [1, 4 * w.nA, w.nA]),
        B: new ort.Tensor('float32', random(8 * w.nA), [1, 8 * w.nA]),
        H0: new ort.Tensor('float32', random(w.m * w.nA), [1, w.m, w.nA]),
      };
      return {
        async forward() {
          await session.run(feeds);
        },
        dispose: () => void session.release(),
      };
    },
    close: () => undefined,
  };
}
