import type { DType } from '@rnn/tensor';
import { RUNNERS } from './targets.js';
import { measure } from './timing.js';
import { lstmForwardBackwardFlops, lstmForwardFlops, WORKLOADS } from './workloads.js';

interface Row {
  readonly target: string;
  readonly workload: string;
  readonly dtype: DType;
  readonly pass: string;
  readonly firstMs: number;
  readonly compileMs: number | undefined;
  readonly medianMs: number;
  readonly gflops: number;
  readonly runs: number;
}

function table(rows: readonly Row[]): string {
  const head = ['workload', 'dtype', 'pass', 'backend', 'first ms', 'compile ms', 'median ms', 'GFLOP/s', 'vs cpu', 'runs'];
  const base = new Map(rows.filter((r) => r.target.startsWith('cpu')).map((r) => [`${r.workload}|${r.dtype}|${r.pass}`, r.medianMs]));
  const sorted = [...rows].sort((a, b) => a.workload.localeCompare(b.workload) || a.dtype.localeCompare(b.dtype) || a.pass.localeCompare(b.pass));
  const body = sorted.map((r) => {
    const cpu = base.get(`${r.workload}|${r.dtype}|${r.pass}`);
    const ratio = cpu === undefined ? '–' : `${(cpu / r.medianMs).toFixed(2)}×`;
    return [r.workload, r.dtype, r.pass, r.target, r.firstMs.toFixed(2), r.compileMs?.toFixed(2) ?? '–', r.medianMs.toFixed(2), r.gflops.toFixed(3), ratio, String(r.runs)];
  });
  return [head, head.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/**
 * `pnpm bench [runner…] [--workload seed|medium|large]`: LSTM forward and forward+backward for
 * every runner (our backends and peers) on every workload, median of timed runs after warm-up.
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const workloadIndex = argv.indexOf('--workload');
  const onlyWorkload = workloadIndex >= 0 ? argv[workloadIndex + 1] : undefined;
  const named = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--workload');
  const unknown = named.filter((n) => !(n in RUNNERS));
  if (unknown.length > 0) throw new Error(`unknown runner ${unknown.join(', ')}; choose from ${Object.keys(RUNNERS).join(', ')}`);
  const names = named.length > 0 ? named : Object.keys(RUNNERS);
  const workloads = WORKLOADS.filter((w) => onlyWorkload === undefined || w.name === onlyWorkload);
  const rows: Row[] = [];
  const notes: string[] = [];

  for (const name of names) {
    const runner = await (RUNNERS[name] as () => ReturnType<(typeof RUNNERS)[string]>)();
    if (runner.note !== undefined) notes.push(`${runner.label}: ${runner.note}`);
    try {
      for (const w of workloads.filter((x) => runner.accepts?.(x) ?? true)) {
        for (const dtype of w.dtypes.filter((d) => runner.dtypes.includes(d))) {
          process.stderr.write(`bench: ${runner.label} · ${w.name} · ${dtype}\n`);
          const prepared = await runner.prepare(w, dtype);
          const workload = `${w.name} (n_x=${w.nX} n_a=${w.nA} m=${w.m} T_x=${w.T})`;
          const budgetMs = w.name === 'seed' ? 2_000 : 20_000;
          const passes: [string, (() => Promise<void>) | undefined, number][] = [
            ['forward', () => prepared.forward(), runner.forwardFlops?.(w) ?? lstmForwardFlops(w)],
            ['forward+backward', prepared.forwardBackward, lstmForwardBackwardFlops(w)],
          ];
          for (const [pass, fn, flops] of passes) {
            if (fn === undefined) continue;
            const compiledBefore = runner.compileMs?.();
            const r = await measure(fn, { budgetMs });
            const compileMs = compiledBefore === undefined ? undefined : (runner.compileMs?.() ?? 0) - compiledBefore;
            process.stderr.write(`  ${pass}: median ${r.medianMs.toFixed(2)} ms (${r.runs} runs)\n`);
            rows.push({ target: runner.label, workload, dtype, pass, firstMs: r.firstMs, compileMs, medianMs: r.medianMs, gflops: flops / (r.medianMs * 1e6), runs: r.runs });
          }
          prepared.dispose();
        }
      }
    } finally {
      runner.close();
    }
  }
  console.log('\nLSTM over a sequence: median of timed runs after warm-up; "first ms" is the very first call and "compile ms"');
  console.log('the kernel compilation it triggered (gpu.js compiles once per shape);');
  console.log('"vs cpu" is the cpu (js) median of the same row divided by this one (above 1× = faster than our CPU backend).\n');
  console.log(table(rows));
  console.log('\nGFLOP/s counts the matrix products only: the 4 gates and the output layer forward, twice the gate products more for backward.');
  for (const note of notes) console.log(`- ${note}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
