import { createRequire } from 'node:module';

/**
 * tfjs 4.22 on one of its backends, ready: `wasm` (XNNPACK, one thread in Node) loads its
 * `.wasm` files from `@tensorflow/tfjs-backend-wasm/dist` in node_modules.
 */
export async function loadTfjs(backendName: 'cpu' | 'wasm'): Promise<typeof import('@tensorflow/tfjs')> {
  const tf = await import('@tensorflow/tfjs');
  if (backendName === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dir = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json').replace(/package\.json$/, 'dist/');
    wasm.setWasmPaths(dir);
  }
  await tf.setBackend(backendName);
  await tf.ready();
  return tf;
}
