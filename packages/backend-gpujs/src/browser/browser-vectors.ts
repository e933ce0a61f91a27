import { createCpuBackend } from '@rnn/backend-cpu';
import { BackendError, RandomState, Tensor, type Backend, type GruStepTensors, type LstmStepTensors, type RnnStepTensors, type SequenceOptions } from '@rnn/tensor';
import { compareClose, CONFORMANCE_SIZES, SEQUENCE_SIZES, type Tolerance } from '@rnn/tensor/testing';
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

/**
 * Runs every kernel on both backends over the same seeded float32 inputs and compares outputs,
 * within the gpujs tolerance of `kind` widened by `√steps` for sequences, as the conformance suite does.
 */
async function compare(label: string, kind: keyof typeof GPUJS_TOLERANCES, run: (b: Backend) => Outputs, cpu: Backend, gpu: Backend, steps = 1): Promise<VectorResult[]> {
  const expected = run(cpu);
  const actual = run(gpu);
  const { rtol, atol } = GPUJS_TOLERANCES[kind];
  const tolerance: Tolerance = { rtol: rtol * Math.sqrt(steps), atol: atol * Math.sqrt(steps) };
  const results: VectorResult[] = [];
  for (const [key, tensor] of Object.entries(actual)) {
    const report = compareClose(await tensor.data(), await (expected[key] as Tensor).data(), tolerance);
    results.push({ label: `${label} ${key}`, ok: report.ok, message: report.message });
  }
  return results;
}

/** The sequence kernels on the sequence sizes: forward with the output layer, backward, and `outputBackward`. */
async function compareSequences(cpu: Backend, gpu: Backend): Promise<VectorResult[]> {
  const results: VectorResult[] = [];
  for (const [nX, nA, nY, m, T] of SEQUENCE_SIZES) {
    const size = `n_x=${nX} n_a=${nA} n_y=${nY} m=${m} T_x=${T}`;
    const r = new RandomState(nX * 1000 + nA * 10 + T);
    const d = (...shape: number[]): Tensor => r.randnAs(shape, 'float32');
    // Recurrent weights drawn at half scale, as in the conformance suite: at n_a = 33 a unit scale
    // makes the recurrence chaotic and any two float32 backends drift apart over the steps.
    const half = (...shape: number[]): Tensor => Tensor.fromHost(d(...shape).dataSync().map((v) => v / 2), shape, 'float32');
    const w = (): Tensor => half(nA, nA + nX);
    const bias = (): Tensor => d(nA, 1);
    const lstm = { x: d(nX, m, T), a0: d(nA, m), c0: d(nA, m), Wf: w(), bf: bias(), Wi: w(), bi: bias(), Wc: w(), bc: bias(), Wo: w(), bo: bias() };
    const rnn = { x: lstm.x, a0: lstm.a0, Waa: half(nA, nA), Wax: half(nA, nX), ba: bias() };
    const gru = { x: lstm.x, a0: lstm.a0, Wz: w(), bz: bias(), Wr: w(), br: bias(), Whx: half(nA, nX), bhx: bias(), Whh: half(nA, nA), bhh: bias() };
    const out = { W: d(nY, nA), b: d(nY, 1) };
    const da = d(nA, m, T);
    const dz = d(nY, m, T);
    results.push(...(await compare(`lstmSequenceForward ${size}`, 'values', (b) => {
      const f = b.kernels.lstmSequenceForward(lstm);
      const last = f.steps[T - 1] as LstmStepTensors;
      return { a: f.a, c: f.c, yPred: b.kernels.softmaxOutput({ a: f.a, ...out }), logits: b.kernels.linearOutput({ a: f.a, ...out }), ...prefixed('steps[T-1].', { ...last }) };
    }, cpu, gpu, T)));
    results.push(...(await compare(`lstmSequenceBackward ${size}`, 'gradients', (b) => {
      const { tape } = b.kernels.lstmSequenceForward(lstm);
      return { ...b.kernels.lstmSequenceBackward({ da, tape, Wf: lstm.Wf, Wi: lstm.Wi, Wc: lstm.Wc, Wo: lstm.Wo }) };
    }, cpu, gpu, T)));
    results.push(...(await compare(`rnnSequenceForward ${size}`, 'values', (b) => {
      const f = b.kernels.rnnSequenceForward(rnn);
      return { a: f.a, ...prefixed('steps[T-1].', { ...(f.steps[T - 1] as RnnStepTensors) }) };
    }, cpu, gpu, T)));
    results.push(...(await compare(`rnnSequenceBackward ${size}`, 'gradients', (b) => {
      const { tape } = b.kernels.rnnSequenceForward(rnn);
      return { ...b.kernels.rnnSequenceBackward({ da, tape, Waa: rnn.Waa, Wax: rnn.Wax }) };
    }, cpu, gpu, T)));
    results.push(...(await compare(`gruSequenceForward ${size}`, 'values', (b) => {
      const f = b.kernels.gruSequenceForward(gru);
      return { a: f.a, ...prefixed('steps[0].', { ...(f.steps[0] as GruStepTensors) }), ...prefixed('steps[T-1].', { ...(f.steps[T - 1] as GruStepTensors) }) };
    }, cpu, gpu, T)));
    results.push(...(await compare(`gruSequenceBackward ${size}`, 'gradients', (b) => {
      const { tape } = b.kernels.gruSequenceForward(gru);
      return { ...b.kernels.gruSequenceBackward({ da, tape, Wz: gru.Wz, Wr: gru.Wr, Whx: gru.Whx, Whh: gru.Whh }) };
    }, cpu, gpu, T)));
    results.push(...(await compare(`outputBackward ${size}`, 'gradients', (b) => ({ ...b.kernels.outputBackward({ dz, a: da, W: out.W }) }), cpu, gpu, T)));
  }
  return results;
}

/** Per-example lengths of `m` examples over `T` steps: `T, T − 1, …, 0`, then again, so the full and the empty walk both occur once `m > T`. */
function lengthsFor(m: number, T: number): number[] {
  return Array.from({ length: m }, (_, j) => T - (j % (T + 1)));
}

/**
 * Seeded float32 inputs of one layer of every cell: `x (nX, m, T)`, `a0` and `c0 (nA, m)`, and each
 * cell's weights (recurrent and input weights at half scale, as in `compareSequences`); `draw` draws more.
 */
function drawLayer(seed: number, nX: number, nA: number, m: number, T: number) {
  const r = new RandomState(seed);
  const draw = (...shape: number[]): Tensor => r.randnAs(shape, 'float32');
  const half = (...shape: number[]): Tensor => Tensor.fromHost(draw(...shape).dataSync().map((v) => v / 2), shape, 'float32');
  const w = (): Tensor => half(nA, nA + nX);
  const bias = (): Tensor => draw(nA, 1);
  return {
    draw,
    x: draw(nX, m, T), a0: draw(nA, m), c0: draw(nA, m),
    rnn: { Waa: half(nA, nA), Wax: half(nA, nX), ba: bias() },
    lstm: { Wf: w(), bf: bias(), Wi: w(), bi: bias(), Wc: w(), bc: bias(), Wo: w(), bo: bias() },
    gru: { Wz: w(), bz: bias(), Wr: w(), br: bias(), Whx: half(nA, nX), bhx: bias(), Whh: half(nA, nA), bhh: bias() },
  };
}

/** Every cell's sequence kernels walking with per-example lengths, forward and in reverse, forward and backward. */
async function compareWalks(cpu: Backend, gpu: Backend): Promise<VectorResult[]> {
  const results: VectorResult[] = [];
  for (const [nX, nA, , m, T] of SEQUENCE_SIZES.filter(([, , , m]) => m > 1)) {
    const { draw, x, a0, c0, rnn, lstm, gru } = drawLayer(7000 + nX * 10 + nA, nX, nA, m, T);
    const da = draw(nA, m, T);
    for (const walk of [{ lengths: lengthsFor(m, T) }, { reverse: true, lengths: lengthsFor(m, T) }] as SequenceOptions[]) {
      const label = `n_x=${nX} n_a=${nA} m=${m} T_x=${T} ${walk.reverse === true ? 'reverse, ' : ''}lengths ${walk.lengths?.join(' ')}`;
      results.push(...(await compare(`rnnSequence walk ${label}`, 'gradients', (b) => {
        const f = b.kernels.rnnSequenceForward({ x, a0, ...rnn, ...walk });
        return { a: f.a, ...prefixed('grad.', { ...b.kernels.rnnSequenceBackward({ da, tape: f.tape, ...rnn }) }) };
      }, cpu, gpu, T)));
      results.push(...(await compare(`lstmSequence walk ${label}`, 'gradients', (b) => {
        const f = b.kernels.lstmSequenceForward({ x, a0, c0, ...lstm, ...walk });
        return { a: f.a, c: f.c, ...prefixed('grad.', { ...b.kernels.lstmSequenceBackward({ da, tape: f.tape, ...lstm }) }) };
      }, cpu, gpu, T)));
      results.push(...(await compare(`gruSequence walk ${label}`, 'gradients', (b) => {
        const f = b.kernels.gruSequenceForward({ x, a0, ...gru, ...walk });
        return { a: f.a, ...prefixed('grad.', { ...b.kernels.gruSequenceBackward({ da, tape: f.tape, ...gru }) }) };
      }, cpu, gpu, T)));
    }
  }
  return results;
}

/**
 * The forward-only variants — `clip`, the LSTM's `peepholes` and `inputForget`, the GRU's
 * `linearBeforeReset: false` — alone and combined, walking forward and in reverse with per-example
 * lengths: the states and the first and last time steps' tensors.
 */
async function compareVariants(cpu: Backend, gpu: Backend): Promise<VectorResult[]> {
  const results: VectorResult[] = [];
  for (const [nX, nA, , m, T] of SEQUENCE_SIZES.filter(([, , , m]) => m > 1)) {
    const { draw, x, a0, c0, rnn, lstm, gru } = drawLayer(8000 + nX * 10 + nA, nX, nA, m, T);
    const peepholes = { Pi: draw(nA, 1), Pf: draw(nA, 1), Po: draw(nA, 1) };
    const clip = 0.75;
    const lstmVariants = [{ clip }, { peepholes }, { inputForget: true }, { clip, peepholes, inputForget: true }];
    const gruVariants = [{ linearBeforeReset: false }, { clip }, { linearBeforeReset: false, clip }];
    const ends = (steps: readonly object[]): Outputs => ({ ...prefixed('steps[0].', { ...steps[0] }), ...prefixed('steps[T-1].', { ...steps[T - 1] }) });
    for (const walk of [{}, { reverse: true, lengths: lengthsFor(m, T) }] as SequenceOptions[]) {
      const label = `n_x=${nX} n_a=${nA} m=${m} T_x=${T}${walk.lengths === undefined ? '' : ` reverse, lengths ${walk.lengths.join(' ')}`}`;
      results.push(...(await compare(`rnnSequenceForward clip ${label}`, 'values', (b) => {
        const f = b.kernels.rnnSequenceForward({ x, a0, ...rnn, ...walk, clip });
        return { a: f.a, ...ends(f.steps) };
      }, cpu, gpu, T)));
      for (const v of lstmVariants) {
        results.push(...(await compare(`lstmSequenceForward ${Object.keys(v).join(', ')} ${label}`, 'values', (b) => {
          const f = b.kernels.lstmSequenceForward({ x, a0, c0, ...lstm, ...walk, ...v });
          return { a: f.a, c: f.c, ...ends(f.steps) };
        }, cpu, gpu, T)));
      }
      for (const v of gruVariants) {
        results.push(...(await compare(`gruSequenceForward ${Object.entries(v).map(([k, value]) => `${k}: ${value}`).join(', ')} ${label}`, 'values', (b) => {
          const f = b.kernels.gruSequenceForward({ x, a0, ...gru, ...walk, ...v });
          return { a: f.a, ...ends(f.steps) };
        }, cpu, gpu, T)));
      }
    }
  }
  return results;
}

/** `tensors` under keys that start with `prefix`. */
function prefixed(prefix: string, tensors: Readonly<Record<string, Tensor>>): Outputs {
  return Object.fromEntries(Object.entries(tensors).map(([key, t]) => [prefix + key, t]));
}

/**
 * The browser half of the conformance check: creates the CPU backend and a gpujs backend in
 * `mode`, runs the time-axis and flat kernels, each cell kernel forward and backward on the
 * conformance sizes, each sequence kernel on the sequence sizes, every cell's sequence kernels
 * walking with per-example lengths, forward and in reverse, and their forward-only variants, and
 * compares every output within the gpujs tolerances.
 */
export async function runBrowserVectors(mode: RequestedMode): Promise<BrowserReport> {
  const cpu = createCpuBackend();
  const gpu = await createGpuJsBackend({ mode });
  const results: VectorResult[] = [];
  const rng = new RandomState(5);
  const x = rng.randnAs([3, 4, 5], 'float32');
  results.push(...(await compare('time axis', 'values', (b) => {
    const steps = [0, 1, 2, 3, 4].map((t) => b.kernels.sliceTime(x, t));
    const joined = b.kernels.concatFlat([x, steps[1] as Tensor, x], [11, 12]);
    return {
      slice: steps[2] as Tensor, stack: b.kernels.stackTime(steps), add: b.kernels.add(steps[0] as Tensor, steps[1] as Tensor),
      concatFlat: joined, sliceFlat: b.kernels.sliceFlat(joined, 60, [3, 4]), maskColumns: b.kernels.maskColumns(x, [true, false, false, true, true]),
    };
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
    const gru = {
      xt: d(nX, m), aPrev: d(nA, m), Wz: w(), bz: bias(), Wr: w(), br: bias(), Whx: d(nA, nX), bhx: bias(), Whh: d(nA, nA), bhh: bias(), Wy: d(nY, nA), by: d(nY, 1),
    };
    results.push(...(await compare(`gruCellForward ${size}`, 'values', (b) => ({ ...b.kernels.gruCellForward(gru) }), cpu, gpu)));
    results.push(...(await compare(`gruCellBackward ${size}`, 'gradients', (b) => {
      const f = b.kernels.gruCellForward(gru);
      const args = { daNext, zt: f.zt, rt: f.rt, hct: f.hct, hh: f.hh, ...gru };
      const { dxt: _dxt, daPrev: _daPrev, ...first } = b.kernels.gruCellBackward(args);
      return { ...b.kernels.gruCellBackward({ ...args, daCarry }, first) };
    }, cpu, gpu)));
  }
  results.push(...(await compareSequences(cpu, gpu)));
  results.push(...(await compareWalks(cpu, gpu)));
  results.push(...(await compareVariants(cpu, gpu)));
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
