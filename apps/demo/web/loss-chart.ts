import { fitCanvas } from './canvas-size.js';
import type { ChartAxes } from './state.js';

/** One run on the loss chart. */
export interface LossSeries {
  readonly label: string;
  readonly color: string;
  /** `[iteration, smoothed training loss]`, drawn as a line. */
  readonly losses: readonly (readonly [number, number])[];
  /** `[iteration, held-out loss]`, drawn as dots. */
  readonly heldOut: readonly (readonly [number, number])[];
  /** The last iteration the run covers: what it plans while it trains, what it did once it ended. */
  readonly xEnd: number;
}

/** A dashed reference line: the 3-gram on a run's data. */
export interface Baseline {
  readonly label: string;
  readonly value: number;
}

const PAD = { left: 44, right: 14, top: 20, bottom: 30 };
const DASHES = [[6, 4], [2, 3], [10, 3, 2, 3]];

/**
 * The axes that hold every run: iterations from 0 to the longest run, nats per character from
 * just below the lowest value to just above the highest, but no higher than 4 or twice the
 * highest baseline (so the untrained start does not squash the part worth reading); points above
 * are drawn at the top edge and counted in `above`.
 */
export function lossAxes(series: readonly LossSeries[], baselines: readonly Baseline[]): ChartAxes {
  const values = series.flatMap((s) => [...s.losses, ...s.heldOut].map(([, v]) => v)).filter(Number.isFinite);
  const references = baselines.map((b) => b.value).filter(Number.isFinite);
  const all = [...values, ...references];
  const cap = Math.ceil(Math.max(4, 2 * Math.max(0, ...references)) * 4) / 4;
  const yTop = Math.min(cap, Math.ceil((Math.max(2, ...all) + 0.1) * 4) / 4);
  const yBottom = Math.max(0, Math.floor((Math.min(yTop - 0.5, ...all) - 0.1) * 4) / 4);
  const xMax = Math.max(1, ...series.map((s) => s.xEnd));
  return { xMax, yBottom, yTop, above: values.filter((v) => v > yTop).length };
}

/** 1, 2 or 5 times a power of ten, near `span / 5`. */
function tickStep(span: number): number {
  const raw = Math.max(1, span / 5);
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power);
}

/**
 * Draws the runs' loss curves on `canvas` (`height` CSS pixels, as wide as its box) on axes that
 * hold them all (see `lossAxes`), with the baselines dashed. The legend is not drawn here: the
 * page lists it beside the canvas, so it never covers a curve. Returns the axes drawn.
 */
export function drawLossChart(canvas: HTMLCanvasElement, height: number, series: readonly LossSeries[], baselines: readonly Baseline[]): ChartAxes {
  const axes = lossAxes(series, baselines);
  const sized = fitCanvas(canvas, height);
  if (sized === null) return axes;
  const { g, width } = sized;
  const { xMax, yBottom, yTop } = axes;
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const x = (i: number): number => PAD.left + (plotW * i) / xMax;
  const y = (v: number): number => PAD.top + (plotH * (yTop - Math.min(yTop, Math.max(yBottom, v)))) / (yTop - yBottom);

  g.font = '11px system-ui, sans-serif';
  g.lineWidth = 1;
  g.strokeStyle = '#e2e2e2';
  g.fillStyle = '#555';
  const yStep = yTop - yBottom > 3 ? 0.5 : 0.25;
  for (let v = Math.ceil(yBottom / yStep) * yStep; v <= yTop + 1e-9; v += yStep) {
    g.beginPath();
    g.moveTo(PAD.left, y(v));
    g.lineTo(width - PAD.right, y(v));
    g.stroke();
    g.fillText(v.toFixed(2), 4, y(v) + 4);
  }
  g.fillText('nats per character', 4, 12);
  const xStep = tickStep(xMax);
  for (let i = 0; i <= xMax; i += xStep) {
    const label = i.toLocaleString('en-US');
    const at = Math.min(x(i) - g.measureText(label).width / 2, width - g.measureText(label).width - 2);
    g.fillText(label, Math.max(PAD.left - 4, at), height - PAD.bottom + 14);
  }
  const title = 'iteration';
  g.fillText(title, width - PAD.right - g.measureText(title).width, height - 3);

  g.strokeStyle = '#777';
  baselines.forEach((b, k) => {
    g.setLineDash(DASHES[k % DASHES.length] ?? []);
    g.beginPath();
    g.moveTo(PAD.left, y(b.value));
    g.lineTo(width - PAD.right, y(b.value));
    g.stroke();
  });
  g.setLineDash([]);

  for (const s of series) {
    g.strokeStyle = s.color;
    g.fillStyle = s.color;
    g.lineWidth = 2;
    g.beginPath();
    s.losses.forEach(([i, v], k) => (k === 0 ? g.moveTo(x(i), y(v)) : g.lineTo(x(i), y(v))));
    g.stroke();
    for (const [i, v] of s.heldOut) {
      g.beginPath();
      g.arc(x(i), y(v), 3.5, 0, 2 * Math.PI);
      g.fill();
    }
    for (const [i, v] of [...s.losses, ...s.heldOut]) {
      if (v > yTop) drawAbove(g, x(i), PAD.top);
    }
  }
  return axes;
}

/** ▲ just above the plot at `x`: a value beyond the top of the axis. */
function drawAbove(g: CanvasRenderingContext2D, x: number, top: number): void {
  g.beginPath();
  g.moveTo(x, top - 8);
  g.lineTo(x - 4, top - 1);
  g.lineTo(x + 4, top - 1);
  g.closePath();
  g.fill();
}

const nats = (v: number): string => v.toFixed(3);

/** The chart in words, for its `aria-describedby`: each run's first and last values, the baselines, and what lies above the axis. */
export function lossSummary(series: readonly LossSeries[], baselines: readonly Baseline[], axes: ChartAxes): string {
  if (series.length === 0) return 'Loss chart: no runs yet.';
  const runs = series.map((s) => {
    const first = s.losses[0];
    const last = s.losses[s.losses.length - 1];
    const held = s.heldOut[s.heldOut.length - 1];
    const train = first === undefined || last === undefined
      ? 'no iterations yet'
      : `training loss ${nats(first[1])} at iteration ${first[0].toLocaleString('en-US')}, ${nats(last[1])} at ${last[0].toLocaleString('en-US')}`;
    return `${s.label}: ${train}${held === undefined ? '' : `; held-out ${nats(held[1])} at ${held[0].toLocaleString('en-US')}`}.`;
  });
  const refs = baselines.map((b) => `${b.label}: ${nats(b.value)}.`);
  const above = axes.above === 0 ? '' : ` ${axes.above} ${axes.above === 1 ? 'value lies' : 'values lie'} above ${axes.yTop.toFixed(2)}, drawn as ▲ at the top edge.`;
  return `Loss chart, nats per character from ${axes.yBottom.toFixed(2)} to ${axes.yTop.toFixed(2)} against iterations 0 to ${axes.xMax.toLocaleString('en-US')}. ${[...runs, ...refs].join(' ')}${above}`;
}
