import { parseArgs as parseNodeArgs } from 'node:util';

/** One option of a command: how it parses and how `--help` describes it. */
export interface OptionSpec {
  /** `string` takes a value (`--name value` or `--name=value`); `boolean` is a flag. */
  readonly type: 'string' | 'boolean';
  /** A one-letter alias (`h` for `-h`). */
  readonly short?: string;
  /** The value's placeholder in the help (`N`, `FILE`, `cpu|gpujs`). */
  readonly value?: string;
  /** What it does. */
  readonly description: string;
  /** The default, as the help shows it (nothing for flags and options without one). */
  readonly default?: string | number;
}

/** A command: its name, what it does and its options. */
export interface CommandSpec {
  /** The words after `pnpm demo`, e.g. `train`. */
  readonly name: string;
  /** One line for the list of commands. */
  readonly summary: string;
  /** Options by long name. */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Words the command takes after its options, each required (`run-onnx MODEL`); none when absent. */
  readonly positionals?: readonly { readonly name: string; readonly description: string }[];
}

/** Options every command takes. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  json: { type: 'boolean', description: 'write one JSON object to stdout and everything else (progress, messages) to stderr' },
  help: { type: 'boolean', short: 'h', description: 'show this help and exit' },
};

/** The command line was wrong: an unknown option, a stray word, a bad value. Exits 2 with the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parsed options: string options map to their value, flags to `true`; absent ones are missing. */
export interface ParsedArgs {
  readonly options: ReadonlyMap<string, string | true>;
  /** The words after the options, one per `spec.positionals`. */
  readonly positionals: readonly string[];
}

/**
 * Parses `argv` strictly with Node's `util.parseArgs`: an option the command does not list, a
 * missing value, or a word the command does not take (or a missing one) throws a `UsageError`.
 */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, o]) => [name, o.short === undefined ? { type: o.type } : { type: o.type, short: o.short }]),
  );
  const wanted = spec.positionals ?? [];
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseNodeArgs({ args: [...argv], options, strict: true, allowPositionals: wanted.length > 0 }));
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS_')) throw new UsageError(error.message.split('\n')[0] ?? error.message);
    throw error;
  }
  const asksHelp = values['help'] === true;
  if (!asksHelp && positionals.length < wanted.length) throw new UsageError(`missing ${wanted.slice(positionals.length).map((p) => p.name).join(' ')}`);
  if (positionals.length > wanted.length) throw new UsageError(`unexpected argument ${positionals.slice(wanted.length).join(' ')}`);
  const parsed = new Map<string, string | true>();
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string') parsed.set(name, value);
    else if (value === true) parsed.set(name, true);
  }
  return { options: parsed, positionals };
}

/** A string option, or `fallback`. */
export function option(args: ParsedArgs, name: string, fallback: string): string {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : fallback;
}

/** Whether a flag was given. */
export function flag(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true;
}

/** The one-line usage of a command: `usage: pnpm demo train [options]`, `usage: pnpm demo run-onnx [options] MODEL`. */
export function usageLine(spec: CommandSpec): string {
  return `usage: pnpm demo ${spec.name} [options]${(spec.positionals ?? []).map((p) => ` ${p.name}`).join('')}`;
}

/** The full help of a command: usage, summary, every option with its description and default, and the exit codes. */
export function helpText(spec: CommandSpec, exitCodes: string): string {
  const rows = Object.entries(spec.options).map(([name, o]) => {
    const names = `${o.short === undefined ? '    ' : `-${o.short}, `}--${name}${o.value === undefined ? '' : ` ${o.value}`}`;
    const fallback = o.default === undefined ? '' : ` (default: ${o.default})`;
    return [names, `${o.description}${fallback}`] as const;
  });
  const width = Math.max(...rows.map(([names]) => names.length)) + 2;
  return [
    usageLine(spec),
    '',
    spec.summary,
    '',
    ...(spec.positionals === undefined ? [] : ['arguments:', ...spec.positionals.map((p) => `  ${p.name.padEnd(width)}${p.description}`), '']),
    'options:',
    ...rows.map(([names, text]) => `  ${names.padEnd(width)}${text}`),
    '',
    exitCodes,
  ].join('\n');
}
