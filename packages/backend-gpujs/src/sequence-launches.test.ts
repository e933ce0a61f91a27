import { disposeCaches, gruBackward, gruForward, lstmBackward, lstmForward, rnnBackward, rnnForward } from '@rnn/cells';
import { RandomState, tidy, type Tensor } from '@rnn/tensor';
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

/**
 * Launches per time step of one sequence kernel's forward, `forward(x)`, from the difference between
 * a `T = 40` and a `T = 20` run, after a first run that compiles; whatever a run makes, its tape
 * included, is disposed by `tidy`.
 */
function forwardLaunchesPerStep(backend: GpuJsBackend, rng: RandomState, forward: (x: Tensor) => unknown): number {
  const count = (T: number): number => {
    const x = rng.randnAs([nX, m, T], 'float32');
    const start = backend.stats().launches;
    tidy(() => {
      forward(x);
    });
    x.dispose();
    return backend.stats().launches - start;
  };
  count(20);
  return (count(40) - count(20)) / 20;
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

  it('forward-only variants launch no more per step than the plain cell: they are switches and inputs of the same kernels', () => {
    const rng = new RandomState(10);
    const k = backend.kernels;
    const gate = (): Tensor => draw(rng, nA, nA + nX);
    const bias = (): Tensor => draw(rng, nA, 1);
    const a0 = draw(rng, nA, m);
    const rnn = { a0, Waa: draw(rng, nA, nA), Wax: draw(rng, nA, nX), ba: bias() };
    const lstm = { a0, c0: draw(rng, nA, m), Wf: gate(), bf: bias(), Wi: gate(), bi: bias(), Wc: gate(), bc: bias(), Wo: gate(), bo: bias() };
    const gru = { a0, Wz: gate(), bz: bias(), Wr: gate(), br: bias(), Whx: draw(rng, nA, nX), bhx: bias(), Whh: draw(rng, nA, nA), bhh: bias() };
    const peepholes = { Pi: bias(), Pf: bias(), Po: bias() };
    const lengths = (x: Tensor): number[] => [x.shape[2] ?? 0, 3, 0, (x.shape[2] ?? 0) / 2];
    const cases: readonly [string, (x: Tensor) => unknown, (x: Tensor) => unknown][] = [
      ['RNN clip', (x) => k.rnnSequenceForward({ x, ...rnn }), (x) => k.rnnSequenceForward({ x, ...rnn, clip: 1 })],
      ['LSTM clip', (x) => k.lstmSequenceForward({ x, ...lstm }), (x) => k.lstmSequenceForward({ x, ...lstm, clip: 1 })],
      ['LSTM peepholes', (x) => k.lstmSequenceForward({ x, ...lstm }), (x) => k.lstmSequenceForward({ x, ...lstm, peepholes })],
      ['LSTM inputForget', (x) => k.lstmSequenceForward({ x, ...lstm }), (x) => k.lstmSequenceForward({ x, ...lstm, inputForget: true })],
      ['LSTM all three, lengths', (x) => k.lstmSequenceForward({ x, ...lstm, lengths: lengths(x) }), (x) => k.lstmSequenceForward({ x, ...lstm, clip: 1, peepholes, inputForget: true, lengths: lengths(x) })],
      ['GRU clip', (x) => k.gruSequenceForward({ x, ...gru }), (x) => k.gruSequenceForward({ x, ...gru, clip: 1 })],
      ['GRU linearBeforeReset: false', (x) => k.gruSequenceForward({ x, ...gru }), (x) => k.gruSequenceForward({ x, ...gru, linearBeforeReset: false })],
      ['GRU both, reverse', (x) => k.gruSequenceForward({ x, ...gru, reverse: true }), (x) => k.gruSequenceForward({ x, ...gru, linearBeforeReset: false, clip: 1, reverse: true })],
    ];
    for (const [label, plain, variant] of cases) {
      const perStep = { plain: forwardLaunchesPerStep(backend, rng, plain), variant: forwardLaunchesPerStep(backend, rng, variant) };
      console.info(`${label}: ${perStep.variant} forward launches per step (the plain cell ${perStep.plain})`);
      expect(perStep.variant, label).toBeLessThanOrEqual(perStep.plain);
    }
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
