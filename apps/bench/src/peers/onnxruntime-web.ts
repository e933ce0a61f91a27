import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { onnxLstmRunner } from './onnx-lstm.js';
import type { Runner } from './runner.js';

/**
 * onnxruntime-web's fused `LSTM` operator on its WebAssembly execution provider, one thread
 * (the only mode it has in Node). Its `.mjs` glue and `.wasm` binary are loaded from the
 * package in node_modules (both are in its `exports` map), never from a CDN.
 */
export async function createOnnxWebRunner(): Promise<Runner> {
  const ort = await import('onnxruntime-web');
  const resolve = createRequire(import.meta.url).resolve;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmPaths = {
    mjs: pathToFileURL(resolve('onnxruntime-web/ort-wasm-simd-threaded.mjs')),
    wasm: pathToFileURL(resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm')),
  };
  return onnxLstmRunner(ort, 'onnxruntime-web (wasm, 1 thread)', { executionProviders: ['wasm'] });
}
