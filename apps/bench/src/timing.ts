/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Times `fn` after `warmup` untimed runs: `runs` timed runs, or fewer once `budgetMs` is spent (at least 3). */
export async function measure(fn: () => Promise<void>, { warmup = 2, runs = 9, budgetMs = 15_000 } = {}): Promise<{ medianMs: number; runs: number; firstMs: number }> {
  const t0 = performance.now();
  await fn();
  const firstMs = performance.now() - t0;
  for (let i = 1; i < warmup; i++) await fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < runs && (times.length < 3 || performance.now() - start < budgetMs)) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return { medianMs: median(times), runs: times.length, firstMs };
}
