import type * as OrtNode from 'onnxruntime-node';
import type { Workload } from '../workloads.js';
import type { PreparedRun, Runner } from './runner.js';

/**
 * What the ONNX LSTM runner needs of an onnxruntime package: both `onnxruntime-node` and
 * `onnxruntime-web` export these from `onnxruntime-common`.
 */
export type OrtModule = Pick<typeof OrtNode, 'InferenceSession' | 'Tensor'>;

/**
 * A model of one ONNX `LSTM` node (layout 0, forward direction, default activations):
 * inputs `X (T_x, m, n_x)`, `W (1, 4·n_a, n_x)`, `R (1, 4·n_a, n_a)`, `B (1, 8·n_a)`,
 * `H0 (1, m, n_a)`; output `Y (T_x, 1, m, n_a)`, all float32. Built in memory with `onnx-proto`.
 */
export async function onnxLstmModel(w: Workload): Promise<Uint8Array> {
  const { onnx } = (await import('onnx-proto')).default;
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
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
}

/** Session settings of one onnxruntime package: its execution provider, one thread. */
export interface OrtSessionSettings {
  readonly executionProviders: readonly string[];
  readonly intraOpNumThreads?: number;
  readonly interOpNumThreads?: number;
}

/**
 * A runner of the one-node LSTM model on an onnxruntime package. ONNX's `LSTM` has no output
 * layer or softmax and no backward, so it has only a forward row, of the gate products' FLOPs.
 */
export function onnxLstmRunner(ort: OrtModule, label: string, settings: OrtSessionSettings): Runner {
  return {
    label,
    note: 'fused LSTM op, forward only, no output layer',
    dtypes: ['float32'],
    forwardFlops: (w) => 2 * 4 * w.nA * (w.nA + w.nX) * w.m * w.T,
    async prepare(w: Workload): Promise<PreparedRun> {
      const session = await ort.InferenceSession.create(await onnxLstmModel(w), { ...settings, executionProviders: [...settings.executionProviders] });
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
