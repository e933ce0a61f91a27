/** One line of a chart: `[x, y]` points. */
export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  /** Dots rather than a line. */
  readonly dots?: boolean;
  /** Radius of the dots (default 3.5). */
  readonly radius?: number;
  /** A dashed line. */
  readonly dashed?: boolean;
}

/** What a chart shows besides its series. */
export interface ChartOptions {
  readonly title: string;
  /** Under the right end of the x axis, after its largest value: `iterations`. */
  readonly xLabel: string;
  /** Along the y axis: `nats per character`. */
  readonly yLabel: string;
  /** Spacing of the horizontal grid lines (and of the rounding of the y range). */
  readonly yStep: number;
  /** A horizontal dashed reference line, e.g. the n-gram baseline. */
  readonly baseline?: { readonly label: string; readonly value: number } | undefined;
  /** The smallest x value (default 0). */
  readonly minX?: number | undefined;
}

const W = 720;
const H = 360;
const PAD = { left: 56, right: 180, top: 36, bottom: 44 };

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A line chart as a standalone SVG document, in the demo's one style: white, grey grid lines with
 * their values on the left, the series as 2-pixel lines (or dots), a legend on the right, an
 * optional dashed baseline.
 */
export function chartSvg(series: readonly ChartSeries[], options: ChartOptions): string {
  const { title, xLabel, yLabel, yStep, baseline } = options;
  const xs = series.flatMap((s) => s.points.map(([i]) => i));
  const ys = [...series.flatMap((s) => s.points.map(([, v]) => v)), ...(baseline === undefined ? [] : [baseline.value])].filter(Number.isFinite);
  const minX = options.minX ?? 0;
  const maxX = Math.max(minX + 1, ...xs);
  const top = Math.ceil(Math.max(...ys) / yStep) * yStep;
  const bottom = Math.floor(Math.min(...ys) / yStep) * yStep;
  const x = (i: number): number => PAD.left + ((W - PAD.left - PAD.right) * (i - minX)) / (maxX - minX);
  const y = (v: number): number => PAD.top + ((H - PAD.top - PAD.bottom) * (top - v)) / Math.max(1e-9, top - bottom);
  const decimals = yStep >= 1 ? 0 : yStep >= 0.1 ? 1 : 2;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${PAD.left}" y="20" font-size="14">${escape(title)}</text>`,
  ];
  for (let v = bottom; v <= top + 1e-9; v += yStep) {
    out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${(Math.abs(v) < 1e-9 ? 0 : v).toFixed(Math.max(decimals, 2))}</text>`);
  }
  out.push(`<text x="${PAD.left}" y="${H - 12}" fill="#555">${minX}</text>`);
  out.push(`<text x="${W - PAD.right}" y="${H - 12}" text-anchor="end" fill="#555">${maxX} ${escape(xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${H / 2}) rotate(-90)" text-anchor="middle" fill="#555">${escape(yLabel)}</text>`);
  if (baseline !== undefined) {
    out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(baseline.value).toFixed(1)}" y2="${y(baseline.value).toFixed(1)}" stroke="#888" stroke-dasharray="6 4"/>`);
  }
  const legend = (row: number, color: string, label: string, mark: 'line' | 'dot' | 'dashed'): void => {
    const ly = PAD.top + 10 + row * 20;
    if (mark === 'dot') out.push(`<circle cx="${W - PAD.right + 24}" cy="${ly}" r="3.5" fill="${color}"/>`);
    else out.push(`<line x1="${W - PAD.right + 12}" x2="${W - PAD.right + 36}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${mark === 'dashed' ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${W - PAD.right + 42}" y="${ly + 4}">${escape(label)}</text>`);
  };
  series.forEach((s, row) => {
    if (s.dots === true) {
      for (const [i, v] of s.points) out.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="${s.radius ?? 3.5}" fill="${s.color}"/>`);
    } else if (s.points.length > 0) {
      const d = s.points.map(([i, v], k) => `${k === 0 ? 'M' : 'L'}${x(i).toFixed(1)} ${y(v).toFixed(1)}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed === true ? ' stroke-dasharray="6 4"' : ''}/>`);
    }
    legend(row, s.color, s.label, s.dots === true ? 'dot' : s.dashed === true ? 'dashed' : 'line');
  });
  if (baseline !== undefined) legend(series.length, '#888', `${baseline.label} ${baseline.value.toFixed(3)}`, 'dashed');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
