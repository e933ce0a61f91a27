import { RandomState } from '@rnn/tensor';
import { loadCheckpointFile } from '@rnn/train/node';
import { parseArgs } from '../args.js';
import { BACKENDS } from '../backends.js';
import { choiceOption, numberOption } from '../training/numbers.js';
import { defaultCheckpoint, userPath } from '../training/paths.js';

/** `pnpm demo sample --checkpoint FILE [--count K] [--temperature T] [--seed S] [--backend cpu|gpujs]`. */
export async function run(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv);
  const raw = args.options.get('checkpoint');
  const path = typeof raw === 'string' ? userPath(raw) : defaultCheckpoint('lstm');
  const count = numberOption(args, 'count', 10, { integer: true, min: 1 });
  const temperature = numberOption(args, 'temperature', 1, { min: Number.MIN_VALUE });
  const seed = numberOption(args, 'seed', 0, { integer: true, min: 0 });
  const backendName = choiceOption(args, 'backend', Object.keys(BACKENDS), 'cpu');
  const model = await loadCheckpointFile(path);
  const make = BACKENDS[backendName];
  if (make === undefined) throw new Error(`--backend must be one of ${Object.keys(BACKENDS).join(', ')}`);
  const { backend, dtype } = await make();
  try {
    const rng = new RandomState(seed);
    console.error(`${path}: ${model.cell.toUpperCase()}, hidden ${model.hiddenSize}, ${String(model.metadata.iterations ?? '?')} iterations; temperature ${temperature}, seed ${seed}`);
    for (let k = 0; k < count; k++) console.log((await model.sample({ rng, temperature, backend, dtype })).text);
  } finally {
    backend.dispose();
  }
}
