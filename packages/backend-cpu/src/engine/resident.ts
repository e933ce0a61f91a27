import type { DataArray, DType } from '@rnn/tensor';
import type { Engine } from './engine.js';
import { Workspace } from './workspace.js';

/** Where a named array of a tape is: `length` elements at element `ptr` of the engine's heap. */
export interface Region {
  readonly ptr: number;
  readonly length: number;
}

/** A source of a tape's arrays for a kernel call: each `place` gives a heap position holding the array. */
export interface ArraySource<K extends string> {
  place(ws: Workspace, name: K): number;
}

/** Host arrays as an `ArraySource`: each is written into the workspace. */
export function hostArrays<K extends string>(values: Readonly<Record<K, DataArray>>): ArraySource<K> {
  return { place: (ws, name) => ws.write(values[name]) };
}

/**
 * Arrays one kernel call leaves in the engine's heap for a later call — a sequence forward's
 * tape for its backward — so they are neither copied out of the heap nor back in. While they
 * live there, `place` hands out their position; `evict` copies them to host memory and frees the
 * heap (the pool does this to the oldest sets when resident memory passes its budget), after
 * which `place` writes the copies back in.
 *
 * Views computed lazily from these arrays (a step's gate activations, read when a user indexes
 * the caches) are counted as `pending`; after `release()` the arrays stay until the last pending
 * view is read or released, so a view read after its tape was disposed still gets its values.
 */
export class ResidentArrays<K extends string> {
  readonly dtype: DType;
  readonly bytes: number;
  readonly #engine: Engine;
  readonly #pool: ResidentPool;
  #regions: Readonly<Record<K, Region>> | null;
  #host: Record<K, DataArray> | null = null;
  #pending = 0;
  #released = false;

  constructor(ws: Workspace, pool: ResidentPool, regions: Readonly<Record<K, Region>>) {
    this.#engine = ws.engine;
    this.dtype = ws.dtype;
    this.#pool = pool;
    const elementBytes = ws.dtype === 'float32' ? 4 : 8;
    let bytes = 0;
    for (const region of Object.values<Region>(regions)) {
      ws.keep(region.ptr);
      bytes += region.length * elementBytes;
    }
    this.bytes = bytes;
    this.#regions = regions;
    pool.add(this);
  }

  /** True while the arrays are in the engine's heap. */
  get isResident(): boolean {
    return this.#regions !== null;
  }

  /** True while the values can still be read: in the heap or copied to the host. */
  get isAvailable(): boolean {
    return this.#regions !== null || this.#host !== null;
  }

  /** The heap position of `name` for a call on `ws`: in place when resident on its engine, else a copy written in. */
  place(ws: Workspace, name: K): number {
    if (this.#regions !== null && ws.engine === this.#engine) return this.#regions[name].ptr;
    return ws.write(this.#hostArray(name));
  }

  /** A copy of `length` elements of `name` from `offset`. */
  slice(name: K, offset: number, length: number): DataArray {
    if (this.#regions !== null) {
      const p = this.#regions[name].ptr + offset;
      return this.#engine.ops(this.dtype).heap().slice(p, p + length);
    }
    return this.#hostArray(name).slice(offset, offset + length);
  }

  /**
   * A copy of the `(T, n, mp)` block of `name` starting at element `offset`, in the public layout
   * `(n, m, T)`: a time-major array transposed back with the engine.
   */
  timeLast(name: K, offset: number, n: number, m: number, steps: number, mp: number): DataArray {
    return Workspace.run(this.#engine, this.dtype, (ws) => {
      const dst = ws.alloc(n * m * steps);
      const src = this.place(ws, name) + offset;
      ws.ops.fromTimeMajor(src, n, m, steps, dst, mp);
      return ws.read(dst, n * m * steps);
    });
  }

  /** Counts one lazy view; the returned function settles it (once). */
  addPending(): () => void {
    this.#pending++;
    let settled = false;
    return () => {
      if (settled) return;
      settled = true;
      this.#pending--;
      if (this.#pending === 0 && this.#released) this.#drop();
    };
  }

  /** Copies the arrays to host memory and gives their heap blocks back. */
  evict(): void {
    const regions = this.#regions;
    if (regions === null) return;
    const heap = this.#engine.ops(this.dtype).heap();
    const host: Partial<Record<K, DataArray>> = {};
    for (const name of Object.keys(regions) as K[]) {
      const { ptr, length } = regions[name];
      host[name] = heap.slice(ptr, ptr + length);
    }
    this.#host = host as Record<K, DataArray>;
    this.#free(regions);
  }

  /** The owner is done with the arrays: they are freed now, or once no lazy view needs them any more. */
  release(): void {
    this.#released = true;
    if (this.#pending === 0) this.#drop();
  }

  #drop(): void {
    if (this.#regions !== null) this.#free(this.#regions);
    this.#host = null;
  }

  #free(regions: Readonly<Record<K, Region>>): void {
    const elementBytes = this.dtype === 'float32' ? 4 : 8;
    for (const region of Object.values<Region>(regions)) this.#engine.allocator.free(region.ptr * elementBytes);
    this.#regions = null;
    this.#pool.delete(this);
  }

  #hostArray(name: K): DataArray {
    const host = this.#host;
    if (host === null) throw new Error('ResidentArrays: the arrays were released');
    return host[name];
  }
}

/**
 * The resident array sets of one backend, oldest first. When their bytes pass `budget`, the
 * oldest are evicted to host memory, so the engine's heap (which never shrinks) stays bounded
 * even when tapes are never disposed.
 */
export class ResidentPool {
  readonly #sets = new Set<ResidentArrays<string>>();
  #bytes = 0;

  constructor(readonly budget: number) {}

  /** Bytes resident now. */
  get bytes(): number {
    return this.#bytes;
  }

  add<K extends string>(set: ResidentArrays<K>): void {
    this.#sets.add(set);
    this.#bytes += set.bytes;
    for (const oldest of this.#sets) {
      if (this.#bytes <= this.budget || oldest === set) break;
      oldest.evict();
    }
  }

  delete<K extends string>(set: ResidentArrays<K>): void {
    if (this.#sets.delete(set)) this.#bytes -= set.bytes;
  }
}
