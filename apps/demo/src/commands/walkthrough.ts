import type { NestedArray } from '@rnn/tensor';
import { COMMON_OPTIONS, flag, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { BACKENDS } from '../backends.js';
import { EXIT } from '../exit-codes.js';
import type { Io } from '../io.js';
import { choiceOption } from '../training/numbers.js';
import { formatEntry, walkthrough, type WalkthroughEntry } from '../walkthrough/walkthrough.js';

/** `pnpm demo [walkthrough]`: its options. */
export const spec: CommandSpec = {
  name: 'walkthrough',
  summary: "Runs rnnCellForward, rnnForward, lstmCellForward, lstmForward and their backward twins on the NumPy notebook's seeded draws and prints what the notebook prints.",
  options: {
    backend: { type: 'string', value: Object.keys(BACKENDS).join('|'), description: 'where the cells run', default: 'cpu' },
    ...COMMON_OPTIONS,
  },
};

/** What `--json` prints: every section's values, shapes and lengths by the notebook's labels. */
interface WalkthroughJson {
  backend: string;
  mode: string;
  dtype: string;
  sections: Record<string, Record<string, NestedArray | readonly number[]>>;
}

/** `pnpm demo [walkthrough] [--backend cpu|gpujs] [--json]`: the eight functions on the notebook's draws. */
export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const name = choiceOption(args, 'backend', Object.keys(BACKENDS), 'cpu');
  const json = flag(args, 'json');
  const make = BACKENDS[name];
  if (make === undefined) throw new UsageError(`--backend must be one of ${Object.keys(BACKENDS).join(', ')}`);
  const { backend, dtype } = await make();
  try {
    if (json) {
      const result: WalkthroughJson = { backend: backend.name, mode: backend.mode, dtype, sections: {} };
      let current: Record<string, NestedArray | readonly number[]> = {};
      await walkthrough(backend, dtype, (entry) => {
        if (entry.kind === 'section') result.sections[entry.name] = current = {};
        else current[key(entry)] = entry.kind === 'value' ? entry.value : entry.kind === 'shape' ? entry.shape : entry.length;
      });
      io.out(`${JSON.stringify(result)}\n`);
    } else {
      io.out(`@rnn walkthrough on backend ${backend.name} (mode ${backend.mode}, ${dtype})\n\n`);
      let first = true;
      await walkthrough(backend, dtype, (entry) => {
        if (entry.kind === 'section' && !first) io.out('\n');
        first = false;
        io.out(`${formatEntry(entry)}\n`);
      });
    }
  } finally {
    backend.dispose();
  }
  return EXIT.ok;
}

/** The JSON key of an entry: the notebook's label (`a[4][1]`, `a.shape`, `len(caches)`). */
function key(entry: Exclude<WalkthroughEntry, { kind: 'section' }>): string {
  return entry.kind === 'value' ? entry.label : entry.kind === 'shape' ? `${entry.label}.shape` : `len(${entry.label})`;
}
