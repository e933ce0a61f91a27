import { availableParallelism } from 'node:os';
import { createCpuBackend } from '@rnn/backend-cpu';
import type { DType } from '@rnn/tensor';
import { markdownTable } from '../markdown-table.js';
import { backendRunner } from '../targets.js';
import { measure } from '../timing.js';
import { workloadLabel, type Workload } from '../workloads.js';

/** The workloads of the threads section when `--workload` is not given. */
export const THREADS_WORKLOADS = ['medium', 'large'];

/** Thread counts compared: 1, 2 and every core of this machine (when it has more than 2). */
export function threadCounts(cores = availableParallelism()): number[] {
  return [...new Set([1, 2, Math.max(1, cores)])].sort((a, b) => a - b);
}

/**
 * The threads section: our cpu backend (wasm-simd) with `threads: 1`, `2` and one per core, on the
 * same LSTM forward and forward+backward, so the README's advice on `threads` and the engine's
 * `SPLIT_MIN_WORK` rest on a measurement. Every row says how many engine calls were split.
 */
export async function runThreadsSection(workloads: readonly Workload[]): Promise<void> {
  const rows: string[][] = [];
  const cores = availableParallelism();
  for (const w of workloads) {
    for (const dtype of w.dtypes as readonly DType[]) {
      let single: { fwd: number; fb: number } | undefined;
      for (const threads of threadCounts(cores)) {
        const backend = createCpuBackend({ engine: 'wasm-simd', threads });
        await backend.ready();
        const runner = backendRunner(backend, [dtype]);
        process.stderr.write(`bench: threads · ${workloadLabel(w)} · ${dtype} · threads=${threads} (${backend.threads} started${backend.threadsUnavailable === undefined ? '' : `: ${backend.threadsUnavailable}`})\n`);
        const prepared = await runner.prepare(w, dtype);
        try {
          const before = backend.splitCalls;
          const fwd = await measure(() => prepared.forward(), { runs: 7, budgetMs: 6_000 });
          const fbRun = prepared.forwardBackward;
          if (fbRun === undefined) throw new Error('runThreadsSection: the cpu runner has no forward+backward');
          const fb = await measure(fbRun, { runs: 7, budgetMs: 6_000 });
          const split = backend.splitCalls - before;
          process.stderr.write(`  forward ${fwd.medianMs.toFixed(2)} ms, forward+backward ${fb.medianMs.toFixed(2)} ms, ${split} calls split\n`);
          single ??= { fwd: fwd.medianMs, fb: fb.medianMs };
          rows.push([workloadLabel(w), dtype, `${threads} (${backend.threads} started)`, fwd.medianMs.toFixed(2), `${(single.fwd / fwd.medianMs).toFixed(2)}×`, fb.medianMs.toFixed(2), `${(single.fb / fb.medianMs).toFixed(2)}×`, String(split)]);
        } finally {
          prepared.dispose();
          runner.close();
        }
      }
    }
  }
  console.log(`\n## Threads: the cpu backend (wasm-simd) split over worker threads (${cores} cores here)\n`);
  console.log('`createCpuBackend({ threads })` splits each large engine call (the step products and gate loops) by hidden units over');
  console.log('worker threads on shared memory. "× 1 thread" = the 1-thread median ÷ this median; "calls split" counts engine calls');
  console.log('that ran on more than one thread during the timed runs (calls under `SPLIT_MIN_WORK` multiply-adds stay on the caller).\n');
  console.log(markdownTable(['workload', 'dtype', 'threads', 'forward ms', 'fwd × 1 thread', 'fwd+bwd ms', 'fwd+bwd × 1 thread', 'calls split'], rows));
}
