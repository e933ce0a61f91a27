import { readFileSync } from 'node:fs';
import { CheckpointError, TrainingDivergedError } from '@rnn/train';
import { flag, helpText, parseArgs, UsageError, type CommandSpec, type ParsedArgs } from './args.js';
import { MissingCheckpointError, MissingModelError, UnreadableModelError } from './errors.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import type { Io } from './io.js';

/** What a command module exports. */
export interface CommandModule {
  /** Its options, for parsing and `--help`. */
  readonly spec: CommandSpec;
  /** Runs it on its parsed options (never `--help`, which the CLI answers); resolves to the exit code. */
  run(args: ParsedArgs, io: Io): Promise<number>;
}

/** The commands, loaded only when picked (so gpu.js loads only for `--backend gpujs`). */
const COMMANDS: Readonly<Record<string, { readonly summary: string; readonly load: () => Promise<CommandModule> }>> = {
  walkthrough: { summary: 'the eight cell functions on the NumPy notebook draws (the default command)', load: () => import('./commands/walkthrough.js') },
  train: { summary: 'train a character LSTM, GRU or RNN on dinosaur names and save a checkpoint', load: () => import('./commands/train.js') },
  sample: { summary: 'sample names from a checkpoint', load: () => import('./commands/sample.js') },
  forecast: { summary: 'learn a noisy seasonal series with a 2-layer GRU and plot its forecasts', load: () => import('./commands/forecast.js') },
  export: { summary: 'write a checkpoint as an ONNX model for onnxruntime, checked against the checkpoint', load: () => import('./commands/export.js') },
  'run-onnx': { summary: 'run an ONNX model on an @rnn backend: sample names, or print its outputs', load: () => import('./commands/run-onnx.js') },
};

/** The version of the demo package. */
export function demoVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

function topHelp(): string {
  return [
    'usage: pnpm demo [command] [options]',
    '       pnpm demo <command> --help',
    '       pnpm demo --version',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`),
    '',
    'With no command (or only options), runs walkthrough.',
    '',
    EXIT_CODES_HELP,
  ].join('\n');
}

/** Runs `pnpm demo …` on `argv` (the words after `pnpm demo`) and resolves to the exit code; never throws. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '-h' || first === '--help' || (first === 'help' && rest.length === 0)) {
    io.out(`${topHelp()}\n`);
    return EXIT.ok;
  }
  if (first === '--version' || first === '-v') {
    if (rest.length > 0) return usage(io, `--version takes no arguments; got ${rest.join(' ')}`, topHelp());
    io.out(`${demoVersion()}\n`);
    return EXIT.ok;
  }
  if (first === 'help') {
    const named = COMMANDS[rest[0] ?? ''];
    if (named === undefined || rest.length > 1) return usage(io, `unknown command ${rest.join(' ')}; try: ${Object.keys(COMMANDS).join(', ')}`, topHelp());
    io.out(`${helpText((await named.load()).spec, EXIT_CODES_HELP)}\n`);
    return EXIT.ok;
  }
  const isCommand = first !== undefined && !first.startsWith('-');
  const named = isCommand ? COMMANDS[first] : COMMANDS.walkthrough;
  if (named === undefined) return usage(io, `unknown command ${first ?? ''}; try: ${Object.keys(COMMANDS).join(', ')}`, topHelp());
  const command = await named.load();
  try {
    const args = parseArgs(command.spec, isCommand ? rest : argv);
    if (flag(args, 'help')) {
      io.out(`${helpText(command.spec, EXIT_CODES_HELP)}\n`);
      return EXIT.ok;
    }
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error.message, helpText(command.spec, EXIT_CODES_HELP));
    io.err(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof MissingCheckpointError || error instanceof CheckpointError || error instanceof MissingModelError || error instanceof UnreadableModelError) return EXIT.checkpoint;
    if (error instanceof TrainingDivergedError) return EXIT.diverged;
    return EXIT.failure;
  }
}

function usage(io: Io, message: string, help: string): number {
  io.err(`error: ${message}\n\n${help}\n`);
  return EXIT.usage;
}
