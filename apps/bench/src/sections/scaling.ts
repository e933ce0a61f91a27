import { createCpuBackend } from '@rnn/backend-cpu';
import { markdownTable } from '../markdown-table.js';
import { backendRunner } from '../targets.js';
import { measure } from '../timing.js';
import { lstmForwardBackwardFlops, lstmForwardFlops, type Workload } from '../workloads.js';

/** Sequence lengths of the T_x sweep (at n_a = 128) and hidden sizes of the n_a sweep (at T_x = 100). */
export const SCALING = { T: [50, 100, 200, 400], nA: [64, 128, 256, 512], fixedNA: 128, fixedT: 100, nX: 64, m: 32 } as const;

/** Timed runs per pass and the budget after which fewer are taken (at least 3): kept small so the sweep stays within about a minute or two. */
const RUNS = { runs: 5, budgetMs: 4_000 } as const;

interface Point {
  readonly w: Workload;
  readonly forwardMs: number;
  readonly forwardBackwardMs: number;
}

/**
 * The scaling section: our cpu backend (float32, the default engine) through `lstmForward` and
 * `lstmForward`+`lstmBackward`, against the sequence length `T_x` and the hidden size `n_a`.
 * Time must be linear in `T_x`: the T table prints `(time(T)/T) ÷ (time(T₀)/T₀)` for the
 * shortest `T₀`, which stays near 1 when it is.
 */
export async function runScalingSection(): Promise<void> {
  const backend = createCpuBackend();
  const runner = backendRunner(backend, ['float32']);
  const point = async (nA: number, T: number): Promise<Point> => {
    const w: Workload = { name: `n_a=${nA} T_x=${T}`, nX: SCALING.nX, nA, m: SCALING.m, T, dtypes: ['float32'] };
    process.stderr.write(`bench: scaling · ${runner.label} · ${w.name}\n`);
    const prepared = await runner.prepare(w, 'float32');
    try {
      const forward = await measure(() => prepared.forward(), RUNS);
      const fb = prepared.forwardBackward;
      if (fb === undefined) throw new Error(`runScalingSection: ${runner.label} has no forward+backward`);
      const forwardBackward = await measure(fb, RUNS);
      process.stderr.write(`  forward: median ${forward.medianMs.toFixed(2)} ms, forward+backward: median ${forwardBackward.medianMs.toFixed(2)} ms\n`);
      return { w, forwardMs: forward.medianMs, forwardBackwardMs: forwardBackward.medianMs };
    } finally {
      prepared.dispose();
    }
  };
  try {
    const overT: Point[] = [];
    for (const T of SCALING.T) overT.push(await point(SCALING.fixedNA, T));
    const overNA: Point[] = [];
    for (const nA of SCALING.nA) overNA.push(overT.find((p) => p.w.nA === nA && p.w.T === SCALING.fixedT) ?? (await point(nA, SCALING.fixedT)));

    const t0 = overT[0];
    if (t0 === undefined) throw new Error('runScalingSection: no T_x point');
    const linear = (ms: number, T: number, ms0: number) => ((ms / T) / (ms0 / t0.w.T)).toFixed(2);
    const gflops = (flops: number, ms: number) => (flops / (ms * 1e6)).toFixed(2);
    console.log(`\n## Scaling of ${runner.label}, float32 (n_x=${SCALING.nX}, m=${SCALING.m})\n`);
    console.log(`Median of ${RUNS.runs} timed runs after warm-up (fewer past ${RUNS.budgetMs / 1000} s, at least 3). "per step" = median ÷ T_x;`);
    console.log(`"÷ T=${t0.w.T}" = (median/T_x) ÷ (median/T_x at T_x=${t0.w.T}): 1.00 everywhere means time linear in T_x.\n`);
    console.log(`### Against T_x (n_a=${SCALING.fixedNA})\n`);
    console.log(markdownTable(
      ['T_x', 'forward ms', 'forward ms/step', `forward ÷ T=${t0.w.T}`, 'fwd+bwd ms', 'fwd+bwd ms/step', `fwd+bwd ÷ T=${t0.w.T}`],
      overT.map((p) => [String(p.w.T), p.forwardMs.toFixed(2), (p.forwardMs / p.w.T).toFixed(3), linear(p.forwardMs, p.w.T, t0.forwardMs), p.forwardBackwardMs.toFixed(2), (p.forwardBackwardMs / p.w.T).toFixed(3), linear(p.forwardBackwardMs, p.w.T, t0.forwardBackwardMs)]),
    ));
    console.log(`\n### Against n_a (T_x=${SCALING.fixedT})\n`);
    console.log(markdownTable(
      ['n_a', 'forward ms', 'forward ms/step', 'forward GFLOP/s', 'fwd+bwd ms', 'fwd+bwd ms/step', 'fwd+bwd GFLOP/s'],
      overNA.map((p) => [String(p.w.nA), p.forwardMs.toFixed(2), (p.forwardMs / p.w.T).toFixed(3), gflops(lstmForwardFlops(p.w), p.forwardMs), p.forwardBackwardMs.toFixed(2), (p.forwardBackwardMs / p.w.T).toFixed(3), gflops(lstmForwardBackwardFlops(p.w), p.forwardBackwardMs)]),
    ));
  } finally {
    runner.close();
  }
}
