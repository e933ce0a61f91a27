import type { DataArray, DType } from '@rnn/tensor';
import type { Engine, EngineOps } from './engine.js';

const ALIGN = 16;

/**
 * Scratch memory of one kernel call on an engine's heap: a bump allocator that starts over at
 * every call. Regions are 16-byte aligned (whole SIMD vectors) and are not zeroed unless asked.
 */
export class Workspace {
  readonly ops: EngineOps;
  readonly #engine: Engine;
  readonly #bytes: number;
  #top = 0;

  constructor(engine: Engine, dtype: DType) {
    this.#engine = engine;
    this.ops = engine.ops(dtype);
    this.#bytes = dtype === 'float32' ? 4 : 8;
  }

  /** A region of `n` elements; returns its element index. */
  alloc(n: number): number {
    const start = Math.ceil(this.#top / ALIGN) * ALIGN;
    this.#top = start + n * this.#bytes;
    this.#engine.reserve(this.#top);
    return start / this.#bytes;
  }

  /** A region of `n` zeros. */
  zeros(n: number): number {
    const p = this.alloc(n);
    this.ops.heap().fill(0, p, p + n);
    return p;
  }

  /** A region holding a copy of `values`. */
  write(values: ArrayLike<number>): number {
    const p = this.alloc(values.length);
    this.ops.heap().set(values, p);
    return p;
  }

  /** A region holding `parts` one after another. */
  writeAll(parts: readonly ArrayLike<number>[]): number {
    const total = parts.reduce((n, part) => n + part.length, 0);
    const p = this.alloc(total);
    const heap = this.ops.heap();
    let at = p;
    for (const part of parts) {
      heap.set(part, at);
      at += part.length;
    }
    return p;
  }

  /** A copy of `n` elements from `p`, as a new typed array of the workspace's dtype. */
  read(p: number, n: number): DataArray {
    return this.ops.heap().slice(p, p + n);
  }
}
