import { createCpuBackend } from '@rnn/backend-cpu';
import { createGpuJsBackend } from '@rnn/backend-gpujs';
import { RandomState, type Backend } from '@rnn/tensor';
import { SequenceModel } from '@rnn/train';
import type { FromTrainer, ToTrainer, TrainRequest, WebBackend } from './protocol.js';
import { runCorpus } from './run-corpus.js';
import { traceHeatmap } from './trace-heatmap.js';

// One training run, off the page's thread: the page only draws what this posts. A `stop`
// message aborts the run's signal; `fit` yields between iterations, so it is seen there. While
// the backend is set up (gpu.js compiles its kernels on the first calls) the page does not wait
// for that: it ends this worker.

/**
 * Progress is posted this often (ms), and at the first and last iterations and every held-out
 * evaluation, with the curve's points since the last post: any run shows movement well within a
 * second, and the page draws a few times a second however fast the iterations go.
 */
const PROGRESS_MS = 150;
/** Samples are drawn at every 1/6 of the run, and at least this often (ms). */
const SAMPLES_MS = 5000;

function post(message: FromTrainer, transfer: Transferable[] = []): void {
  self.postMessage(message, { transfer });
}

/** The CPU backend runs on WebAssembly SIMD (`mode` `wasm-simd`) where the browser has it; gpu.js in the mode asked for. */
async function makeBackend(kind: WebBackend): Promise<Backend> {
  return kind === 'cpu' ? createCpuBackend() : createGpuJsBackend({ mode: kind });
}

async function train(request: TrainRequest, signal: AbortSignal): Promise<void> {
  post({ type: 'phase', phase: 'preparing the names and the 3-gram' });
  const corpus = runCorpus(request.data);
  post({ type: 'phase', phase: request.backend === 'cpu' ? 'starting the CPU backend' : `starting gpu.js on ${request.backend === 'webgpu' ? 'WebGPU' : 'WebGL2'}` });
  const backend = await makeBackend(request.backend);
  const cpu = request.backend === 'cpu' ? backend : createCpuBackend();
  try {
    const { cell, numLayers, hiddenSize, seed, iterations } = request;
    const model = SequenceModel.create({ cell, numLayers, vocabulary: corpus.vocabulary, hiddenSize, seed });
    if (signal.aborted) {
      post({ type: 'done', iterations: 0, seconds: 0, heldOut: Number.NaN, stopped: true, checkpoint: null });
      return;
    }
    post({ type: 'phase', phase: request.backend === 'cpu' ? 'drawing a first name' : 'compiling the forward kernels (first name)' });
    const first = await model.sample({ seed, backend });
    const firstCpu = cpu === backend ? first : await model.sample({ seed, backend: cpu });
    post({
      type: 'ready', mode: backend.mode, dtype: backend.computeDType ?? 'float64', firstSample: first.text, firstSampleCpu: firstCpu.text,
      ngramNatsPerChar: corpus.ngramNatsPerChar, trainNames: corpus.train.length, heldOutNames: corpus.heldOut.length, vocabularySize: corpus.vocabulary.size,
    });
    // The sampler's own stream: seed + 1, wrapped into RandomState's range so the largest seed works too.
    const sampleRng = new RandomState((seed + 1) % 2 ** 32);
    let lastSamples = 0;
    const samples = async (iteration: number): Promise<void> => {
      const drawn = [];
      for (let k = 0; k < 5 && !(signal.aborted && iteration > 0); k++) drawn.push(await model.sample({ rng: sampleRng, backend, trace: k === 0 }));
      const lead = drawn[0];
      const heatmap = lead?.trace === undefined ? undefined : traceHeatmap(lead.text, lead.ended, lead.trace);
      post({ type: 'samples', iteration, names: drawn.map((s) => s.text), heatmap });
      lastSamples = performance.now();
    };
    await samples(0);
    if (request.backend !== 'cpu') post({ type: 'phase', phase: 'compiling the training kernels (first iteration)' });
    const every = Math.max(1, Math.round(iterations / 500));
    const sampleEvery = Math.max(1, Math.round(iterations / 6));
    let lastPost = 0;
    let points: [number, number][] = [];
    const report = await model.fit(corpus.train, {
      iterations, batchSize: request.batchSize, learningRate: request.learningRate, schedule: 'cosine', seed, backend,
      heldOut: corpus.heldOut, evaluateEvery: Math.max(1, Math.round(iterations / 10)), signal,
      onProgress: async (p) => {
        const now = performance.now();
        const last = p.iteration === p.iterations;
        if (p.iteration % every === 0 || p.iteration === 1 || last) points.push([p.iteration, p.smoothLoss]);
        if (p.heldOutLoss !== undefined || p.iteration === 1 || last || now - lastPost >= PROGRESS_MS) {
          post({ type: 'progress', iteration: p.iteration, points, heldOut: p.heldOutLoss, namesPerSecond: p.examples / p.seconds, seconds: p.seconds });
          points = [];
          lastPost = now;
        }
        if (p.iteration < iterations && (p.iteration % sampleEvery === 0 || now - lastSamples >= SAMPLES_MS)) await samples(p.iteration);
      },
    });
    if (points.length > 0) post({ type: 'progress', iteration: report.iterations, points, namesPerSecond: (report.iterations * request.batchSize) / report.seconds, seconds: report.seconds });
    if (report.iterations > 0) await samples(report.iterations);
    const heldOut = report.heldOutLoss ?? Number.NaN;
    model.metadata = {
      ...model.metadata, seed, backend: backend.name, mode: backend.mode, heldOutNatsPerChar: heldOut,
      ngramBaselineNatsPerChar: corpus.ngramNatsPerChar, corpus: corpus.name, split: '90/10, seed 0',
    };
    const checkpoint = report.iterations > 0 ? model.save() : null;
    post({ type: 'done', iterations: report.iterations, seconds: report.seconds, heldOut, stopped: report.stopped, checkpoint }, checkpoint === null ? [] : [checkpoint.buffer]);
  } finally {
    if (cpu !== backend) cpu.dispose();
    backend.dispose();
  }
}

const stop = new AbortController();
self.onmessage = (event: MessageEvent<ToTrainer>) => {
  const message = event.data;
  if (message.type === 'stop') {
    stop.abort();
    return;
  }
  train(message, stop.signal).catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
};
