import { lstmBackward, lstmForward, type LstmParameters } from '@rnn/cells';
import { RandomState, type Backend, type DType, type Tensor } from '@rnn/tensor';
import { TARGETS } from './targets.js';
import { measure } from './timing.js';
import { lstmForwardBackwardFlops, lstmForwardFlops, WORKLOADS, type Workload } from './workloads.js';

interface Row {
  readonly target: string;
  readonly workload: string;
  readonly dtype: DType;
  readonly pass: string;
  readonly firstMs: number;
  readonly medianMs: number;
  readonly gflops: number;
  readonly runs: number;
}

function inputs(w: Workload, dtype: DType) {
  const rng = new RandomState(0);
  const draw = (...shape: number[]): Tensor => rng.randnAs(shape, dtype);
  const K = w.nA + w.nX;
  const p: LstmParameters = {
    Wf: draw(w.nA, K), bf: draw(w.nA, 1), Wi: draw(w.nA, K), bi: draw(w.nA, 1),
    Wc: draw(w.nA, K), bc: draw(w.nA, 1), Wo: draw(w.nA, K), bo: draw(w.nA, 1),
    Wy: draw(w.nX, w.nA), by: draw(w.nX, 1),
  };
  return { x: draw(w.nX, w.m, w.T), a0: draw(w.nA, w.m), da: draw(w.nA, w.m, w.T), p };
}

/** Disposes every tensor reachable from a result object (outputs and caches). */
function disposeDeep(value: unknown, keep: Set<Tensor>): void {
  if (value === null || typeof value !== 'object') return;
  if ('dispose' in value && typeof value.dispose === 'function' && 'shape' in value) {
    if (!keep.has(value as Tensor)) (value as Tensor).dispose();
    return;
  }
  for (const v of Object.values(value)) disposeDeep(v, keep);
}

async function benchOne(backend: Backend, target: string, w: Workload, dtype: DType): Promise<Row[]> {
  const { x, a0, da, p } = inputs(w, dtype);
  const keep = new Set<Tensor>([x, a0, da, ...Object.values(p)]);
  const opts = { backend };
  const budgetMs = w.name === 'seed' ? 2_000 : 20_000;
  const forward = await measure(async () => {
    const out = lstmForward(x, a0, p, opts);
    await out.a.data();
    disposeDeep(out, keep);
  }, { budgetMs });
  const both = await measure(async () => {
    const out = lstmForward(x, a0, p, opts);
    const g = lstmBackward(da, out.caches, opts);
    await g.dWf.data();
    disposeDeep(g, keep);
    disposeDeep(out, keep);
  }, { budgetMs });
  for (const t of keep) t.dispose();
  const row = (pass: string, r: typeof forward, flops: number): Row => ({
    target, workload: `${w.name} (n_x=${w.nX} n_a=${w.nA} m=${w.m} T_x=${w.T})`, dtype, pass,
    firstMs: r.firstMs, medianMs: r.medianMs, gflops: flops / (r.medianMs * 1e6), runs: r.runs,
  });
  return [row('forward', forward, lstmForwardFlops(w)), row('forward+backward', both, lstmForwardBackwardFlops(w))];
}

function table(rows: readonly Row[]): string {
  const head = ['backend', 'workload', 'dtype', 'pass', 'first ms', 'median ms', 'GFLOP/s', 'runs'];
  const body = rows.map((r) => [r.target, r.workload, r.dtype, r.pass, r.firstMs.toFixed(2), r.medianMs.toFixed(2), r.gflops.toFixed(3), String(r.runs)]);
  return [head, head.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const workloadIndex = argv.indexOf('--workload');
  const onlyWorkload = workloadIndex >= 0 ? argv[workloadIndex + 1] : undefined;
  const only = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--workload');
  const rows: Row[] = [];
  const targets = TARGETS.filter((t) => only.length === 0 || only.includes(t.label));
  for (const t of targets) {
    const backend = await t.create();
    const label = `${t.label} (${backend.mode})`;
    try {
      for (const w of WORKLOADS.filter((x) => onlyWorkload === undefined || x.name === onlyWorkload)) {
        for (const dtype of w.dtypes.filter((d) => t.dtypes.includes(d))) {
          process.stderr.write(`bench: ${label} ${w.name} ${dtype} …\n`);
          const got = await benchOne(backend, label, w, dtype);
          for (const r of got) process.stderr.write(`  ${r.pass}: median ${r.medianMs.toFixed(2)} ms, ${r.gflops.toFixed(3)} GFLOP/s\n`);
          rows.push(...got);
        }
      }
    } finally {
      backend.dispose();
    }
  }
  console.log('\nLSTM sequence, median of timed runs after warm-up (first ms = the very first call, compile included)\n');
  console.log(table(rows));
  console.log('\nGFLOP/s counts the matrix products only: 4 gates + output layer forward; twice the gate products more for backward.');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
