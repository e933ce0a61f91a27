import { readFile } from 'node:fs/promises';
import { characterVocabulary, OnnxImportError, OnnxModel, sampleCharacters, type OnnxValueInfo } from '@rnn/onnx';
import { RandomState, Tensor } from '@rnn/tensor';
import { COMMON_OPTIONS, flag, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { BACKENDS } from '../backends.js';
import { MissingModelError, UnreadableModelError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import type { Io } from '../io.js';
import { choiceOption, numberOption } from '../training/numbers.js';
import { userPath } from '../training/paths.js';

/** `pnpm demo run-onnx`: its options. */
export const spec: CommandSpec = {
  name: 'run-onnx',
  summary:
    'Loads an ONNX model (one of `pnpm demo export`, or a PyTorch or tf2onnx export of an LSTM, GRU or RNN) and runs it on an @rnn ' +
    'backend: a character model exported by @rnn samples names; any other model runs once on seeded Gaussian inputs and prints ' +
    'its outputs. An operator or option @rnn cannot run exactly as onnxruntime does is refused by name (exit 3).',
  positionals: [{ name: 'MODEL', description: 'the .onnx file' }],
  options: {
    count: { type: 'string', value: 'N', description: 'names to draw from a character model', default: 10 },
    prefix: { type: 'string', value: 'TEXT', description: 'continue names that start with this' },
    temperature: { type: 'string', value: 'T', description: 'a finite number > 0: below 1 gives safer, more common names', default: 1 },
    seed: { type: 'string', value: 'S', description: 'seed of the draws (names) or of the inputs (other models)', default: 0 },
    dim: { type: 'string', value: 'NAME=N,…', description: 'sizes of the named (dynamic) input dimensions of a model that is not a character model', default: 'each 2' },
    backend: { type: 'string', value: Object.keys(BACKENDS).join('|'), description: 'where the recurrent nodes run', default: 'cpu' },
    ...COMMON_OPTIONS,
  },
};

/** `pnpm demo run-onnx MODEL [--count N] [--prefix TEXT] [--temperature T] [--seed S] [--dim NAME=N,…] [--backend cpu|gpujs] [--json]`. */
export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const path = userPath(args.positionals[0] ?? '');
  const count = numberOption(args, 'count', 10, { integer: true, min: 1 });
  const temperature = numberOption(args, 'temperature', 1, { positive: true });
  const seed = numberOption(args, 'seed', 0, { integer: true, min: 0 });
  const prefix = args.options.get('prefix');
  const dims = parseDims(args);
  const backendName = choiceOption(args, 'backend', Object.keys(BACKENDS), 'cpu');
  const json = flag(args, 'json');
  const make = BACKENDS[backendName];
  if (make === undefined) throw new UsageError(`--backend must be one of ${Object.keys(BACKENDS).join(', ')}`);
  const model = loadModel(path, await readModel(path));
  try {
    const { info } = model;
    const about = {
      model: path, producer: info.producer, opset: info.opset, operators: info.operators,
      inputs: model.inputs.map(describeValue), outputs: model.outputs.map(describeValue), metadata: info.metadata,
    };
    io.err(`${path}: ${info.producer || 'unknown producer'}, opset ${info.opset}; ${info.operators.join(' → ')}\n`);
    io.err(`  inputs ${about.inputs.map((v) => `${v.name} ${v.type} ${formatShape(v.shape)}`).join(', ')}; outputs ${about.outputs.map((v) => `${v.name} ${formatShape(v.shape)}`).join(', ')}\n`);
    const isCharacterModel = info.metadata['rnn.vocabulary'] !== undefined;
    if (!isCharacterModel && (typeof prefix === 'string' || args.options.has('count') || args.options.has('temperature'))) {
      throw new UsageError('--count, --prefix and --temperature sample a character model exported by `pnpm demo export`; this model has no rnn.vocabulary metadata');
    }
    if (isCharacterModel && dims.size > 0) throw new UsageError('--dim sizes the inputs of a model that is not a character model; a character model is fed the names it draws');
    const { backend } = await make();
    try {
      if (isCharacterModel) {
        const vocabulary = characterVocabulary(model);
        if (typeof prefix === 'string') {
          const outside = [...prefix].find((c) => c === '\n' || !vocabulary.includes(c));
          if (outside !== undefined) throw new UsageError(`--prefix holds ${JSON.stringify(outside)}, which is not a character of the model's names`);
        }
        const names: string[] = [];
        for (let k = 0; k < count; k++) {
          const { text } = await sampleCharacters(model, { seed: seed + k, temperature, backend, prefix: typeof prefix === 'string' ? prefix : undefined });
          names.push(text);
          if (!json) io.out(`${text}\n`);
        }
        if (json) io.out(`${JSON.stringify({ ...about, backend: backend.name, temperature, seed, prefix: typeof prefix === 'string' ? prefix : null, names })}\n`);
      } else {
        const rng = new RandomState(seed);
        const feeds = Object.fromEntries(model.inputs.map((v) => [v.name, drawInput(v, dims, rng)]));
        const result = await model.run(feeds, { backend });
        const outputs: Record<string, { shape: number[]; values: number[] }> = {};
        for (const [name, t] of Object.entries(result)) {
          outputs[name] = { shape: [...t.shape], values: Array.from(await t.data()) };
          t.dispose();
        }
        for (const t of Object.values(feeds)) t.dispose();
        if (json) io.out(`${JSON.stringify({ ...about, backend: backend.name, seed, feeds: Object.fromEntries(Object.entries(feeds).map(([n, t]) => [n, t.shape])), outputs })}\n`);
        else {
          for (const [name, o] of Object.entries(outputs)) {
            const head = o.values.slice(0, 8).map((v) => v.toPrecision(6)).join(' ');
            io.out(`${name} (${o.shape.join(', ')}): ${head}${o.values.length > 8 ? ` … (${o.values.length} values)` : ''}\n`);
          }
        }
      }
    } finally {
      backend.dispose();
    }
  } finally {
    model.dispose();
  }
  return EXIT.ok;
}

/** Reads the model file; a missing one is a `MissingModelError`. */
async function readModel(path: string): Promise<Uint8Array> {
  try {
    const bytes = await readFile(path);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') throw new MissingModelError(path);
    throw error;
  }
}

/** Loads the model; what the loader refuses is an `UnreadableModelError` (exit 3) with its message. */
function loadModel(path: string, bytes: Uint8Array): OnnxModel {
  try {
    return OnnxModel.load(bytes);
  } catch (error) {
    if (error instanceof OnnxImportError) throw new UnreadableModelError(path, error);
    throw error;
  }
}

/** `--dim T=5,batch=3` as a map; a malformed entry is a `UsageError`. */
function parseDims(args: ParsedArgs): Map<string, number> {
  const raw = args.options.get('dim');
  const dims = new Map<string, number>();
  if (typeof raw !== 'string') return dims;
  for (const part of raw.split(',')) {
    const match = /^([^=\s]+)=(\d+)$/.exec(part.trim());
    const size = Number(match?.[2]);
    if (match === null || !Number.isSafeInteger(size) || size < 1) throw new UsageError(`--dim takes NAME=N pairs with N a positive integer, separated by commas; got ${JSON.stringify(part)}`);
    dims.set(match[1] as string, size);
  }
  return dims;
}

/** An input's description for the summary. */
function describeValue(v: OnnxValueInfo): { name: string; type: string; shape: readonly (number | string | null)[] | null } {
  return { name: v.name, type: v.type, shape: v.shape ?? null };
}

/** `(T, batch, 27)`, `?` for an unknown size or shape. */
function formatShape(shape: readonly (number | string | null)[] | null): string {
  return shape === null ? '(?)' : `(${shape.map((d) => d ?? '?').join(', ')})`;
}

/**
 * A seeded input for `v`: float32 Gaussian values, or for an integer input (`sequence_lens`) the
 * full length of every example (the size of the dimension named `T`, else 2). Named dimensions
 * take their `--dim` size, else 2.
 */
function drawInput(v: OnnxValueInfo, dims: ReadonlyMap<string, number>, rng: RandomState): Tensor {
  if (v.shape === undefined) throw new UsageError(`the model does not declare the shape of its input ${v.name}, so run-onnx cannot draw it`);
  const shape = v.shape.map((d) => (typeof d === 'number' ? d : dims.get(d ?? '') ?? 2));
  const size = shape.reduce((a, b) => a * b, 1);
  if (v.type === 'float32') return Tensor.fromHost(Float32Array.from({ length: size }, () => rng.nextGaussian()), shape, 'float32');
  const length = dims.get('T') ?? 2;
  return Tensor.fromHost(new Float64Array(size).fill(length), shape, 'float64');
}
