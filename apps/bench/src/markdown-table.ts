/** A markdown table: a header row, its rule and one row per entry. */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/**
 * How many times faster a row is than a base measured in the same run: `baseMs / ms`
 * (above 1× = this row is faster), or `–` where the base was not measured.
 */
export function speedup(baseMs: number | undefined, ms: number): string {
  return baseMs === undefined ? '–' : `${(baseMs / ms).toFixed(2)}×`;
}
