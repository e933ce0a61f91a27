import { createCpuBackend } from '@rnn/backend-cpu';
import { disposeCaches, lstmBackward, lstmForward, type LstmParameters } from '@rnn/cells';
import { RandomState, type Backend, type DType, type Tensor } from '@rnn/tensor';
import type { PreparedRun, Runner } from './peers/runner.js';
import type { Workload } from './workloads.js';

/** Frees a forward pass: its step caches and the stacked outputs. */
function disposeForward(out: ReturnType<typeof lstmForward>): void {
  disposeCaches(out.caches);
  for (const t of [out.a, out.c, out.yPred]) t.dispose();
}

/** Measures one of our backends through the public `lstmForward` / `lstmBackward`. */
export function backendRunner(backend: Backend, dtypes: readonly DType[], accepts?: (w: Workload) => boolean): Runner {
  return {
    label: `${backend.name} (${backend.mode})`,
    dtypes,
    accepts,
    async prepare(w: Workload, dtype: DType): Promise<PreparedRun> {
      const rng = new RandomState(0);
      const draw = (...shape: number[]): Tensor => rng.randnAs(shape, dtype);
      const K = w.nA + w.nX;
      const p: LstmParameters = {
        Wf: draw(w.nA, K), bf: draw(w.nA, 1), Wi: draw(w.nA, K), bi: draw(w.nA, 1),
        Wc: draw(w.nA, K), bc: draw(w.nA, 1), Wo: draw(w.nA, K), bo: draw(w.nA, 1),
        Wy: draw(w.nX, w.nA), by: draw(w.nX, 1),
      };
      const [x, a0, da] = [draw(w.nX, w.m, w.T), draw(w.nA, w.m), draw(w.nA, w.m, w.T)];
      const opts = { backend };
      return {
        async forward() {
          const out = lstmForward(x, a0, p, opts);
          await out.a.data();
          disposeForward(out);
        },
        async forwardBackward() {
          const out = lstmForward(x, a0, p, opts);
          const g = lstmBackward(da, out.caches, opts);
          await g.dWf.data();
          for (const t of Object.values(g)) t.dispose();
          disposeForward(out);
        },
        dispose: () => [x, a0, da, ...Object.values(p)].forEach((t) => t.dispose()),
      };
    },
    close: () => backend.dispose(),
  };
}

/** Everything `pnpm bench` can measure, by name; each is created only when it runs. */
export const RUNNERS: Record<string, () => Promise<Runner>> = {
  cpu: async () => backendRunner(createCpuBackend(), ['float64', 'float32']),
  gpujs: async () => {
    await (await import('@rnn/backend-gpujs/node')).startVirtualDisplay();
    const backend = await (await import('@rnn/backend-gpujs')).createGpuJsBackend();
    return { ...backendRunner(backend, ['float32']), compileMs: () => backend.stats().compileMs };
  },
  'tfjs-cpu': async () => (await import('./peers/tfjs.js')).createTfjsRunner('cpu'),
  'tfjs-wasm': async () => (await import('./peers/tfjs.js')).createTfjsRunner('wasm'),
  onnxruntime: async () => (await import('./peers/onnxruntime.js')).createOnnxRunner(),
  'onnxruntime-web': async () => (await import('./peers/onnxruntime-web.js')).createOnnxWebRunner(),
};
