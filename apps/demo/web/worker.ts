import { createCpuBackend } from '@rnn/backend-cpu';
import { createGpuJsBackend } from '@rnn/backend-gpujs';
import { RandomState, type Backend, type DType } from '@rnn/tensor';
import { fitNgramBaseline, SequenceModel, splitHeldOut, Vocabulary, type GateTrace } from '@rnn/train';
import dinos from '../data/dinos.txt?raw';
import type { FromWorker, HeatmapData, ToWorker, WebBackend } from './protocol.js';

// Training runs here, off the page's thread: the page only draws what this posts.

let stop: AbortController | null = null;

function post(message: FromWorker): void {
  self.postMessage(message);
}

/** Lets queued messages (a `stop`) in between iterations; the CPU backend never yields by itself. */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

async function makeBackend(kind: WebBackend): Promise<{ backend: Backend; dtype: DType }> {
  if (kind === 'cpu') return { backend: createCpuBackend(), dtype: 'float64' };
  return { backend: await createGpuJsBackend({ mode: kind }), dtype: 'float32' };
}

/** Titles of the activations and states the cells' descriptions name; any other name is shown as it is. */
const TITLES: Readonly<Record<string, string>> = {
  ft: 'forget gate f⟨t⟩', it: 'update gate i⟨t⟩', cct: 'candidate c̃⟨t⟩', ot: 'output gate o⟨t⟩',
  zt: 'update gate z⟨t⟩', rt: 'reset gate r⟨t⟩', hct: 'candidate h̃⟨t⟩', hh: 'recurrent part hh⟨t⟩',
  a: 'hidden state a⟨t⟩', c: 'cell state c⟨t⟩',
};

/** One panel per activation and state of the bottom layer, in the order the cell's description lists them. */
function heatmap(text: string, ended: boolean, trace: GateTrace): HeatmapData {
  const panels = Object.entries(trace.layers[0] ?? {}).map(([name, steps]) => {
    const values = steps.map((s) => Array.from(s));
    return { title: TITLES[name] ?? name, values, diverging: values.some((column) => column.some((v) => v < 0)) };
  });
  return { labels: [...text, ...(ended ? ['⏎'] : [])], cell: trace.cell, panels };
}

async function train(request: Extract<ToWorker, { type: 'train' }>): Promise<void> {
  const names = dinos.split('\n').map((n) => n.trim()).filter((n) => n.length > 0);
  const vocabulary = Vocabulary.fromText(names.join(''));
  const { train: trainNames, heldOut } = splitHeldOut(names, 0.1, 0);
  const encode = (list: readonly string[]): number[][] => list.map((n) => vocabulary.encode(n));
  const ngram = fitNgramBaseline(encode(trainNames), { vocabSize: vocabulary.size, endIndex: vocabulary.endIndex });
  const ngramCe = ngram.crossEntropy(encode(heldOut));

  const { backend, dtype } = await makeBackend(request.backend);
  const cpu = createCpuBackend();
  try {
    const model = SequenceModel.create({ cell: request.cell, vocabulary, hiddenSize: request.hiddenSize, seed: request.seed });
    const first = await model.sample({ seed: request.seed, backend });
    const firstCpu = await model.sample({ seed: request.seed, backend: cpu });
    post({
      type: 'ready', backend: request.backend, mode: backend.mode, dtype, firstSample: first.text, firstSampleCpu: firstCpu.text,
      ngramNatsPerChar: ngramCe.totalNats / ngramCe.count, trainNames: trainNames.length, heldOutNames: heldOut.length,
    });
    stop = new AbortController();
    const sampleRng = new RandomState(request.seed + 1);
    const every = Math.max(1, Math.round(request.iterations / 100));
    const sampleEvery = Math.max(1, Math.round(request.iterations / 6));
    const samples = async (iteration: number): Promise<void> => {
      const drawn = [];
      for (let k = 0; k < 5; k++) drawn.push(await model.sample({ rng: sampleRng, backend, trace: k === 0 }));
      const lead = drawn[0];
      const map = lead?.trace === undefined ? undefined : heatmap(lead.text, lead.ended, lead.trace);
      post({ type: 'samples', iteration, names: drawn.map((s) => s.text), heatmap: map });
    };
    await samples(0);
    const report = await model.fit(trainNames, {
      iterations: request.iterations, batchSize: request.batchSize, learningRate: request.learningRate, schedule: 'cosine',
      seed: request.seed, backend, heldOut, evaluateEvery: Math.max(1, Math.round(request.iterations / 10)), signal: stop.signal,
      onProgress: async (p) => {
        if (p.iteration % every === 0 || p.heldOutLoss !== undefined) {
          post({ type: 'progress', iteration: p.iteration, loss: p.loss, smoothLoss: p.smoothLoss, heldOut: p.heldOutLoss, namesPerSecond: p.examples / p.seconds });
        }
        if (p.iteration % sampleEvery === 0) await samples(p.iteration);
        await yieldToEvents();
      },
    });
    await samples(report.iterations);
    post({ type: 'done', iterations: report.iterations, seconds: report.seconds, heldOut: report.heldOutLoss ?? Number.NaN, stopped: report.stopped });
  } finally {
    stop = null;
    backend.dispose();
    cpu.dispose();
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'stop') {
    stop?.abort();
    return;
  }
  train(message).catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
};
