import { availableParallelism } from 'node:os';
import { createCpuBackend } from '@rnn/backend-cpu';
import { disposeLayerCaches, layerParameterShapes, layersBackward, layersForward, type CellName, type LayerConfig } from '@rnn/cells';
import { RandomState, type Backend, type DType, type Tensor } from '@rnn/tensor';
import type { PreparedRun, Runner } from './peers/runner.js';
import type { Workload } from './workloads.js';

/**
 * Measures one of our backends through `layersForward` / `layersBackward` on one layer of `cell`
 * with its softmax head (`n_y = n_x`), the parameters drawn from the cell's description
 * (`layerParameterShapes`), so every cell runs through the same code.
 */
export function backendRunner(backend: Backend, dtypes: readonly DType[], accepts?: (w: Workload) => boolean, cells: readonly CellName[] = ['lstm']): Runner {
  return {
    label: `${backend.name} (${backend.mode}${threadsOf(backend) > 1 ? `, ${threadsOf(backend)} threads` : ''})`,
    dtypes,
    cells,
    accepts,
    async prepare(w: Workload, dtype: DType, cell: CellName = 'lstm'): Promise<PreparedRun> {
      const rng = new RandomState(0);
      const draw = (...shape: number[]): Tensor => rng.randnAs(shape, dtype);
      const config: LayerConfig = { cell, inputSize: w.nX, hiddenSize: w.nA, outputSize: w.nX };
      const shapes = layerParameterShapes(config);
      const p: Record<string, Tensor> = Object.fromEntries(shapes.map(({ name, shape }) => [name, draw(...shape)]));
      const firstWeight = shapes[0]?.name ?? '';
      const [x, a0, da] = [draw(w.nX, w.m, w.T), draw(1, w.nA, w.m), draw(w.nA, w.m, w.T)];
      const opts = { backend };
      const forward = () => layersForward(x, p, config, { ...opts, a0 });
      const free = (out: ReturnType<typeof forward>): void => {
        disposeLayerCaches(out.caches);
        for (const t of [out.outputs, out.yPred, out.aLast, out.cLast]) t?.dispose();
      };
      return {
        async forward() {
          const out = forward();
          await out.outputs.data();
          free(out);
        },
        async forwardBackward() {
          const out = forward();
          const g = layersBackward({ dOutputs: da }, out.caches, opts);
          await g.grads[firstWeight]?.data();
          for (const t of [g.dx, g.da0, g.dc0, ...Object.values(g.grads)]) t?.dispose();
          free(out);
        },
        dispose: () => [x, a0, da, ...Object.values(p)].forEach((t) => t.dispose()),
      };
    },
    close: () => backend.dispose(),
  };
}

/** The threads a backend splits its work over: the CPU backend's `threads`, else 1. */
function threadsOf(backend: Backend): number {
  return 'threads' in backend && typeof backend.threads === 'number' ? backend.threads : 1;
}

/** Everything `pnpm bench` can measure, by name; each is created only when it runs. */
export const RUNNERS: Record<string, () => Promise<Runner>> = {
  cpu: async () => backendRunner(createCpuBackend(), ['float64', 'float32'], undefined, ['lstm', 'gru']),
  'cpu-threads': async () => {
    const backend = createCpuBackend({ threads: availableParallelism() });
    await backend.ready();
    return backendRunner(backend, ['float64', 'float32']);
  },
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
