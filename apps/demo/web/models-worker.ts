import { createCpuBackend, type CpuBackend } from '@rnn/backend-cpu';
import { RandomState } from '@rnn/tensor';
import { SequenceModel } from '@rnn/train';
import type { FromModels, ModelInfo, ToModels } from './protocol.js';
import { traceHeatmap } from './trace-heatmap.js';

// The checkpoints the page holds (trained here or loaded from a file), each read once with
// SequenceModel.load and kept under the page's id, to sample from and trace names through on
// the CPU backend while another run trains.

const models = new Map<number, SequenceModel>();
let cpu: CpuBackend | undefined;

function post(message: FromModels): void {
  self.postMessage(message);
}

const numberOr = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const textOr = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Reads a checkpoint; a model the page cannot sample names from is refused with the reason. */
function load(bytes: Uint8Array): { model: SequenceModel; info: ModelInfo } {
  const model = SequenceModel.load(bytes);
  if (model.vocabulary === undefined) throw new Error(`this checkpoint holds a ${model.task} model; the page samples names from character models only`);
  if (model.bidirectional) throw new Error('this checkpoint holds a bidirectional model, which cannot sample names: it reads each name backwards too');
  const m = model.metadata;
  const backend = textOr(m.backend);
  const mode = textOr(m.mode);
  const info: ModelInfo = {
    cell: model.cell, hiddenSize: model.hiddenSize, numLayers: model.numLayers,
    characters: model.vocabulary.chars.filter((c) => c !== '\n'),
    iterations: numberOr(m.iterations), seed: numberOr(m.seed) ?? numberOr(m.initSeed),
    backend: backend === null ? null : mode === null ? backend : `${backend} (${mode})`,
    heldOutNatsPerChar: numberOr(m.heldOutNatsPerChar), corpus: textOr(m.corpus),
  };
  return { model, info };
}

async function handle(message: ToModels): Promise<FromModels> {
  const { request } = message;
  if (message.type === 'load') {
    const { model, info } = load(message.bytes);
    models.set(message.model, model);
    return { type: 'loaded', request, info };
  }
  const model = models.get(message.model);
  if (model === undefined) throw new Error(`no model ${message.model} is loaded`);
  cpu ??= createCpuBackend();
  if (message.type === 'sample') {
    const rng = new RandomState(message.seed);
    const names: string[] = [];
    for (let k = 0; k < message.count; k++) {
      names.push((await model.sample({ rng, temperature: message.temperature, prefix: message.prefix, backend: cpu })).text);
    }
    return { type: 'sampled', request, names };
  }
  // The name is fed as a prefix and one character drawn after it: the trace covers the start and every character of the name.
  const { trace } = await model.sample({ prefix: message.text, maxLength: 1, trace: true, backend: cpu });
  if (trace === undefined) throw new Error('the model returned no trace');
  return { type: 'inspected', request, heatmap: traceHeatmap(message.text, true, trace) };
}

self.onmessage = (event: MessageEvent<ToModels>) => {
  const message = event.data;
  handle(message).then(post, (error: unknown) => post({ type: 'failed', request: message.request, message: error instanceof Error ? error.message : String(error) }));
};
