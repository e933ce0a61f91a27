import type { HeatmapData } from './protocol.js';

/** One line on the loss chart. */
export interface Series {
  readonly label: string;
  readonly color: string;
  /** `[iteration, nats per character]`. */
  readonly points: readonly (readonly [number, number])[];
  /** Draw as dots (held-out evaluations) rather than a line. */
  readonly dots?: boolean;
}

const PAD = { left: 48, right: 12, top: 14, bottom: 28 };

/**
 * Draws loss curves on a canvas: iterations across, nats per character up, with an optional
 * dashed reference line (the 3-gram baseline).
 */
export function drawLossChart(canvas: HTMLCanvasElement, series: readonly Series[], maxIteration: number, baseline?: number): void {
  const g = canvas.getContext('2d');
  if (g === null) return;
  const { width, height } = canvas;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, width, height);
  const values = series.flatMap((s) => s.points.map(([, v]) => v)).filter(Number.isFinite);
  if (baseline !== undefined) values.push(baseline);
  const top = Math.min(4, Math.max(2, ...values) + 0.1);
  const bottom = Math.max(0, Math.min(1.4, ...values) - 0.1);
  const x = (i: number): number => PAD.left + ((width - PAD.left - PAD.right) * i) / Math.max(1, maxIteration);
  const y = (v: number): number => PAD.top + ((height - PAD.top - PAD.bottom) * (top - Math.min(top, Math.max(bottom, v)))) / (top - bottom);

  g.strokeStyle = '#ddd';
  g.fillStyle = '#555';
  g.font = '11px system-ui, sans-serif';
  g.lineWidth = 1;
  for (let v = Math.ceil(bottom * 4) / 4; v <= top; v += 0.25) {
    g.beginPath();
    g.moveTo(PAD.left, y(v));
    g.lineTo(width - PAD.right, y(v));
    g.stroke();
    g.fillText(v.toFixed(2), 6, y(v) + 4);
  }
  g.fillText('iteration', width - PAD.right - 50, height - 8);
  g.fillText('0', PAD.left, height - 8);
  g.fillText(String(maxIteration), width - PAD.right - 90, height - 8);

  if (baseline !== undefined) {
    g.strokeStyle = '#888';
    g.setLineDash([6, 4]);
    g.beginPath();
    g.moveTo(PAD.left, y(baseline));
    g.lineTo(width - PAD.right, y(baseline));
    g.stroke();
    g.setLineDash([]);
    g.fillText(`3-gram ${baseline.toFixed(3)}`, width - PAD.right - 100, y(baseline) - 4);
  }
  for (const s of series) {
    g.strokeStyle = s.color;
    g.fillStyle = s.color;
    g.lineWidth = 2;
    if (s.dots === true) {
      for (const [i, v] of s.points) {
        g.beginPath();
        g.arc(x(i), y(v), 3.5, 0, 2 * Math.PI);
        g.fill();
      }
      continue;
    }
    g.beginPath();
    s.points.forEach(([i, v], k) => (k === 0 ? g.moveTo(x(i), y(v)) : g.lineTo(x(i), y(v))));
    g.stroke();
  }
  let legendY = PAD.top + 10;
  for (const s of series) {
    g.fillStyle = s.color;
    g.fillRect(width - PAD.right - 190, legendY - 8, 10, 10);
    g.fillStyle = '#333';
    g.fillText(s.label, width - PAD.right - 175, legendY + 1);
    legendY += 15;
  }
}

/** Gate values in [0, 1] → a dark-blue … yellow ramp (viridis-like). */
function rampColor(v: number): string {
  const t = Math.min(1, Math.max(0, v));
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const f = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(f));
  const a = stops[i] ?? [0, 0, 0];
  const b = stops[i + 1] ?? [0, 0, 0];
  const mix = (k: number): number => Math.round((a[k] ?? 0) + ((b[k] ?? 0) - (a[k] ?? 0)) * (f - i));
  return `rgb(${mix(0)},${mix(1)},${mix(2)})`;
}

/** Cell state → blue (negative), white (0), red (positive), scaled by `limit`. */
function divergingColor(v: number, limit: number): string {
  const t = Math.max(-1, Math.min(1, v / limit));
  const fade = Math.round(255 * (1 - Math.abs(t)));
  return t >= 0 ? `rgb(255,${fade},${fade})` : `rgb(${fade},${fade},255)`;
}

/** A colour key: a 90-pixel bar from `range[0]` to `range[1]`, with both ends labelled. */
function drawKey(g: CanvasRenderingContext2D, x: number, y: number, color: (v: number) => string, range: readonly [number, number]): void {
  const [lo, hi] = range;
  for (let k = 0; k < 90; k++) {
    g.fillStyle = color(lo + ((hi - lo) * k) / 89);
    g.fillRect(x + k, y, 1, 8);
  }
  g.strokeStyle = '#999';
  g.strokeRect(x - 0.5, y - 0.5, 91, 9);
  g.fillStyle = '#555';
  g.font = '10px system-ui, sans-serif';
  const label = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(1));
  g.fillText(label(lo), x, y + 19);
  g.fillText(label(hi), x + 90 - g.measureText(label(hi)).width, y + 19);
  g.font = '12px system-ui, sans-serif';
}

/**
 * Draws the bottom layer's activations and states over the characters of a sampled name, one
 * panel each as the cell's description lists them (the LSTM's gates, candidate and states; the
 * GRU's gates, candidate parts and state; the RNN's state): hidden units down, characters across.
 */
export function drawHeatmap(canvas: HTMLCanvasElement, data: HeatmapData): void {
  const steps = data.labels.length;
  const units = data.panels[0]?.values[0]?.length ?? 0;
  const g = canvas.getContext('2d');
  if (g === null || steps === 0 || units === 0) return;
  const left = 118;
  const cellW = Math.max(6, Math.min(28, Math.floor((canvas.width - left - 10) / steps)));
  const cellH = Math.max(2, Math.min(5, Math.floor(100 / units)));
  const panelH = Math.max(48, units * cellH + 22);
  canvas.height = data.panels.length * panelH + 8;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.font = '12px system-ui, sans-serif';
  data.panels.forEach(({ title, values, diverging }, p) => {
    const limit = Math.max(1e-6, ...values.flatMap((s) => s.map((v) => Math.abs(v))));
    const top = p * panelH + 4;
    g.fillStyle = '#333';
    g.fillText(title, 4, top + 14);
    drawKey(g, 4, top + 22, diverging ? (v) => divergingColor(v, limit) : rampColor, diverging ? [-limit, limit] : [0, 1]);
    for (let t = 0; t < steps; t++) {
      const column = values[t] ?? [];
      for (let u = 0; u < units; u++) {
        const v = column[u] ?? 0;
        g.fillStyle = diverging ? divergingColor(v, limit) : rampColor(v);
        g.fillRect(left + t * cellW, top + u * cellH, cellW - 1, cellH);
      }
      g.fillStyle = '#333';
      g.fillText(data.labels[t] ?? '', left + t * cellW + cellW / 2 - 4, top + units * cellH + 14);
    }
  });
}
