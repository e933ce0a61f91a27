/**
 * First-fit allocation of 16-byte-aligned blocks in an engine's heap, with neighbouring free
 * blocks merged. The heap only grows (WebAssembly memory cannot shrink); `reserve` is the
 * engine's way to grow it. Blocks are byte offsets.
 */
export class HeapAllocator {
  /** Free blocks `[start, end)`, sorted by start, never adjacent. */
  readonly #free: { start: number; end: number }[] = [];
  readonly #sizes = new Map<number, number>();
  readonly #reserve: (bytes: number) => void;
  #top: number;

  /** `base` bytes at the start of the heap are left alone (a null page). */
  constructor(reserve: (bytes: number) => void, base = 1024) {
    this.#reserve = reserve;
    this.#top = base;
  }

  /** Bytes in live blocks. */
  get liveBytes(): number {
    let sum = 0;
    for (const size of this.#sizes.values()) sum += size;
    return sum;
  }

  /** A block of at least `bytes`; returns its offset. */
  alloc(bytes: number): number {
    const size = Math.max(16, Math.ceil(bytes / 16) * 16);
    for (let i = 0; i < this.#free.length; i++) {
      const block = this.#free[i] as { start: number; end: number };
      if (block.end - block.start >= size) {
        const start = block.start;
        block.start += size;
        if (block.start === block.end) this.#free.splice(i, 1);
        this.#sizes.set(start, size);
        return start;
      }
    }
    const last = this.#free[this.#free.length - 1];
    const start = last !== undefined && last.end === this.#top ? last.start : this.#top;
    if (last !== undefined && last.end === this.#top) this.#free.pop();
    this.#top = start + size;
    this.#reserve(this.#top);
    this.#sizes.set(start, size);
    return start;
  }

  /** Gives a block back. Freeing an unknown offset throws: it would corrupt the heap. */
  free(start: number): void {
    const size = this.#sizes.get(start);
    if (size === undefined) throw new Error(`HeapAllocator.free: ${start} is not a live block`);
    this.#sizes.delete(start);
    const end = start + size;
    let i = 0;
    while (i < this.#free.length && (this.#free[i] as { start: number }).start < start) i++;
    const before = this.#free[i - 1];
    const after = this.#free[i];
    if (before !== undefined && before.end === start) {
      before.end = end;
      if (after !== undefined && after.start === end) {
        before.end = after.end;
        this.#free.splice(i, 1);
      }
    } else if (after !== undefined && after.start === end) {
      after.start = start;
    } else {
      this.#free.splice(i, 0, { start, end });
    }
  }
}
