// Consumer scenario (a): plain Node ESM, only @rnn/tensor, @rnn/cells and @rnn/backend-cpu
// installed from their tarballs. An LSTM forward and backward on the CPU in float64, with a
// finite-difference check of a few gradients, so a wrong build fails here and not only in
// our own tests.
import { RandomState, setBackend, tensor } from '@rnn/tensor';
import { lstmBackward, lstmForward } from '@rnn/cells';
import { createCpuBackend } from '@rnn/backend-cpu';

const cpu = createCpuBackend();
// The WebAssembly SIMD engine ships inside the package: installing the tarball is all it takes.
if (cpu.mode !== 'wasm-simd') throw new Error(`the CPU backend runs '${cpu.mode}', expected 'wasm-simd' from the installed package`);
setBackend(cpu);

const [nX, nA, nY, m, T] = [3, 5, 2, 4, 6];
const rng = new RandomState(1);
const x = rng.randn(nX, m, T); // (n_x, m, T_x): time is the last axis
const a0 = rng.randn(nA, m);
const gate = () => rng.randn(nA, nA + nX);
const bias = () => rng.randn(nA, 1);
const parameters = {
  Wf: gate(), bf: bias(), Wi: gate(), bi: bias(), Wc: gate(), bc: bias(), Wo: gate(), bo: bias(),
  Wy: rng.randn(nY, nA), by: rng.randn(nY, 1),
};
const G = rng.randn(nA, m, T); // loss L = Σ a ⊙ G, so dL/da = G

const loss = (p, input = x) => {
  const { a } = lstmForward(input, a0, p);
  const av = a.dataSync();
  const gv = G.dataSync();
  let sum = 0;
  for (let i = 0; i < av.length; i++) sum += av[i] * gv[i];
  return sum;
};

const { a, yPred, c, caches } = lstmForward(x, a0, parameters);
const grads = lstmBackward(G, caches);

const same = (actual, expected, what) => {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
};
same(a.shape, [nA, m, T], 'a.shape');
same(yPred.shape, [nY, m, T], 'yPred.shape');
same(c.shape, [nA, m, T], 'c.shape');
same(grads.dx.shape, [nX, m, T], 'dx.shape');
same(grads.da0.shape, [nA, m], 'da0.shape');
same(grads.dWf.shape, [nA, nA + nX], 'dWf.shape');
same(grads.dbo.shape, [nA, 1], 'dbo.shape');

// Central differences in float64: nudge one entry of a parameter (or of x) and compare.
const eps = 1e-6;
const nudged = (t, index, delta) => {
  const values = Float64Array.from(t.dataSync());
  values[index] += delta;
  return tensor(values, t.shape);
};
const checks = [
  ['dWf', 'Wf', 7],
  ['dWc', 'Wc', 3],
  ['dbo', 'bo', 2],
  ['dbi', 'bi', 4],
];
let worst = 0;
for (const [grad, name, index] of checks) {
  const plus = loss({ ...parameters, [name]: nudged(parameters[name], index, eps) });
  const minus = loss({ ...parameters, [name]: nudged(parameters[name], index, -eps) });
  const numeric = (plus - minus) / (2 * eps);
  const analytic = grads[grad].dataSync()[index];
  const relative = Math.abs(numeric - analytic) / Math.max(1e-8, Math.abs(numeric) + Math.abs(analytic));
  worst = Math.max(worst, relative);
  if (!(relative < 1e-6)) throw new Error(`${grad}[${index}]: analytic ${analytic} vs numeric ${numeric} (relative error ${relative})`);
}
{
  const index = 10;
  const numeric = (loss(parameters, nudged(x, index, eps)) - loss(parameters, nudged(x, index, -eps))) / (2 * eps);
  const analytic = grads.dx.dataSync()[index];
  const relative = Math.abs(numeric - analytic) / Math.max(1e-8, Math.abs(numeric) + Math.abs(analytic));
  worst = Math.max(worst, relative);
  if (!(relative < 1e-6)) throw new Error(`dx[${index}]: analytic ${analytic} vs numeric ${numeric} (relative error ${relative})`);
}

console.log(`LSTM forward and backward from the tarballs (engine ${cpu.mode}): a ${JSON.stringify(a.shape)}, dWf ${JSON.stringify(grads.dWf.shape)}; ` +
  `gradient check worst relative error ${worst.toExponential(1)}`);
