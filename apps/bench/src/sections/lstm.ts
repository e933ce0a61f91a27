import type { CellName } from '@rnn/cells';
import type { DType } from '@rnn/tensor';
import type { Runner } from '../peers/runner.js';
import { measure } from '../timing.js';
import { forwardBackwardFlops, forwardFlops, workloadLabel, type Workload } from '../workloads.js';
import { LSTM_BASES, lstmTable, type LstmRow } from './lstm-table.js';

/** Measures one runner on one workload, cell and dtype: forward, and forward+backward where it has one. */
async function measureRunner(name: string, runner: Runner, w: Workload, cell: CellName, dtype: DType): Promise<LstmRow[]> {
  process.stderr.write(`bench: ${runner.label} · ${w.name} · ${cell} · ${dtype}\n`);
  const prepared = await runner.prepare(w, dtype, cell);
  const budgetMs = w.name === 'seed' ? 2_000 : 20_000;
  const passes: [string, (() => Promise<void>) | undefined, number][] = [
    ['forward', () => prepared.forward(), runner.forwardFlops?.(w) ?? forwardFlops(w, cell)],
    ['forward+backward', prepared.forwardBackward, forwardBackwardFlops(w, cell)],
  ];
  const rows: LstmRow[] = [];
  try {
    for (const [pass, fn, flops] of passes) {
      if (fn === undefined) continue;
      const compiledBefore = runner.compileMs?.();
      const r = await measure(fn, { budgetMs });
      const compileMs = compiledBefore === undefined ? undefined : (runner.compileMs?.() ?? 0) - compiledBefore;
      process.stderr.write(`  ${pass}: median ${r.medianMs.toFixed(2)} ms (${r.runs} runs)\n`);
      rows.push({ runner: name, label: runner.label, cell, workload: workloadLabel(w), dtype, pass, firstMs: r.firstMs, compileMs, medianMs: r.medianMs, gflops: flops / (r.medianMs * 1e6), runs: r.runs });
    }
  } finally {
    prepared.dispose();
  }
  return rows;
}

/**
 * The LSTM section: forward and forward+backward of every named runner (our backends and the
 * peers) on every workload, median of timed runs after warm-up, printed as a markdown table
 * with each row's speed relative to our cpu backend, tfjs-wasm and onnxruntime-node. Runners that
 * run other cells (our cpu backend: the GRU) add their rows, marked in the `cell` column.
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
        for (const cell of runner.cells ?? ['lstm']) {
          for (const dtype of w.dtypes.filter((d) => runner.dtypes.includes(d))) rows.push(...(await measureRunner(name, runner, w, cell, dtype)));
        }
      }
    } finally {
      runner.close();
    }
  }
  const label = (runner: string) => rows.find((r) => r.runner === runner)?.label ?? `${runner} (not run)`;
  console.log('\n## LSTM (and GRU) over a sequence\n');
  console.log('Median of timed runs after warm-up; "first ms" is the very first call and "compile ms" the kernel');
  console.log('compilation it triggered (gpu.js compiles once per shape). The ratio columns compare each row with a base');
  console.log('runner measured in the same run on the same workload, cell, dtype and pass: base median ÷ this median,');
  console.log('so above 1× = this row is faster than the base; "–" = the base has no such row.');
  for (const { runner, header } of LSTM_BASES) console.log(`- "${header}": base ${label(runner)}`);
  console.log('');
  console.log(lstmTable(rows));
  console.log('\nGFLOP/s counts the matrix products only: the gates (4·n_a·(n_a+n_x) per example and step for the LSTM, 3·n_a·(n_a+n_x) for the GRU)');
  console.log('and the output layer forward, twice the gate products more for backward. The peers run no GRU, so GRU rows compare with our cpu backend only.');
  for (const note of notes) console.log(`- ${note}`);
}
