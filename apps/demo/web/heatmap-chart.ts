import { fitCanvas } from './canvas-size.js';
import type { HeatmapData } from './protocol.js';

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
 * Draws the bottom layer's activations and states over the characters of a name, one panel each
 * as the cell's description lists them (the LSTM's gates, candidate and states; the GRU's gates,
 * candidate parts and state; the RNN's state): hidden units down, characters across. The canvas
 * takes the width of its box; on a narrow one each panel's title and key go above its cells.
 */
export function drawHeatmap(canvas: HTMLCanvasElement, data: HeatmapData): void {
  const steps = data.labels.length;
  const units = data.panels[0]?.values[0]?.length ?? 0;
  if (steps === 0 || units === 0) return;
  const width = Math.max(200, Math.floor(canvas.clientWidth || 640));
  const beside = width >= 480;
  const left = beside ? 118 : 4;
  const head = beside ? 0 : 38;
  const cellW = Math.max(3, Math.min(28, Math.floor((width - left - 8) / steps)));
  const cellH = Math.max(2, Math.min(5, Math.floor(100 / units)));
  const panelH = head + Math.max(beside ? 48 : 0, units * cellH + 22);
  const sized = fitCanvas(canvas, data.panels.length * panelH + 8);
  if (sized === null) return;
  const { g } = sized;
  g.font = '12px system-ui, sans-serif';
  data.panels.forEach(({ title, values, diverging }, p) => {
    const limit = Math.max(1e-6, ...values.flatMap((s) => s.map((v) => Math.abs(v))));
    const top = p * panelH + 4;
    const cells = top + head;
    g.fillStyle = '#333';
    g.fillText(title, 4, top + 14);
    drawKey(g, beside ? 4 : width - 100, top + (beside ? 22 : 6), diverging ? (v) => divergingColor(v, limit) : rampColor, diverging ? [-limit, limit] : [0, 1]);
    for (let t = 0; t < steps; t++) {
      const column = values[t] ?? [];
      for (let u = 0; u < units; u++) {
        const v = column[u] ?? 0;
        g.fillStyle = diverging ? divergingColor(v, limit) : rampColor(v);
        g.fillRect(left + t * cellW, cells + u * cellH, Math.max(1, cellW - 1), cellH);
      }
      if (cellW >= 7) {
        g.fillStyle = '#333';
        g.fillText(data.labels[t] ?? '', left + t * cellW + cellW / 2 - 4, cells + units * cellH + 14);
      }
    }
  });
}

/** The heatmap in words, for its `aria-describedby`: per panel, the mean and range of its values. */
export function heatmapSummary(data: HeatmapData): string {
  const units = data.panels[0]?.values[0]?.length ?? 0;
  const panels = data.panels.map(({ title, values }) => {
    const all = values.flat();
    const mean = all.reduce((s, v) => s + v, 0) / Math.max(1, all.length);
    return `${title}: mean ${mean.toFixed(2)}, from ${Math.min(...all).toFixed(2)} to ${Math.max(...all).toFixed(2)}`;
  });
  return `${data.cell.toUpperCase()} first layer, ${units} units, over the ${data.labels.length} steps of “${data.labels.join('')}”. ${panels.join('; ')}.`;
}
