import { option, parseArgs } from '../args.js';
import { BACKENDS } from '../backends.js';
import { walkthrough } from '../walkthrough/walkthrough.js';

/** `pnpm demo [walkthrough] [--backend cpu|gpujs]`: the eight functions on the notebook's draws. */
export async function run(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv);
  const name = option(args, 'backend', 'cpu');
  const make = BACKENDS[name];
  if (make === undefined) throw new Error(`--backend must be one of ${Object.keys(BACKENDS).join(', ')}; got ${name}`);
  const { backend, dtype } = await make();
  try {
    console.log(`@rnn walkthrough on backend ${backend.name} (mode ${backend.mode}, ${dtype})\n`);
    await walkthrough(backend, dtype, (line) => console.log(line));
  } finally {
    backend.dispose();
  }
}
