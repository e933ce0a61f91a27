/**
 * `[lo, hi)` cut into at most `parts` contiguous pieces of near-equal length whose inner
 * boundaries are multiples of `align` (so each piece starts on a packed panel or a vector);
 * empty pieces are dropped. One piece is `[[lo, hi]]`.
 */
export function splitRange(lo: number, hi: number, parts: number, align: number): (readonly [number, number])[] {
  if (parts <= 1 || hi - lo <= align) return [[lo, hi]];
  const out: (readonly [number, number])[] = [];
  let start = lo;
  for (let k = 1; k <= parts; k++) {
    const end = k === parts ? hi : Math.min(hi, lo + Math.round(((hi - lo) * k) / parts / align) * align);
    if (end > start) out.push([start, end]);
    start = Math.max(start, end);
  }
  return out;
}
