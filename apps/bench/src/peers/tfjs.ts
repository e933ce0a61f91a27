import type { Workload } from '../workloads.js';
import { loadTfjs } from './load-tfjs.js';
import type { PreparedRun, Runner } from './runner.js';

/**
 * The same LSTM (four gates over `[a; x]`, softmax output) written with tfjs ops: one stacked
 * gate product per step, as tfjs has no fused LSTM kernel. Backward is `tf.grads` of `Σ G ⊙ a`.
 */
export async function createTfjsRunner(backendName: 'cpu' | 'wasm'): Promise<Runner> {
  const tf = await loadTfjs(backendName);

  return {
    label: `tfjs-${backendName}`,
    dtypes: ['float32'],
    accepts: (w) => backendName === 'wasm' || w.nA <= 128,
    async prepare(w: Workload): Promise<PreparedRun> {
      const K = w.nA + w.nX;
      const W = tf.randomNormal([4 * w.nA, K], 0, 1, 'float32', 0);
      const b = tf.randomNormal([4 * w.nA, 1], 0, 1, 'float32', 1);
      const Wy = tf.randomNormal([w.nX, w.nA], 0, 1, 'float32', 2);
      const by = tf.randomNormal([w.nX, 1], 0, 1, 'float32', 3);
      const x = tf.randomNormal([w.nX, w.m, w.T], 0, 1, 'float32', 4);
      const a0 = tf.randomNormal([w.nA, w.m], 0, 1, 'float32', 5);
      const G = tf.randomNormal([w.nA, w.m, w.T], 0, 1, 'float32', 6);

      const run = (Wv: typeof W, bv: typeof b, xv: typeof x, av: typeof a0) => {
        const steps = tf.unstack(xv, 2);
        let a = av;
        let c = tf.zerosLike(av);
        const as = [];
        for (const xt of steps) {
          const z = tf.add(tf.matMul(Wv, tf.concat([a, xt], 0)), bv);
          const [f, i, cc, o] = tf.split(z, 4, 0) as [typeof z, typeof z, typeof z, typeof z];
          c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(cc)));
          a = tf.mul(tf.sigmoid(o), tf.tanh(c));
          tf.softmax(tf.transpose(tf.add(tf.matMul(Wy, a), by)));
          as.push(a);
        }
        return tf.stack(as, 2);
      };
      const grads = tf.grads((Wv, bv, xv, av) => tf.sum(tf.mul(run(Wv, bv, xv, av), G)));
      return {
        async forward() {
          const a = tf.tidy(() => run(W, b, x, a0));
          await a.data();
          a.dispose();
        },
        async forwardBackward() {
          const g = tf.tidy(() => grads([W, b, x, a0]));
          await (g[0] as typeof W).data();
          tf.dispose(g);
        },
        dispose: () => tf.dispose([W, b, Wy, by, x, a0, G]),
      };
    },
    close: () => tf.disposeVariables(),
  };
}
