import { parseArgs } from 'node:util';
import { WORKLOADS, type Workload } from './workloads.js';

/** The parts of `pnpm bench`, in the order a full run prints them. */
export const SECTIONS = ['lstm', 'gemm', 'scaling', 'threads'] as const;

/** One part of `pnpm bench`: the LSTM table, the GEMM table, the scaling table or the threads table. */
export type Section = (typeof SECTIONS)[number];

/** The command line was wrong: an unknown option or runner, a bad value. The bench prints the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What one `pnpm bench` run measures. */
export interface BenchPlan {
  /** The sections to run, in print order. */
  readonly sections: readonly Section[];
  /** Runners of the LSTM section, by name in `RUNNERS`. */
  readonly runners: readonly string[];
  /** Workloads of the LSTM, GEMM and threads sections; `undefined` when `--workload` was not given. */
  readonly workload: Workload | undefined;
  /** `-h`/`--help`: print the usage and run nothing. */
  readonly help: boolean;
}

/** The usage text, naming every runner. */
export function usage(runnerNames: readonly string[]): string {
  return [
    'usage: pnpm bench [runner…] [--section lstm|gemm|scaling|threads] [--workload seed|medium|large]',
    '',
    '  runner…            LSTM rows to measure (default: all): ' + runnerNames.join(', '),
    '                     given without --section, they select the lstm section',
    '  --section NAME     run one section (default: all):',
    '                       lstm     LSTM forward and forward+backward on our backends and the peers',
    '                       gemm     our matMul against tfjs-wasm tf.matMul on the LSTM step shapes',
    '                       scaling  our cpu backend against T_x and n_a',
    '                       threads  our cpu backend on 1, 2 and all cores',
    '  --workload NAME    the lstm, gemm and threads sections on one workload only (seed, medium or large);',
    '                     given without --section, the scaling section (its own sizes) is left out',
    '  -h, --help         show this help',
  ].join('\n');
}

/**
 * Parses the arguments of `pnpm bench` strictly (Node's `util.parseArgs`).
 *
 * @throws UsageError on an unknown option, runner, section or workload, or on runners given with
 *   a section other than `lstm`.
 */
export function parseBenchArgs(argv: readonly string[], runnerNames: readonly string[]): BenchPlan {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS_')) throw new UsageError(error.message.split(/\.? To specify|\n/)[0] ?? error.message);
    throw error;
  }
  const { values, positionals } = parsed;
  const unknown = positionals.filter((n) => !runnerNames.includes(n));
  if (unknown.length > 0) throw new UsageError(`unknown runner ${unknown.join(', ')}; choose from ${runnerNames.join(', ')}`);
  const section = values.section;
  if (section !== undefined && !isSection(section)) throw new UsageError(`unknown section '${section}'; choose from ${SECTIONS.join(', ')}`);
  const workload = values.workload === undefined ? undefined : WORKLOADS.find((w) => w.name === values.workload);
  if (values.workload !== undefined && workload === undefined) throw new UsageError(`unknown workload '${values.workload}'; choose from ${WORKLOADS.map((w) => w.name).join(', ')}`);
  if (positionals.length > 0 && section !== undefined && section !== 'lstm') throw new UsageError(`runners (${positionals.join(', ')}) belong to the lstm section, not to '${section}'`);
  const sections: readonly Section[] =
    section !== undefined ? [section]
    : positionals.length > 0 ? ['lstm']
    : workload !== undefined ? ['lstm', 'gemm', 'threads']
    : SECTIONS;
  return { sections, runners: positionals.length > 0 ? positionals : runnerNames, workload, help: values.help === true };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: { section: { type: 'string' }, workload: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: true,
  });
}

function isSection(name: string): name is Section {
  return SECTIONS.some((s) => s === name);
}
