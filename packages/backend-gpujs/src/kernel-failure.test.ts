import { BackendError, DisposedTensorError, RandomState, type Backend, type SequenceTape, type Tensor } from '@rnn/tensor';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GpuContext } from './gpu-context.js';
import { createGpuJsBackend, type GpuJsBackend } from './index.js';
import { requiredMode } from './testing/expected-mode.js';

const [nX, nA, nY, m, T] = [3, 4, 2, 3, 3];
const rng = new RandomState(21);
const draw = (...shape: number[]): Tensor => rng.randnAs(shape, 'float32');
const x = draw(nX, m, T);
const a0 = draw(nA, m);
const c0 = draw(nA, m);
const da = draw(nA, m, T);
const rnn = { Waa: draw(nA, nA), Wax: draw(nA, nX), ba: draw(nA, 1) };
const lstm = { Wf: draw(nA, nA + nX), bf: draw(nA, 1), Wi: draw(nA, nA + nX), bi: draw(nA, 1), Wc: draw(nA, nA + nX), bc: draw(nA, 1), Wo: draw(nA, nA + nX), bo: draw(nA, 1) };
const gru = { Wz: draw(nA, nA + nX), bz: draw(nA, 1), Wr: draw(nA, nA + nX), br: draw(nA, 1), Whx: draw(nA, nX), bhx: draw(nA, 1), Whh: draw(nA, nA), bhh: draw(nA, 1) };
const head = { Wy: draw(nY, nA), by: draw(nY, 1) };
const xt = draw(nX, m);
const walk = { reverse: true, lengths: [3, 1, 0] };
const gruGrads = {
  dWz: draw(nA, nA + nX), dbz: draw(nA, 1), dWr: draw(nA, nA + nX), dbr: draw(nA, 1), dWhx: draw(nA, nX), dbhx: draw(nA, 1), dWhh: draw(nA, nA), dbhh: draw(nA, 1),
};
const peepholes = { Pi: draw(nA, 1), Pf: draw(nA, 1), Po: draw(nA, 1) };

/** What a kernel call returned: every tensor and tape in it, to dispose. */
function disposables(result: unknown): { dispose(): void }[] {
  if (typeof result !== 'object' || result === null) return [];
  if ('dispose' in result && typeof result.dispose === 'function') return [result as { dispose(): void }];
  return Object.values(result).flatMap(disposables);
}

/** One kernel call per kernel that makes intermediate buffers, each as a user would make it. */
const CALLS: readonly (readonly [string, (b: Backend) => unknown])[] = [
  ['rnnSequenceForward', (b) => b.kernels.rnnSequenceForward({ x, a0, ...rnn, ...walk })],
  ['lstmSequenceForward', (b) => b.kernels.lstmSequenceForward({ x, a0, c0, ...lstm, ...walk })],
  ['gruSequenceForward', (b) => b.kernels.gruSequenceForward({ x, a0, ...gru, ...walk })],
  ['lstmSequenceForward with clip, peepholes and inputForget', (b) => b.kernels.lstmSequenceForward({ x, a0, c0, ...lstm, ...walk, clip: 1, peepholes, inputForget: true })],
  ['gruSequenceForward with linearBeforeReset: false and clip', (b) => b.kernels.gruSequenceForward({ x, a0, ...gru, ...walk, linearBeforeReset: false, clip: 1 })],
  ['rnnSequenceBackward', (b) => b.kernels.rnnSequenceBackward({ da, tape: tapes.rnn, ...rnn })],
  ['lstmSequenceBackward', (b) => b.kernels.lstmSequenceBackward({ da, tape: tapes.lstm, ...lstm })],
  ['gruSequenceBackward', (b) => b.kernels.gruSequenceBackward({ da, tape: tapes.gru, ...gru })],
  ['lstmCellForward', (b) => b.kernels.lstmCellForward({ xt, aPrev: a0, cPrev: c0, ...lstm, ...head })],
  ['gruCellForward', (b) => b.kernels.gruCellForward({ xt, aPrev: a0, ...gru, ...head })],
  ['gruCellBackward', (b) => b.kernels.gruCellBackward({ daNext: a0, daCarry: c0, aPrev: a0, xt, zt: a0, rt: c0, hct: a0, hh: c0, ...gru }, gruGrads)],
  ['lstmCellBackward', (b) => b.kernels.lstmCellBackward({ daNext: a0, daCarry: c0, dcNext: a0, cNext: c0, aPrev: a0, cPrev: c0, xt, ft: a0, it: c0, cct: a0, ot: c0, ...lstm })],
  ['maskColumns', (b) => b.kernels.maskColumns(x, [true, false, true])],
];

let tapes: { rnn: SequenceTape; lstm: SequenceTape; gru: SequenceTape };

describe('gpujs kernels that fail midway free what they made', () => {
  let backend: GpuJsBackend;
  let context: GpuJsBackend & GpuContext;
  beforeAll(async () => {
    backend = await createGpuJsBackend({ mode: requiredMode() });
    // The backend is its kernels' context; its `run` is where a launch fails.
    context = backend as GpuJsBackend & GpuContext;
    tapes = {
      rnn: backend.kernels.rnnSequenceForward({ x, a0, ...rnn, ...walk }).tape,
      lstm: backend.kernels.lstmSequenceForward({ x, a0, c0, ...lstm, ...walk }).tape,
      gru: backend.kernels.gruSequenceForward({ x, a0, ...gru, ...walk }).tape,
    };
  });
  afterAll(() => backend.disposeAsync());

  for (const [name, call] of CALLS) {
    it(`${name}: a launch that fails at any point leaves device memory as it was`, () => {
      for (const d of disposables(call(backend))) d.dispose(); // uploads the inputs and compiles
      const original = context.run.bind(context);
      let launches = 0;
      const counting = vi.spyOn(context, 'run').mockImplementation((def, inputs) => {
        launches++;
        return original(def, inputs);
      });
      for (const d of disposables(call(backend))) d.dispose();
      counting.mockRestore();
      expect(launches).toBeGreaterThan(0);
      const before = { memory: backend.memory(), device: backend.deviceMemory() };
      for (let failAt = 0; failAt < launches; failAt++) {
        for (const after of [false, true]) {
          let seen = 0;
          const failing = vi.spyOn(context, 'run').mockImplementation((def, inputs) => {
            if (seen++ !== failAt) return original(def, inputs);
            if (after) original(def, inputs);
            throw new BackendError(def.name, 'gpujs', 'a device kernel failed: out of memory (simulated)');
          });
          expect(() => call(backend), `launch ${failAt + 1} of ${launches}`).toThrow(/out of memory \(simulated\)/);
          failing.mockRestore();
          expect({ memory: backend.memory(), device: backend.deviceMemory() }, `failed at launch ${failAt + 1}${after ? ' after it ran' : ''}`).toEqual(before);
        }
      }
    });
  }

  it('an input found disposed in the middle of a sequence forward: the error reaches the caller, nothing stays allocated', () => {
    const late = draw(nA, m);
    const args = { x, a0, c0: late, ...lstm };
    for (const d of disposables(backend.kernels.lstmSequenceForward(args))) d.dispose();
    late.dispose(); // c0 is first read by the state kernel of step 1, after four launches
    const before = { memory: backend.memory(), device: backend.deviceMemory() };
    const launches = backend.stats().launches;
    expect(() => backend.kernels.lstmSequenceForward(args)).toThrow(DisposedTensorError);
    expect(backend.stats().launches - launches, 'it failed midway').toBeGreaterThan(2);
    expect({ memory: backend.memory(), device: backend.deviceMemory() }).toEqual(before);
  });
});
