// Consumer scenario (b): @rnn/backend-gpujs installed next to the CPU backend. The test runs
// this file as it is (CPU), then with exactly the line marked BACKEND replaced, and compares
// the two runs' numbers in float32 tolerance.
import { RandomState, setBackend } from '@rnn/tensor';
import { lstmBackward, lstmForward } from '@rnn/cells';
import { createCpuBackend } from '@rnn/backend-cpu';
import { createGpuJsBackend } from '@rnn/backend-gpujs';

const backend = createCpuBackend(); // BACKEND
setBackend(backend);

const rng = new RandomState(1);
const f32 = (...shape) => rng.randnAs(shape, 'float32');
const [nX, nA, nY, m, T] = [3, 5, 2, 4, 6];
const x = f32(nX, m, T);
const a0 = f32(nA, m);
const parameters = {
  Wf: f32(nA, nA + nX), bf: f32(nA, 1), Wi: f32(nA, nA + nX), bi: f32(nA, 1),
  Wc: f32(nA, nA + nX), bc: f32(nA, 1), Wo: f32(nA, nA + nX), bo: f32(nA, 1),
  Wy: f32(nY, nA), by: f32(nY, 1),
};
const { a, yPred, caches } = lstmForward(x, a0, parameters);
const grads = lstmBackward(f32(nA, m, T), caches);

const read = async (t) => Array.from(await t.data());
console.log(JSON.stringify({
  backend: backend.name,
  mode: backend.mode,
  a: await read(a),
  yPred: await read(yPred),
  dx: await read(grads.dx),
  dWf: await read(grads.dWf),
  dbo: await read(grads.dbo),
}));
if (typeof backend.disposeAsync === 'function') await backend.disposeAsync();
else backend.dispose();
void createGpuJsBackend;
