/** Parsed `--name value` and `--flag` options plus positional words. */
export interface ParsedArgs {
  readonly positional: readonly string[];
  readonly options: ReadonlyMap<string, string | true>;
}

/** Parses `argv` with `--name value`, `--name=value` and boolean `--flag` (names listed in `flags`). */
export function parseArgs(argv: readonly string[], flags: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') continue;
    if (!word.startsWith('--')) {
      positional.push(word);
      continue;
    }
    const [name, inline] = word.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) options.set(name, inline);
    else if (flags.includes(name)) options.set(name, true);
    else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
      options.set(name, value);
      i++;
    }
  }
  return { positional, options };
}

/** A string option, or `fallback`. */
export function option(args: ParsedArgs, name: string, fallback: string): string {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : fallback;
}
