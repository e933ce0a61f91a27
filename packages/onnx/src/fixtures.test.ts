import { createCpuBackend } from '@rnn/backend-cpu';
import { compareClose } from '@rnn/tensor/testing';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OnnxModel } from './index.js';
import { fixtures } from './test-support/fixtures.js';
import { asFeeds, runOrt } from './test-support/ort.js';

/**
 * The committed `fixtures/*.onnx` (one per operator): each is what `scripts/write-fixtures.ts`
 * writes today, loads, and runs on the CPU backend as onnxruntime-node runs it (rtol 1e-4, atol 1e-5).
 */
const TOLERANCE = { rtol: 1e-4, atol: 1e-5 };
const backend = createCpuBackend();
const dir = new URL('../fixtures/', import.meta.url);

describe('committed ONNX fixtures', () => {
  it.each(fixtures())('$file: $shows', async (f) => {
    const bytes = new Uint8Array(readFileSync(new URL(f.file, dir)));
    expect(Buffer.from(bytes).equals(Buffer.from(f.bytes)), `${f.file} is stale: run pnpm --filter @rnn/onnx fixtures`).toBe(true);
    const want = await runOrt(bytes, f.feeds);
    const got = await OnnxModel.load(bytes).run(await asFeeds(f.feeds), { backend });
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const [name, w] of Object.entries(want)) {
      expect(got[name]?.shape).toEqual(w.dims);
      const report = compareClose(got[name]?.dataSync() ?? [], w.data, TOLERANCE);
      expect(report.ok, `${name}: ${report.message}`).toBe(true);
    }
  });

  it('lists every operator OnnxModel runs', () => {
    const ops = new Set<string>();
    for (const f of fixtures()) {
      const model = OnnxModel.load(f.bytes);
      for (const op of model.info.operators) ops.add(op);
    }
    // Constant and Shape fold at load; every other operator runs in some fixture.
    expect([...ops].sort()).toEqual(['Add', 'Concat', 'ConstantOfShape', 'Expand', 'GRU', 'Gather', 'Gemm', 'Identity', 'LSTM', 'MatMul', 'RNN', 'Reshape', 'Slice', 'Softmax', 'Squeeze', 'Transpose', 'Unsqueeze']);
  });
});
