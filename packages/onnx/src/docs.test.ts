import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { LayerConfig } from '@rnn/cells';
import { exportOnnx } from './index.js';
import { codeBlocks, outsideLinks, project, ROOT, runIn, typeErrors } from './test-support/examples.js';
import { runOrt } from './test-support/ort.js';
import { randomParameters, randomValues } from './test-support/layer-models.js';

/** The public project sites the guide and README may link to; everything else stays in the repository. */
const ALLOWED = ['https://onnx.ai', 'https://onnxruntime.ai', 'https://github.com/triton-inference-server/', 'https://github.com/rnn-contributors/rnn'];

describe('the scale-out guide', () => {
  const guide = readFileSync(join(ROOT, 'docs/guides/scale-out.md'), 'utf8');

  it('its Node example type-checks under the strict settings and runs as written', () => {
    const example = codeBlocks(guide, 'ts')[0] ?? '';
    expect(example).toContain("from 'onnxruntime-node'");
    const dir = project('serve.ts', example);
    expect(typeErrors(dir, 'serve.ts')).toEqual([]);
    const run = runIn(dir, 'serve.ts');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(['[ 20, 16, 3 ]', 'true']);
  }, 120_000);

  it('links only into the repository and to the projects it names', () => {
    expect(outsideLinks(guide, ALLOWED)).toEqual([]);
    for (const [, target] of guide.matchAll(/\]\((\.\/[^)#]+)/g)) expect(() => readFileSync(join(ROOT, 'docs/guides', target ?? ''))).not.toThrow();
  });

  it('onnxruntime-web (its WebAssembly build, one thread) runs an export as onnxruntime-node does', async () => {
    const ort = await import('onnxruntime-web');
    const resolve = createRequire(import.meta.url).resolve;
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.wasmPaths = {
      mjs: pathToFileURL(resolve('onnxruntime-web/ort-wasm-simd-threaded.mjs')).href,
      wasm: pathToFileURL(resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm')).href,
    };
    const layers: LayerConfig = { cell: 'lstm', inputSize: 4, hiddenSize: 5, numLayers: 2, bidirectional: true, outputSize: 4 };
    const bytes = exportOnnx({ layers, parameters: randomParameters(layers, 1) });
    const X = Float32Array.from(randomValues(3 * 2 * 4, 2));
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const web = await session.run({ X: new ort.Tensor('float32', X, [3, 2, 4]) });
    await session.release();
    const node = await runOrt(bytes, { X: { type: 'float32', dims: [3, 2, 4], data: X } });
    const a = Array.from(web['probabilities']?.data as Float32Array);
    const b = Array.from(node['probabilities']?.data ?? []);
    expect(a.length).toBe(24);
    a.forEach((v, k) => expect(Math.abs(v - (b[k] ?? Number.NaN))).toBeLessThan(1e-5));
  });
});

describe('the README', () => {
  const readme = readFileSync(join(ROOT, 'packages/onnx/README.md'), 'utf8');

  it('its example runs as written', () => {
    const example = codeBlocks(readme, 'js')[0] ?? '';
    const dir = project('example.mjs', example);
    const run = runIn(dir, 'example.mjs');
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n')).toEqual(['LSTM → Squeeze → LSTM → Squeeze → MatMul → Add → Softmax', '[ 3, 1, 4 ]', 'true']);
  }, 120_000);

  it('its export / run-onnx example type-checks (it needs a checkpoint to run)', () => {
    const example = codeBlocks(readme, 'ts')[0] ?? '';
    expect(example).toContain('exportOnnx(model)');
    expect(typeErrors(project('cli.ts', example), 'cli.ts')).toEqual([]);
  }, 120_000);

  it('links only into the repository and to the projects it names', () => {
    expect(outsideLinks(readme, ALLOWED)).toEqual([]);
  });
});
