import { onnxLstmRunner } from './onnx-lstm.js';
import type { Runner } from './runner.js';

/** onnxruntime-node's fused `LSTM` operator (native, CPU execution provider) on one thread. */
export async function createOnnxRunner(): Promise<Runner> {
  const ort = await import('onnxruntime-node');
  return onnxLstmRunner(ort, 'onnxruntime-node (1 thread)', { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 });
}
