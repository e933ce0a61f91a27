import { createCpuBackend } from '@rnn/backend-cpu';
import { BackendError, RandomState, type Backend, type Tensor } from '@rnn/tensor';
import { compareClose, CONFORMANCE_SIZES, type Tolerance } from '@rnn/tensor/testing';
import { createGpuJsBackend, type RequestedMode } from '../index.js';
import { GPUJS_TOLERANCES } from '../testing/tolerances.js';

/** One comparison of a gpujs output with the CPU backend's. */
export interface VectorResult {
  readonly label: string;
  readonly ok: boolean;
  readonly message: string;
}

/** What the page reports back to Node. */
export interface BrowserReport {
  readonly mode: string;
  readonly results: readonly VectorResult[];
}

type Outputs = Readonly<Record<string, Tensor>>;

/** Runs every kernel on both backends over the same seeded float32 inputs and compares outputs. */
async function compare(label: string, kind: keyof typeof GPUJS_TOLERANCES, run: (b: Backend) => Outputs, cpu: Backend, gpu: Backend): Promise<VectorResult[]> {
  const expected = run(cpu);
  const actual = run(gpu);
  const tolerance: Tolerance = GPUJS_TOLERANCES[kind];
  const results: VectorResult[] = [];
  for (const [key, tensor] of Object.entries(actual)) {
    const report = compareClose(await tensor.data(), await (expected[key] as Tensor).data(), tolerance);
    results.push({ label: `${label} ${key}`, ok: report.ok, message: report.message });
  }
  return results;
}

/**
 * The browser half of the conformance check: creates the CPU backend and a gpujs backend in
 * `mode`, runs `sliceTime`, `stackTime`, `add` and each cell kernel forward and backward
 * on the conformance sizes, and compares every output within the gpujs tolerances.
 */
export async function runBrowserVectors(mode: RequestedMode): Promise<BrowserReport> {
  const cpu = createCpuBackend();
  const gpu = await createGpuJsBackend({ mode });
  const results: VectorResult[] = [];
  const rng = new RandomState(5);
  const x = rng.randnAs([3, 4, 5], 'float32');
  results.push(...(await compare('time axis', 'values', (b) => {
    const steps = [0, 1, 2, 3, 4].map((t) => b.kernels.sliceTime(x, t));
    return { slice: steps[2] as Tensor, stack: b.kernels.stackTime(steps), add: b.kernels.add(steps[0] as Tensor, steps[1] as Tensor) };
  }, cpu, gpu)));
  for (const [nX, nA, nY, m] of CONFORMANCE_SIZES) {
    const size = `n_x=${nX} n_a=${nA} n_y=${nY} m=${m}`;
    const r = new RandomState(nX * 100 + nA);
    const d = (...shape: number[]): Tensor => r.randnAs(shape, 'float32');
    const rnn = { xt: d(nX, m), aPrev: d(nA, m), Waa: d(nA, nA), Wax: d(nA, nX), ba: d(nA, 1), Wya: d(nY, nA), by: d(nY, 1) };
    const daNext = d(nA, m);
    const daCarry = d(nA, m);
    const dcNext = d(nA, m);
    results.push(...(await compare(`rnnCellForward ${size}`, 'values', (b) => ({ ...b.kernels.rnnCellForward(rnn) }), cpu, gpu)));
    results.push(...(await compare(`rnnCellBackward ${size}`, 'gradients', (b) => {
      const { aNext } = b.kernels.rnnCellForward(rnn);
      const first = b.kernels.rnnCellBackward({ daNext, aNext, ...rnn });
      return { ...b.kernels.rnnCellBackward({ daNext, daCarry, aNext, ...rnn }, first) };
    }, cpu, gpu)));
    const w = (): Tensor => d(nA, nA + nX);
    const bias = (): Tensor => d(nA, 1);
    const lstm = {
      xt: d(nX, m), aPrev: d(nA, m), cPrev: d(nA, m), Wf: w(), bf: bias(), Wi: w(), bi: bias(), Wc: w(), bc: bias(), Wo: w(), bo: bias(), Wy: d(nY, nA), by: d(nY, 1),
    };
    results.push(...(await compare(`lstmCellForward ${size}`, 'values', (b) => ({ ...b.kernels.lstmCellForward(lstm) }), cpu, gpu)));
    results.push(...(await compare(`lstmCellBackward ${size}`, 'gradients', (b) => {
      const f = b.kernels.lstmCellForward(lstm);
      const args = { daNext, dcNext, cNext: f.cNext, ft: f.ft, it: f.it, cct: f.cct, ot: f.ot, ...lstm };
      const first = b.kernels.lstmCellBackward(args);
      return { ...b.kernels.lstmCellBackward({ ...args, daCarry }, first) };
    }, cpu, gpu)));
  }
  if (gpu.mode === 'webgpu') {
    const pending = gpu.kernels.add(x, x);
    let thrown: unknown = null;
    try {
      pending.dataSync();
    } catch (error) {
      thrown = error;
    }
    const ok = thrown instanceof BackendError && /await tensor\.data\(\)/.test(thrown.message);
    results.push({ label: 'webgpu dataSync() throws a BackendError', ok, message: String(thrown) });
    pending.dispose();
  }
  const report = { mode: gpu.mode, results };
  cpu.dispose();
  await gpu.disposeAsync();
  return report;
}
