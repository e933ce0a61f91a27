import type { NestedArray } from '@rnn/tensor';

/**
 * Formats numbers the way NumPy prints arrays by default: at most 8 fractional digits with
 * trailing zeros dropped, aligned on the decimal point, wrapped at 75 characters.
 */
export function formatNumpy(values: NestedArray): string {
  if (typeof values === 'number') return formatScalar(values);
  const flat = flatten(values);
  const parts = flat.map(splitNumber);
  const intWidth = Math.max(...parts.map((p) => p.int.length));
  const fracWidth = Math.max(...parts.map((p) => p.frac.length));
  const cell = (p: { int: string; frac: string }): string => p.int.padStart(intWidth) + (fracWidth > 0 ? `.${p.frac}`.padEnd(fracWidth + 1) : '');
  return render(values, (v) => cell(splitNumber(v)), 1);
}

/** `(5, 10)`: a shape as NumPy prints it. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function formatScalar(v: number): string {
  const { int, frac } = splitNumber(v);
  return frac.length > 0 ? `${int}.${frac}` : `${int}.`;
}

function splitNumber(v: number): { int: string; frac: string } {
  if (Number.isNaN(v)) return { int: 'nan', frac: '' };
  if (!Number.isFinite(v)) return { int: v > 0 ? 'inf' : '-inf', frac: '' };
  const fixed = v.toFixed(8).replace(/0+$/, '');
  const [int = '0', frac = ''] = fixed.split('.');
  return { int: int === '-0' && Object.is(v, -0) ? '-0' : int, frac };
}

function flatten(values: NestedArray[]): number[] {
  const out: number[] = [];
  const walk = (v: NestedArray): void => (Array.isArray(v) ? v.forEach(walk) : void out.push(v));
  values.forEach(walk);
  return out;
}

function render(values: NestedArray[], cell: (v: number) => string, depth: number): string {
  if (values.every((v) => typeof v === 'number')) {
    const lines: string[] = [];
    let line = '[';
    for (const [i, v] of (values as number[]).entries()) {
      const text = cell(v);
      const sep = i === 0 ? '' : ' ';
      if (line.length + sep.length + text.length + 1 > 75 && i > 0) {
        lines.push(line);
        line = ' '.repeat(depth) + text;
      } else line += sep + text;
    }
    lines.push(`${line}]`);
    return lines.join('\n');
  }
  const inner = values.map((v) => render(v as NestedArray[], cell, depth + 1));
  return `[${inner.join(`\n${' '.repeat(depth)}`)}]`;
}
