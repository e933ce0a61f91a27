import type { DataArray, DType } from '@rnn/tensor';
import type { Engine, EngineOps } from './engine.js';

/**
 * The heap memory of one kernel call: regions taken from the engine's allocator and given back
 * together by `release()`, except those the call `keep`s for later (a tape). Region positions
 * are element indices of the workspace's dtype; regions are 16-byte aligned (whole SIMD
 * vectors) and not zeroed unless asked.
 */
export class Workspace {
  readonly ops: EngineOps;
  readonly engine: Engine;
  readonly dtype: DType;
  readonly #bytes: number;
  readonly #blocks = new Set<number>();

  constructor(engine: Engine, dtype: DType) {
    this.engine = engine;
    this.dtype = dtype;
    this.ops = engine.ops(dtype);
    this.#bytes = dtype === 'float32' ? 4 : 8;
  }

  /** A region of `n` elements; returns its element index. */
  alloc(n: number): number {
    const start = this.engine.allocator.alloc(n * this.#bytes);
    this.#blocks.add(start);
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

  /**
   * The step masks of a padded batch with per-example `lengths`: `T` rows of `mp` lanes, each lane
   * all ones (bits) where step `t < lengths[j]` and zero elsewhere, padding columns included.
   * Returns the element index of the `(T, mp)` region.
   */
  stepMasks(lengths: readonly number[], m: number, mp: number, T: number): number {
    const p = this.alloc(T * mp);
    const perElement = this.#bytes / 4;
    const words = new Int32Array(this.ops.heap().buffer, p * this.#bytes, T * mp * perElement);
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < mp; j++) words.fill(j < m && t < (lengths[j] as number) ? -1 : 0, (t * mp + j) * perElement, (t * mp + j + 1) * perElement);
    }
    return p;
  }

  /** A copy of `n` elements from `p`, as a new typed array of the workspace's dtype. */
  read(p: number, n: number): DataArray {
    return this.ops.heap().slice(p, p + n);
  }

  /** Takes the region at `p` out of this workspace: `release()` leaves it, the caller frees it with the allocator. */
  keep(p: number): number {
    const start = p * this.#bytes;
    if (!this.#blocks.delete(start)) throw new Error(`Workspace.keep: ${p} is not a region of this workspace`);
    return start;
  }

  /** Gives every region not kept back to the engine. */
  release(): void {
    for (const start of this.#blocks) this.engine.allocator.free(start);
    this.#blocks.clear();
  }

  /** Runs `body` on a fresh workspace and releases it afterwards, whatever happens. */
  static run<R>(engine: Engine, dtype: DType, body: (ws: Workspace) => R): R {
    const ws = new Workspace(engine, dtype);
    try {
      return body(ws);
    } finally {
      ws.release();
    }
  }
}
