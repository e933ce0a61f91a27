import { RandomState } from '@rnn/tensor';

/** How the example's series is made: two seasons and noise, `value(t) = sin(2πt/24) + 0.5·sin(2πt/100 + 1) + noise·N(0, 1)`. */
export interface SeriesOptions {
  /** Steps in the series. */
  readonly length: number;
  /** Standard deviation of the noise. */
  readonly noise: number;
  /** Seed of the noise. */
  readonly seed: number;
}

/** A noisy seasonal series: a daily cycle of 24 steps, a slower one of 100, Gaussian noise (seeded). */
export function seasonalSeries({ length, noise, seed }: SeriesOptions): number[] {
  const rng = new RandomState(seed);
  return Array.from({ length }, (_, t) => Math.sin((2 * Math.PI * t) / 24) + 0.5 * Math.sin((2 * Math.PI * t) / 100 + 1) + noise * rng.nextGaussian());
}

/** Windows of a series: `inputs[k]` is `window` steps of one feature, `targets[k]` the value right after them, at `at[k]`. */
export interface Windows {
  readonly inputs: number[][][];
  readonly targets: number[][];
  /** The index in the series of each target. */
  readonly at: number[];
}

/** Every window whose target lies in `[from, to)` of the series. */
export function windowsOf(series: readonly number[], window: number, from: number, to: number): Windows {
  const inputs: number[][][] = [];
  const targets: number[][] = [];
  const at: number[] = [];
  for (let t = Math.max(from, window); t < to; t++) {
    inputs.push(series.slice(t - window, t).map((v) => [v]));
    targets.push([series[t] as number]);
    at.push(t);
  }
  return { inputs, targets, at };
}

/** Mean squared error of predictions against targets. */
export function meanSquaredError(predicted: readonly number[], actual: readonly number[]): number {
  return predicted.reduce((sum, p, i) => sum + (p - (actual[i] as number)) ** 2, 0) / predicted.length;
}
