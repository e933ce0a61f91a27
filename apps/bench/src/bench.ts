import { parseBenchArgs, usage, UsageError, type Section } from './options.js';
import { GEMM_WORKLOADS, runGemmSection } from './sections/gemm.js';
import { runLstmSection } from './sections/lstm.js';
import { runScalingSection } from './sections/scaling.js';
import { runThreadsSection, THREADS_WORKLOADS } from './sections/threads.js';
import { RUNNERS } from './targets.js';
import { WORKLOADS } from './workloads.js';

/**
 * `pnpm bench [runner…] [--section lstm|gemm|scaling|threads] [--workload seed|medium|large]`: the LSTM
 * table (our backends and the peers side by side), the GEMM table (our product against
 * tfjs-wasm's) the scaling table (our cpu backend against T_x and n_a) and the threads table (our cpu
 * backend on 1, 2 and all cores); all four by default.
 * Progress goes to stderr, the markdown tables to stdout.
 */
async function main(): Promise<void> {
  const runnerNames = Object.keys(RUNNERS);
  const plan = parseBenchArgs(process.argv.slice(2), runnerNames);
  if (plan.help) {
    console.log(usage(runnerNames));
    return;
  }
  const only = plan.workload;
  const run: Record<Section, () => Promise<void>> = {
    lstm: () => runLstmSection(RUNNERS, plan.runners, only === undefined ? WORKLOADS : [only]),
    gemm: () => runGemmSection(only === undefined ? WORKLOADS.filter((w) => GEMM_WORKLOADS.includes(w.name)) : [only]),
    scaling: () => runScalingSection(),
    threads: () => runThreadsSection(only === undefined ? WORKLOADS.filter((w) => THREADS_WORKLOADS.includes(w.name)) : [only]),
  };
  for (const section of plan.sections) await run[section]();
}

main().catch((e: unknown) => {
  if (e instanceof UsageError) {
    console.error(`bench: ${e.message}\n\n${usage(Object.keys(RUNNERS))}`);
    process.exitCode = 2;
    return;
  }
  console.error(e);
  process.exitCode = 1;
});
