import type { DType } from '@rnn/tensor';
import type { Runner } from '../peers/runner.js';
import { measure } from '../timing.js';
import { lstmForwardBackwardFlops, lstmForwardFlops, workloadLabel, type Workload } from '../workloads.js';
import { LSTM_BASES, lstmTable, type LstmRow } from './lstm-table.js';

/** Measures one runner on one workload and dtype: forward, and forward+backward where it has one. */
async function measureRunner(name: string, runner: Runner, w: Workload, dtype: DType): Promise<LstmRow[]> {
  process.stderr.write(`bench: ${runner.label} · ${w.name} · ${dtype}\n`);
  const prepared = await runner.prepare(w, dtype);
  const budgetMs = w.name === 'seed' ? 2_000 : 20_000;
  const passes: [string, (() => Promise<void>) | undefined, number][] = [
    ['forward', () => prepared.forward(), runner.forwardFlops?.(w) ?? lstmForwardFlops(w)],
    ['forward+backward', prepared.forwardBackward, lstmForwardBackwardFlops(w)],
  ];
  const rows: LstmRow[] = [];
  try {
    for (const [pass, fn, flops] of passes) {
      if (fn === undefined) continue;
      const compiledBefore = runner.compileMs?.();
      const r = await measure(fn, { budgetMs });
      const compileMs = compiledBefore === undefined ? undefined : (runner.compileMs?.() ?? 0) - compiledBefore;
      process.stderr.write(`  ${pass}: median ${r.medianMs.toFixed(2)} ms (${r.runs} runs)\n`);
      rows.push({ runner: name, label: runner.label, workload: workloadLabel(w), dtype, pass, firstMs: r.firstMs, compileMs, medianMs: r.medianMs, gflops: flops / (r.medianMs * 1e6), runs: r.runs });
    }
  } finally {
    prepared.dispose();
  }
  return rows;
}

/**
 * The LSTM section: forward and forward+backward of every named runner (our backends and the
 * peers) on every workload, median of timed runs after warm-up, printed as a markdown table
 * with each row's speed relative to our cpu backend, tfjs-wasm and onnxruntime-node.
 */
export async function runLstmSection(runners: Readonly<Record<string, () => Promise<Runner>>>, names: readonly string[], workloads: readonly Workload[]): Promise<void> {
  const rows: LstmRow[] = [];
  const notes: string[] = [];
  for (const name of names) {
    const make = runners[name];
    if (make === undefined) throw new Error(`runLstmSection: no runner '${name}'`);
    const runner = await make();
    if (runner.note !== undefined) notes.push(`${runner.label}: ${runner.note}`);
    try {
      for (const w of workloads.filter((x) => runner.accepts?.(x) ?? true)) {
        for (const dtype of w.dtypes.filter((d) => runner.dtypes.includes(d))) rows.push(...(await measureRunner(name, runner, w, dtype)));
      }
    } finally {
      runner.close();
    }
  }
  const label = (runner: string) => rows.find((r) => r.runner === runner)?.label ?? `${runner} (not run)`;
  console.log('\n## LSTM over a sequence\n');
  console.log('Median of timed runs after warm-up; "first ms" is the very first call and "compile ms" the kernel');
  console.log('compilation it triggered (gpu.js compiles once per shape). The ratio columns compare each row with a base');
  console.log('runner measured in the same run on the same workload, dtype and pass: base median ÷ this median,');
  console.log('so above 1× = this row is faster than the base; "–" = the base has no such row.');
  for (const { runner, header } of LSTM_BASES) console.log(`- "${header}": base ${label(runner)}`);
  console.log('');
  console.log(lstmTable(rows));
  console.log('\nGFLOP/s counts the matrix products only: the 4 gates and the output layer forward, twice the gate products more for backward.');
  for (const note of notes) console.log(`- ${note}`);
}
