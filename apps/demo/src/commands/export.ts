import { basename } from 'node:path';
import { createCpuBackend } from '@rnn/backend-cpu';
import { exportOnnx, OnnxModel } from '@rnn/onnx';
import { Tensor, RandomState } from '@rnn/tensor';
import type { SequenceModel } from '@rnn/train';
import { writeFileAtomic } from '@rnn/train/node';
import { COMMON_OPTIONS, flag, type CommandSpec, type ParsedArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import type { Io } from '../io.js';
import { loadModel } from '../training/load-model.js';
import { numberOption } from '../training/numbers.js';
import { defaultCheckpoint, userPath } from '../training/paths.js';

/** `pnpm demo export`: its options. */
export const spec: CommandSpec = {
  name: 'export',
  summary:
    'Writes a checkpoint of `pnpm demo train` as an ONNX model that onnxruntime (Node, web, server) runs: X (T, batch, n_x) in, ' +
    'the head\'s output (T, batch, n_y) out, a character model\'s vocabulary in its metadata. The file is loaded back and run on ' +
    'the CPU backend, and its outputs are compared with the checkpoint\'s own before the command succeeds.',
  options: {
    checkpoint: { type: 'string', value: 'FILE', description: 'the model to export', default: 'apps/demo/checkpoints/dinos-lstm.ckpt' },
    out: { type: 'string', value: 'FILE', description: 'the ONNX file to write', default: 'the checkpoint\'s path with .onnx' },
    opset: { type: 'string', value: 'N', description: 'the ONNX opset to stamp, 13 to 22', default: 17 },
    ...COMMON_OPTIONS,
  },
};

/** How far the exported model (float32) may stray from the checkpoint's forward (float64 on the CPU). */
const TOLERANCE = 1e-4;

/** `pnpm demo export [--checkpoint FILE] [--out FILE] [--opset N] [--json]`. */
export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const raw = args.options.get('checkpoint');
  const path = typeof raw === 'string' ? userPath(raw) : defaultCheckpoint('lstm');
  const rawOut = args.options.get('out');
  const out = typeof rawOut === 'string' ? userPath(rawOut) : path.replace(/(\.ckpt)?$/, '.onnx');
  const opset = numberOption(args, 'opset', 17, { integer: true, min: 13 });
  const json = flag(args, 'json');
  const model = await loadModel(path);
  const layers = model.numLayers > 1 ? `, ${model.numLayers} layers` : '';
  io.err(`${path}: ${model.cell.toUpperCase()}, hidden ${model.hiddenSize}${layers}${model.bidirectional ? ', bidirectional' : ''}, task ${model.task}\n`);
  const bytes = exportOnnx(model, { opset, docString: `exported by pnpm demo export from ${basename(path)}` });
  const onnx = OnnxModel.load(bytes);
  const check = await compareWithModel(model, onnx);
  if (!(check.maxAbsDiff <= TOLERANCE)) {
    io.err(`error: the exported model's ${check.output} differ from the checkpoint's by up to ${check.maxAbsDiff.toExponential(2)} (allowed ${TOLERANCE}); nothing was written\n`);
    onnx.dispose();
    return EXIT.failure;
  }
  await writeFileAtomic(out, bytes);
  const summary = {
    checkpoint: path, out, bytes: bytes.byteLength, opset: onnx.info.opset, operators: onnx.info.operators,
    inputs: onnx.inputs.map((v) => ({ name: v.name, shape: v.shape ?? null })), outputs: onnx.outputs.map((v) => ({ name: v.name, shape: v.shape ?? null })),
    checked: { examples: check.examples, steps: check.steps, maxAbsDiff: check.maxAbsDiff },
  };
  onnx.dispose();
  if (json) io.out(`${JSON.stringify(summary)}\n`);
  else {
    const shape = (s: readonly (number | string | null)[] | null) => (s === null ? '?' : `(${s.map((d) => d ?? '?').join(', ')})`);
    io.out(`wrote ${out} (${bytes.byteLength} bytes, opset ${summary.opset})\n`);
    io.out(`  operators: ${summary.operators.join(' → ')}\n`);
    io.out(`  inputs:    ${summary.inputs.map((v) => `${v.name} ${shape(v.shape)}`).join(', ')}\n`);
    io.out(`  outputs:   ${summary.outputs.map((v) => `${v.name} ${shape(v.shape)}`).join(', ')}\n`);
    io.out(`  checked: run back on the CPU backend, ${check.examples} examples × ${check.steps} steps, max |Δ| ${check.maxAbsDiff.toExponential(2)} from the checkpoint's forward\n`);
  }
  return EXIT.ok;
}

/** What `compareWithModel` found. */
interface Comparison {
  readonly output: string;
  readonly examples: number;
  readonly steps: number;
  readonly maxAbsDiff: number;
}

/**
 * Runs the ONNX model and the checkpoint on the same inputs and returns the largest difference of
 * their outputs: for a character model a few names spelled from its vocabulary, one-hot after an
 * all-zero first step (as training feeds them); for numeric models seeded Gaussian values.
 */
async function compareWithModel(model: SequenceModel, onnx: OnnxModel): Promise<Comparison> {
  const nX = model.layers.inputSize;
  const steps = 8;
  const examples = 3;
  const rng = new RandomState(0);
  const inputs: number[][][] =
    model.vocabulary === undefined
      ? Array.from({ length: examples }, () => Array.from({ length: steps }, () => Array.from({ length: nX }, () => rng.nextGaussian())))
      : Array.from({ length: examples }, () => {
          const letters = model.vocabulary?.chars.map((_, i) => i).filter((i) => i !== model.vocabulary?.endIndex) ?? [];
          const picks = Array.from({ length: steps - 1 }, () => letters[Math.floor(rng.nextDouble() * letters.length)] ?? 0);
          return [new Array<number>(nX).fill(0), ...picks.map((k) => Array.from({ length: nX }, (_, i) => (i === k ? 1 : 0)))];
        });
  const backend = createCpuBackend();
  try {
    const { steps: ours } = await model.predict(inputs, { backend });
    const X = Tensor.fromHost(Float32Array.from({ length: steps * examples * nX }, (_, k) => {
      const i = k % nX;
      const j = Math.floor(k / nX) % examples;
      const t = Math.floor(k / (nX * examples));
      return inputs[j]?.[t]?.[i] ?? 0;
    }), [steps, examples, nX], 'float32');
    const input = onnx.inputs[0]?.name ?? 'X';
    const output = onnx.outputs[0]?.name ?? 'probabilities';
    const result = await onnx.run({ [input]: X }, { backend });
    X.dispose();
    const theirs = result[output];
    if (theirs === undefined) throw new Error(`export: the exported model gave no output ${output}`);
    const values = await theirs.data();
    const nY = theirs.shape[2] ?? 0;
    let maxAbsDiff = 0;
    for (let t = 0; t < steps; t++) {
      for (let j = 0; j < examples; j++) {
        for (let k = 0; k < nY; k++) {
          const diff = Math.abs((values[(t * examples + j) * nY + k] as number) - (ours[j]?.[t]?.[k] ?? Number.NaN));
          maxAbsDiff = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : Math.max(maxAbsDiff, diff);
        }
      }
    }
    for (const t of Object.values(result)) t.dispose();
    return { output, examples, steps, maxAbsDiff };
  } finally {
    backend.dispose();
  }
}
