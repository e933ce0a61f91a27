// Consumer scenario (a), TypeScript: type-checked with tsc under moduleResolution "node16" and
// "bundler" against the published .d.ts files only (skipLibCheck off, no DOM or Node types).
import { RandomState, ShapeMismatchError, setBackend, type Backend, type Tensor } from '@rnn/tensor';
import { lstmBackward, lstmForward, type LstmGradients, type LstmParameters } from '@rnn/cells';
import { createCpuBackend, type CpuBackend } from '@rnn/backend-cpu';

const backend: CpuBackend = createCpuBackend();
const previous: Backend | null = setBackend(backend);

const rng = new RandomState(1);
const x: Tensor = rng.randn(3, 10, 7);
const a0: Tensor = rng.randn(5, 10);
const w = (): Tensor => rng.randn(5, 8);
const b = (): Tensor => rng.randn(5, 1);
const parameters: LstmParameters = {
  Wf: w(), bf: b(), Wi: w(), bi: b(), Wc: w(), bc: b(), Wo: w(), bo: b(),
  Wy: rng.randn(2, 5), by: rng.randn(2, 1),
};

const { a, caches } = lstmForward(x, a0, parameters, { backend });
const grads: LstmGradients = lstmBackward(rng.randn(5, 10, 7), caches);
const shape: readonly number[] = grads.dWf.shape;
const nested = a.toArray();

try {
  lstmForward(rng.randn(4, 10, 7), a0, parameters);
} catch (error) {
  if (error instanceof ShapeMismatchError) {
    const where: string = `${error.fn} ${error.arg}: ${error.expected.join(',')} vs ${error.actual.join(',')}`;
    void where;
  }
}

// @ts-expect-error a parameter set without Wy is not an LstmParameters
const incomplete: LstmParameters = { Wf: w(), bf: b(), Wi: w(), bi: b(), Wc: w(), bc: b(), Wo: w(), bo: b(), by: b() };

backend.dispose();
setBackend(previous);
export { shape, nested, incomplete };
