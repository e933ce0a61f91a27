import { BackendError } from '@rnn/tensor';

// Layout of each worker's control block: 32 Int32 slots (128 bytes, two cache lines) per worker.
// CLAIM holds the last call number whose part was taken, by the worker or by the caller.
const SEQ = 0;
const DONE = 1;
const STATUS = 2;
const READY = 3;
const FN = 4;
const ARGC = 5;
const CLAIM = 6;
const ARGS = 7;
const SLOTS = 32;
const MAX_ARGS = SLOTS - ARGS;

/**
 * Takes the part offered as call `seq` in control block `c` for whoever calls first, the worker or
 * the caller: true for the one that got it. A part is run exactly once. (The worker's copy is in
 * WORKER_SOURCE, as text, like the rest of the worker.)
 */
function claim(c: Int32Array, seq: number): boolean {
  for (;;) {
    const last = Atomics.load(c, CLAIM);
    if (last >= seq) return false;
    if (Atomics.compareExchange(c, CLAIM, last, seq) === last) return true;
  }
}

/**
 * The code a worker runs, as text so that no bundler rewrites or splits it: it instantiates the
 * engine module on the shared memory, then serves calls the main thread writes into its control
 * block (function index, integer arguments, a sequence number), spinning briefly before it
 * sleeps on `Atomics.wait`. It runs a call's part only if it claims it first (the caller takes
 * back a part the worker has not started once its own is done, so a worker the system has not
 * scheduled never holds a call up), and answers with the sequence number in DONE either way.
 */
const WORKER_SOURCE = `'use strict';
const SEQ = ${SEQ}, DONE = ${DONE}, STATUS = ${STATUS}, READY = ${READY}, FN = ${FN}, ARGC = ${ARGC}, CLAIM = ${CLAIM}, ARGS = ${ARGS}, SLOTS = ${SLOTS};
function claim(c, seq) {
  for (;;) {
    const last = Atomics.load(c, CLAIM);
    if (last >= seq) return false;
    if (Atomics.compareExchange(c, CLAIM, last, seq) === last) return true;
  }
}
function serve(data) {
  const instance = new WebAssembly.Instance(data.module, { env: { memory: data.memory } });
  const fns = data.names.map((name) => instance.exports[name]);
  const c = new Int32Array(data.control, data.index * SLOTS * 4, SLOTS);
  Atomics.store(c, READY, 1);
  Atomics.notify(c, READY);
  let seen = 0;
  for (;;) {
    let spins = 0;
    while (Atomics.load(c, SEQ) === seen) {
      if (++spins > 20000) { Atomics.wait(c, SEQ, seen, 100); spins = 0; }
    }
    seen = Atomics.load(c, SEQ);
    if (seen < 0) return;
    if (!claim(c, seen)) {
      Atomics.store(c, DONE, seen);
      Atomics.notify(c, DONE);
      continue;
    }
    let status = 0;
    try {
      const args = [];
      for (let i = 0; i < c[ARGC]; i++) args.push(c[ARGS + i]);
      fns[c[FN]].apply(null, args);
    } catch (e) {
      status = 1;
    }
    Atomics.store(c, STATUS, status);
    Atomics.store(c, DONE, seen);
    Atomics.notify(c, DONE);
  }
}
if (typeof require === 'function') serve(require('node:worker_threads').workerData);
else self.onmessage = (event) => serve(event.data);
`;

/** What starts a worker on this platform: Node's `worker_threads`, or a Web Worker where the page is cross-origin isolated. */
interface WorkerHandle {
  terminate(): void;
}

type Spawn = (data: WorkerData) => WorkerHandle;

interface WorkerData {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  readonly index: number;
  readonly names: readonly string[];
}

interface NodeWorkerThreads {
  Worker: new (source: string, options: { eval: true; workerData: WorkerData }) => WorkerHandle & { unref(): void };
}

function nodeWorkerThreads(): NodeWorkerThreads | undefined {
  const get: unknown = typeof process === 'object' ? Reflect.get(process, 'getBuiltinModule') : undefined;
  if (typeof get !== 'function') return undefined;
  const module: unknown = Reflect.apply(get, process, ['node:worker_threads']);
  return typeof module === 'object' && module !== null && 'Worker' in module ? (module as NodeWorkerThreads) : undefined;
}

/** How to start workers here, or why not. */
function spawner(): Spawn | string {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return 'SharedArrayBuffer is not available here';
  const node = nodeWorkerThreads();
  if (node !== undefined) {
    return (workerData) => {
      const worker = new node.Worker(WORKER_SOURCE, { eval: true, workerData });
      worker.unref();
      return worker;
    };
  }
  if (typeof Worker === 'function' && Reflect.get(globalThis, 'crossOriginIsolated') === true) {
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    return (data) => {
      const worker = new Worker(url);
      worker.postMessage(data);
      return worker;
    };
  }
  return 'workers with shared memory need Node worker_threads or a cross-origin-isolated page';
}

/** Whether `Atomics.wait` may block this thread (not on a browser's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Worker threads that run engine functions on the shared heap, in step with the calling thread:
 * `run` hands one part of a call to each worker, runs the first part itself and returns when all
 * are done. Workers that are not ready yet (they start asynchronously) get no part: the caller
 * does their share.
 */
export class ThreadPool {
  readonly #workers: WorkerHandle[];
  readonly #control: Int32Array;
  readonly #blocking = canBlock();
  #seq = 0;
  /** Calls in which at least one worker ran a part. */
  splitCalls = 0;
  /** Parts offered to a worker that the caller ran itself because the worker had not started them. */
  reclaimedParts = 0;

  private constructor(workers: WorkerHandle[], control: Int32Array) {
    this.#workers = workers;
    this.#control = control;
  }

  /** Starts `threads − 1` workers on `memory`, or returns why it cannot. */
  static start(module: WebAssembly.Module, memory: WebAssembly.Memory, names: readonly string[], threads: number): ThreadPool | string {
    const spawn = spawner();
    if (typeof spawn === 'string') return spawn;
    const control = new SharedArrayBuffer((threads - 1) * SLOTS * 4);
    const workers: WorkerHandle[] = [];
    for (let index = 0; index < threads - 1; index++) workers.push(spawn({ module, memory, control, index, names }));
    return new ThreadPool(workers, new Int32Array(control));
  }

  /** Threads a call can be split over now: the caller and every worker that is ready. */
  get readyThreads(): number {
    let ready = 1;
    for (let k = 0; k < this.#workers.length; k++) if (Atomics.load(this.#control, k * SLOTS + READY) === 1) ready++;
    return ready;
  }

  /**
   * Runs function `fn` (an index into the names the workers were given) once per part: `parts[0]`
   * through `own` on this thread, `parts[k]` offered to the k-th ready worker. Once its own part is
   * done, this thread runs every offered part no worker has started yet itself, then waits for the
   * ones that were started. Returns when all are done.
   *
   * @throws BackendError naming `name` when a worker's call threw.
   */
  run(name: string, fn: number, parts: readonly (readonly number[])[], own: (args: readonly number[]) => void): void {
    const c = this.#control;
    const seq = ++this.#seq;
    const offered: { readonly worker: number; readonly args: readonly number[] }[] = [];
    let k = 0;
    for (let part = 1; part < parts.length; part++) {
      while (k < this.#workers.length && Atomics.load(c, k * SLOTS + READY) !== 1) k++;
      const args = parts[part] as readonly number[];
      if (args.length > MAX_ARGS) throw new Error(`ThreadPool.run: ${name} takes ${args.length} arguments, a control block holds ${MAX_ARGS}`);
      if (k >= this.#workers.length) {
        own(args);
        continue;
      }
      const base = k * SLOTS;
      c[base + FN] = fn;
      c[base + ARGC] = args.length;
      for (let i = 0; i < args.length; i++) c[base + ARGS + i] = args[i] as number;
      Atomics.store(c, base + SEQ, seq);
      Atomics.notify(c, base + SEQ);
      offered.push({ worker: k++, args });
    }
    own(parts[0] as readonly number[]);
    const busy: number[] = [];
    for (const { worker, args } of offered) {
      if (claim(c.subarray(worker * SLOTS, (worker + 1) * SLOTS), seq)) {
        own(args);
        this.reclaimedParts++;
      } else busy.push(worker);
    }
    if (busy.length > 0) this.splitCalls++;
    for (const worker of busy) {
      const done = worker * SLOTS + DONE;
      let spins = 0;
      while (Atomics.load(c, done) !== seq) {
        if (++spins > 20000 && this.#blocking) {
          Atomics.wait(c, done, Atomics.load(c, done), 100);
          spins = 0;
        }
      }
      if (Atomics.load(c, worker * SLOTS + STATUS) !== 0) throw new BackendError(name, 'cpu', 'a worker thread failed in this call');
    }
  }

  /** Resolves once every worker can take work. */
  async ready(): Promise<void> {
    while (this.readyThreads < this.#workers.length + 1) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  /** Stops the workers. */
  terminate(): void {
    for (let k = 0; k < this.#workers.length; k++) {
      Atomics.store(this.#control, k * SLOTS + SEQ, -1);
      Atomics.notify(this.#control, k * SLOTS + SEQ);
      this.#workers[k]?.terminate();
    }
  }
}
