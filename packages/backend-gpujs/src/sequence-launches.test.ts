import { disposeCaches, gruBackward, gruForward, lstmBackward, lstmForward, rnnBackward, rnnForward } from '@rnn/cells';
import { RandomState, type Tensor } from '@rnn/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGpuJsBackend, type GpuJsBackend } from './index.js';
import { requiredMode } from './testing/expected-mode.js';

const [nX, nA, nY, m] = [3, 5, 2, 4];

interface Launches {
  readonly forward: number;
  readonly backward: number;
}

/**
 * Launches per time step of `lstmForward`/`gruForward`/`rnnForward` and their backward through `@rnn/cells`, from
 * the difference between a `T = 40` and a `T = 20` run: what runs once per sequence (the input
 * projection, the output layer, the weight gradients) cancels, what runs per step remains. A first
 * run uploads the parameters, so it is left out.
 */
function launchesPerStep(backend: GpuJsBackend, run: (T: number) => { forward: () => void; backward: () => void }): Launches {
  const count = (T: number): Launches => {
    const { forward, backward } = run(T);
    const start = backend.stats().launches;
    forward();
    const between = backend.stats().launches;
    backward();
    return { forward: between - start, backward: backend.stats().launches - between };
  };
  count(20);
  const short = count(20);
  const long = count(40);
  return { forward: (long.forward - short.forward) / 20, backward: (long.backward - short.backward) / 20 };
}

describe('gpujs launches per time step of a sequence', () => {
  let backend: GpuJsBackend;
  beforeAll(async () => {
    backend = await createGpuJsBackend({ mode: requiredMode() });
  });
  afterAll(() => backend.disposeAsync());

  const draw = (rng: RandomState, ...shape: number[]): Tensor => rng.randnAs(shape, 'float32');

  it('LSTM: at most 3 forward and 4 backward, whatever the length', () => {
    const rng = new RandomState(7);
    const gate = (): Tensor => draw(rng, nA, nA + nX);
    const bias = (): Tensor => draw(rng, nA, 1);
    const p = { Wf: gate(), bf: bias(), Wi: gate(), bi: bias(), Wc: gate(), bc: bias(), Wo: gate(), bo: bias(), Wy: draw(rng, nY, nA), by: draw(rng, nY, 1) };
    const a0 = draw(rng, nA, m);
    const perStep = launchesPerStep(backend, (T) => {
      const x = draw(rng, nX, m, T);
      const da = draw(rng, nA, m, T);
      let out: ReturnType<typeof lstmForward> | undefined;
      return {
        forward: () => {
          out = lstmForward(x, a0, p, { backend });
        },
        backward: () => {
          if (out === undefined) throw new Error('forward first');
          const grads = lstmBackward(da, out.caches, { backend });
          for (const t of [...Object.values(grads), out.a, out.c, out.yPred, x, da]) t.dispose();
          disposeCaches(out.caches);
        },
      };
    });
    console.info(`LSTM launches per step: forward ${perStep.forward}, backward ${perStep.backward}`);
    expect(perStep.forward).toBeLessThanOrEqual(3);
    expect(perStep.backward).toBeLessThanOrEqual(4);
  });

  it('GRU: at most 3 forward and 4 backward, whatever the length', () => {
    const rng = new RandomState(9);
    const gate = (): Tensor => draw(rng, nA, nA + nX);
    const bias = (): Tensor => draw(rng, nA, 1);
    const p = {
      Wz: gate(), bz: bias(), Wr: gate(), br: bias(), Whx: draw(rng, nA, nX), bhx: bias(), Whh: draw(rng, nA, nA), bhh: bias(),
      Wy: draw(rng, nY, nA), by: draw(rng, nY, 1),
    };
    const a0 = draw(rng, nA, m);
    const perStep = launchesPerStep(backend, (T) => {
      const x = draw(rng, nX, m, T);
      const da = draw(rng, nA, m, T);
      let out: ReturnType<typeof gruForward> | undefined;
      return {
        forward: () => {
          out = gruForward(x, a0, p, { backend });
        },
        backward: () => {
          if (out === undefined) throw new Error('forward first');
          const grads = gruBackward(da, out.caches, { backend });
          for (const t of [...Object.values(grads), out.a, out.yPred, x, da]) t.dispose();
          disposeCaches(out.caches);
        },
      };
    });
    console.info(`GRU launches per step: forward ${perStep.forward}, backward ${perStep.backward}`);
    expect(perStep.forward).toBeLessThanOrEqual(3);
    expect(perStep.backward).toBeLessThanOrEqual(4);
  });

  it('RNN: at most 2 forward and 3 backward, whatever the length', () => {
    const rng = new RandomState(8);
    const p = { Waa: draw(rng, nA, nA), Wax: draw(rng, nA, nX), Wya: draw(rng, nY, nA), ba: draw(rng, nA, 1), by: draw(rng, nY, 1) };
    const a0 = draw(rng, nA, m);
    const perStep = launchesPerStep(backend, (T) => {
      const x = draw(rng, nX, m, T);
      const da = draw(rng, nA, m, T);
      let out: ReturnType<typeof rnnForward> | undefined;
      return {
        forward: () => {
          out = rnnForward(x, a0, p, { backend });
        },
        backward: () => {
          if (out === undefined) throw new Error('forward first');
          const grads = rnnBackward(da, out.caches, { backend });
          for (const t of [...Object.values(grads), out.a, out.yPred, x, da]) t.dispose();
          disposeCaches(out.caches);
        },
      };
    });
    console.info(`RNN launches per step: forward ${perStep.forward}, backward ${perStep.backward}`);
    expect(perStep.forward).toBeLessThanOrEqual(2);
    expect(perStep.backward).toBeLessThanOrEqual(3);
  });
});
