import { chartSvg } from './chart-svg.js';

/** One curve of the loss picture: `[iteration, nats per character]` points. */
export interface LossSeries {
  readonly label: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  /** Dots (held-out evaluations) rather than a line. */
  readonly dots?: boolean;
}

/**
 * The training run as a picture: loss curves against iterations, the held-out evaluations as
 * dots, and a dashed line for the n-gram baseline. Returns a standalone SVG document.
 */
export function lossCurveSvg(title: string, series: readonly LossSeries[], baseline: { label: string; value: number }): string {
  return chartSvg(series, { title, xLabel: 'iterations', yLabel: 'nats per character', yStep: 0.25, baseline });
}
