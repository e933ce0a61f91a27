import { RandomState } from '@rnn/tensor';
import { COMMON_OPTIONS, flag, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { BACKENDS } from '../backends.js';
import { EXIT } from '../exit-codes.js';
import type { Io } from '../io.js';
import { loadModel } from '../training/load-model.js';
import { choiceOption, numberOption } from '../training/numbers.js';
import { defaultCheckpoint, userPath } from '../training/paths.js';

/** `pnpm demo sample`: its options. */
export const spec: CommandSpec = {
  name: 'sample',
  summary: 'Samples names from a checkpoint saved by `pnpm demo train` (format 2, or format 1 of @rnn/train 0.1), one character at a time until the end of name.',
  options: {
    checkpoint: { type: 'string', value: 'FILE', description: 'the model to sample from', default: 'apps/demo/checkpoints/dinos-lstm.ckpt' },
    count: { type: 'string', value: 'N', description: 'names to draw', default: 10 },
    prefix: { type: 'string', value: 'TEXT', description: 'continue names that start with this' },
    temperature: { type: 'string', value: 'T', description: 'a finite number > 0: below 1 gives safer, more common names; near 0 the most likely ones', default: 1 },
    seed: { type: 'string', value: 'S', description: 'seed of the draws', default: 0 },
    backend: { type: 'string', value: Object.keys(BACKENDS).join('|'), description: 'where the cell runs', default: 'cpu' },
    ...COMMON_OPTIONS,
  },
};

/** `pnpm demo sample [--checkpoint FILE] [--count N] [--temperature T] [--seed S] [--backend cpu|gpujs] [--json]`. */
export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const raw = args.options.get('checkpoint');
  const path = typeof raw === 'string' ? userPath(raw) : defaultCheckpoint('lstm');
  const count = numberOption(args, 'count', 10, { integer: true, min: 1 });
  const temperature = numberOption(args, 'temperature', 1, { positive: true });
  const seed = numberOption(args, 'seed', 0, { integer: true, min: 0 });
  const prefix = args.options.get('prefix');
  const backendName = choiceOption(args, 'backend', Object.keys(BACKENDS), 'cpu');
  const json = flag(args, 'json');
  const make = BACKENDS[backendName];
  if (make === undefined) throw new UsageError(`--backend must be one of ${Object.keys(BACKENDS).join(', ')}`);
  const model = await loadModel(path);
  if (typeof prefix === 'string') {
    const outside = [...prefix].find((c) => model.vocabulary !== undefined && (c === '\n' || !model.vocabulary.chars.includes(c)));
    if (outside !== undefined) throw new UsageError(`--prefix holds ${JSON.stringify(outside)}, which is not a character of the model's names`);
  }
  const { backend } = await make();
  try {
    const rng = new RandomState(seed);
    const iterations = model.metadata.iterations ?? 'unknown';
    const layers = model.numLayers > 1 ? `, ${model.numLayers} layers` : '';
    io.err(`${path}: ${model.cell.toUpperCase()}, hidden ${model.hiddenSize}${layers}, ${iterations} iterations; temperature ${temperature}, seed ${seed}${typeof prefix === 'string' ? `, prefix ${JSON.stringify(prefix)}` : ''}\n`);
    const names: string[] = [];
    for (let k = 0; k < count; k++) {
      const name = (await model.sample({ rng, temperature, backend, prefix: typeof prefix === 'string' ? prefix : undefined })).text;
      names.push(name);
      if (!json) io.out(`${name}\n`);
    }
    if (json) {
      io.out(`${JSON.stringify({ checkpoint: path, cell: model.cell, hiddenSize: model.hiddenSize, numLayers: model.numLayers, iterations: model.metadata.iterations ?? null, backend: backend.name, temperature, seed, prefix: typeof prefix === 'string' ? prefix : null, names })}\n`);
    }
  } finally {
    backend.dispose();
  }
  return EXIT.ok;
}
