import { createCpuBackend } from '@rnn/backend-cpu';
import { createGpuJsBackend, type GpuJsBackend, type RequestedMode } from '@rnn/backend-gpujs';
import type { LayerConfig } from '@rnn/cells';
import { tensor } from '@rnn/tensor';
import { compareClose } from '@rnn/tensor/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_OUTPUTS, exportOnnx, OnnxModel } from './index.js';
import { ourForward, randomParameters, randomValues } from './test-support/layer-models.js';
import { expectMatchesOrt, recurrentCases } from './test-support/recurrent-cases.js';

/**
 * The recurrent cases of `recurrent.test.ts` on the gpu.js backend (headless-gl under the Xvfb
 * of the vitest global setup, or whichever mode gpu.js finds; `RNN_GPUJS_MODE` demands one).
 * gpu.js computes in float32 on the device with its own transcendental functions: rtol 2e-4,
 * atol 2e-5 against onnxruntime. The forward-only variants (clip, peepholes, input_forget,
 * linear_before_reset = 0) included; `exportOnnx` round trips against `layersForward` too.
 */
const TOLERANCE = { rtol: 2e-4, atol: 2e-5 };
const mode = (process.env['RNN_GPUJS_MODE'] || undefined) as RequestedMode | undefined;
const cases = recurrentCases();

describe('OnnxModel runs ONNX recurrent nodes as onnxruntime-node does (gpu.js backend)', () => {
  let backend: GpuJsBackend;
  beforeAll(async () => {
    backend = await createGpuJsBackend({ mode });
  }, 120_000);
  afterAll(async () => {
    await backend.disposeAsync();
  });

  it('runs in the mode RNN_GPUJS_MODE demands', (ctx) => {
    if (mode === undefined) ctx.skip(`RNN_GPUJS_MODE is not set; gpu.js runs in mode ${backend.mode}`);
    expect(backend.mode).toBe(mode);
  });

  const stacks: LayerConfig[] = (['lstm', 'gru', 'rnn'] as const).flatMap((cell) => [
    { cell, inputSize: 5, hiddenSize: 4, outputSize: 5 },
    { cell, inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true },
  ]);
  it.each(stacks)('exportOnnx of $cell, $numLayers layer(s), bidirectional $bidirectional: OnnxModel on gpu.js equals layersForward', async (config) => {
    const [T, m] = [5, 3];
    const parameters = randomParameters(config, 11);
    const X = randomValues(T * m * config.inputSize, 12);
    const name = config.outputSize === undefined ? EXPORT_OUTPUTS.none : EXPORT_OUTPUTS.softmax;
    const got = (await OnnxModel.load(exportOnnx({ layers: config, parameters })).run({ X: tensor(Float32Array.from(X), [T, m, config.inputSize], 'float32') }, { backend }))[name];
    const want = ourForward(config, parameters, 'softmax', X, T, m, createCpuBackend()).output;
    const report = compareClose(got?.dataSync() ?? [], want, TOLERANCE);
    expect(report.ok, report.message).toBe(true);
  });

  it.each(cases)('$cell $direction: $label', async (c) => {
    await expectMatchesOrt(c, backend, TOLERANCE);
  });
});
