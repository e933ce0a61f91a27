/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Times `fn` after `warmup` untimed runs: `runs` timed runs, or fewer once `budgetMs` is spent
 * (at least 3). A call of many seconds gains nothing from repetition and would hold the bench for
 * minutes: warm-up stops once it took a quarter of the budget, and when the first call alone took
 * longer than the budget one timed run is enough.
 */
export async function measure(fn: () => Promise<void>, { warmup = 2, runs = 9, budgetMs = 15_000 } = {}): Promise<{ medianMs: number; runs: number; firstMs: number }> {
  const t0 = performance.now();
  await fn();
  const firstMs = performance.now() - t0;
  for (let i = 1; i < warmup && performance.now() - t0 < budgetMs / 4; i++) await fn();
  const times: number[] = [];
  const start = performance.now();
  const minRuns = firstMs > budgetMs ? 1 : 3;
  while (times.length < runs && (times.length < minRuns || performance.now() - start < budgetMs)) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return { medianMs: median(times), runs: times.length, firstMs };
}

/**
 * Times a call too short to time alone: each timed sample runs `fn` enough times to last about
 * `sampleMs` (counted from one untimed call), and the median sample is divided by that count.
 */
export function measurePerCall(fn: () => void, { sampleMs = 5, runs = 15, budgetMs = 3_000 } = {}): { medianMs: number; runs: number; callsPerRun: number } {
  let t = performance.now();
  fn();
  const once = Math.max(performance.now() - t, 1e-3);
  const callsPerRun = Math.max(1, Math.ceil(sampleMs / once));
  for (let i = 0; i < callsPerRun; i++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < runs && (times.length < 3 || performance.now() - start < budgetMs)) {
    t = performance.now();
    for (let i = 0; i < callsPerRun; i++) fn();
    times.push((performance.now() - t) / callsPerRun);
  }
  return { medianMs: median(times), runs: times.length, callsPerRun };
}
