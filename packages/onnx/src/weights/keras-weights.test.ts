import { createCpuBackend } from '@rnn/backend-cpu';
import { tensor } from '@rnn/tensor';
import { compareClose } from '@rnn/tensor/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, importKeras, OnnxModel, WeightImportError, type KerasModel, type KerasModelJson } from '../index.js';
import { encodeWithOnnxProto } from '../test-support/onnx-proto-encode.js';
import { runOrt } from '../test-support/ort.js';
import { ourForward, randomValues } from '../test-support/layer-models.js';
import { drawer } from '../test-support/recurrent-models.js';

/**
 * Keras / TensorFlow.js weights: tfjs layers (`@tensorflow/tfjs` 4.22, its `cpu` backend, float32)
 * with random weights, saved as tfjs saves them, imported with `importKeras` and run by us —
 * `layersForward` in float64, or for tfjs's GRU (reset_after false, a forward-only variant)
 * `OnnxModel` on `exportOnnx` of the import, in float32 — must give `model.predict`'s outputs:
 * rtol 1e-4, atol 2e-5. Keras's default GRU (reset_after true) does not run in tfjs; it is checked
 * against onnxruntime on the ONNX node tf2onnx makes of it.
 */
const TOLERANCE = { rtol: 1e-4, atol: 2e-5 };
const backend = createCpuBackend();

type LayerMaker = (returnSequences: boolean, inputShape?: number[]) => tf.layers.Layer;
type RnnMaker = (returnSequences: boolean, inputShape?: number[]) => tf.RNN;

interface KerasCase {
  readonly label: string;
  readonly layers: readonly LayerMaker[];
  readonly dense?: 'softmax' | 'linear';
  readonly nX: number;
}

const lstm = (units: number, useBias = true): RnnMaker => (returnSequences, inputShape) => tf.layers.lstm({ units, returnSequences, recurrentActivation: 'sigmoid', useBias, ...(inputShape === undefined ? {} : { inputShape }) });
const gru = (units: number): RnnMaker => (returnSequences, inputShape) => tf.layers.gru({ units, returnSequences, recurrentActivation: 'sigmoid', ...(inputShape === undefined ? {} : { inputShape }) });
const simple = (units: number): RnnMaker => (returnSequences, inputShape) => tf.layers.simpleRNN({ units, returnSequences, ...(inputShape === undefined ? {} : { inputShape }) });
const bidi = (inner: RnnMaker): LayerMaker => (returnSequences, inputShape) => tf.layers.bidirectional({ layer: inner(returnSequences), mergeMode: 'concat', ...(inputShape === undefined ? {} : { inputShape }) });

const CASES: KerasCase[] = [
  { label: 'LSTM + Dense softmax', layers: [lstm(4)], dense: 'softmax', nX: 3 },
  { label: 'LSTM × 2, bidirectional, no bias', layers: [bidi(lstm(3, false)), bidi(lstm(3, false))], nX: 2 },
  { label: 'GRU (reset_after false) × 2', layers: [gru(3), gru(3)], nX: 3 },
  { label: 'GRU (reset_after false), bidirectional + Dense linear', layers: [bidi(gru(3))], dense: 'linear', nX: 2 },
  { label: 'SimpleRNN, bidirectional + Dense linear', layers: [bidi(simple(4))], dense: 'linear', nX: 3 },
  { label: 'SimpleRNN × 3 + Dense softmax', layers: [simple(3), simple(3), simple(3)], dense: 'softmax', nX: 2 },
];

async function build(c: KerasCase, T: number): Promise<{ model: tf.Sequential; json: KerasModelJson; weights: ArrayBuffer }> {
  const model = tf.sequential();
  c.layers.forEach((make, i) => model.add(make(true, i === 0 ? [T, c.nX] : undefined)));
  if (c.dense !== undefined) model.add(tf.layers.dense({ units: 3, activation: c.dense }));
  const draw = drawer(31);
  model.setWeights(model.getWeights().map((w) => tf.tensor(draw(w.size, 0.5), w.shape)));
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  if (saved === undefined || saved.weightSpecs === undefined || !(saved.weightData instanceof ArrayBuffer)) throw new Error('tfjs saved no weights');
  // As on disk: model.json with a weightsManifest, the weights in two shard files.
  const json: KerasModelJson = { modelTopology: saved.modelTopology, weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: saved.weightSpecs }] };
  return { model, json: JSON.parse(JSON.stringify(json)) as KerasModelJson, weights: saved.weightData };
}

/** Our output `(m, T, n)` for `x (m, T, n_x)`, the way Keras lays both out. */
async function ours(imported: KerasModel, x: number[], m: number, T: number): Promise<Float64Array> {
  const nX = imported.layers.inputSize;
  const X = new Float64Array(T * m * nX); // (T, m, n_x)
  for (let j = 0; j < m; j++) for (let t = 0; t < T; t++) for (let i = 0; i < nX; i++) X[(t * m + j) * nX + i] = x[(j * T + t) * nX + i] as number;
  let timeMajor: ArrayLike<number>;
  let n: number;
  if (imported.variant === undefined) {
    timeMajor = ourForward(imported.layers, { ...imported.parameters }, imported.head ?? 'softmax', X, T, m, backend).output;
    n = timeMajor.length / (T * m);
  } else {
    const onnx = OnnxModel.load(exportOnnx(imported));
    const out = Object.values(await onnx.run({ X: tensor(Float32Array.from(X), [T, m, nX], 'float32') }, { backend }))[0];
    timeMajor = out?.dataSync() ?? [];
    n = out?.shape[2] ?? 0;
  }
  const back = new Float64Array(m * T * n);
  for (let j = 0; j < m; j++) for (let t = 0; t < T; t++) for (let k = 0; k < n; k++) back[(j * T + t) * n + k] = timeMajor[(t * m + j) * n + k] as number;
  return back;
}

describe('importKeras: tfjs layers compute what our import computes', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(CASES)('$label', async (c) => {
    const [m, T] = [2, 5];
    const { model, json, weights } = await build(c, T);
    const half = Math.floor(weights.byteLength / 8) * 4;
    const imported = importKeras(json, [weights.slice(0, half), new Uint8Array(weights.slice(half))]);
    expect(imported.layers.numLayers).toBe(c.layers.length);
    expect(imported.returnSequences).toBe(true);
    const x = randomValues(m * T * c.nX, 32);
    const want = (model.predict(tf.tensor(x, [m, T, c.nX])) as tf.Tensor).dataSync();
    const report = compareClose(await ours(imported, x, m, T), want, TOLERANCE);
    expect(report.ok, report.message).toBe(true);
    if (imported.variant !== undefined) expect(imported.variant).toEqual({ linearBeforeReset: false });
  });

  it('refuses what has no @rnn equivalent, naming the layer', async () => {
    const base = (await build(CASES[0] as KerasCase, 5)).json;
    const withLayer = (edit: (layer: Record<string, unknown>) => void): KerasModelJson => {
      const j = JSON.parse(JSON.stringify(base)) as { modelTopology: { config: { layers: { config: Record<string, unknown> }[] } } };
      edit((j.modelTopology.config.layers[0] as { config: Record<string, unknown> }).config);
      return { ...base, modelTopology: j.modelTopology };
    };
    const weights = (await build(CASES[0] as KerasCase, 5)).weights;
    const refuse = (json: KerasModelJson, pattern: RegExp): void => {
      expect(() => importKeras(json, weights)).toThrow(WeightImportError);
      expect(() => importKeras(json, weights)).toThrow(pattern);
    };
    refuse(withLayer((l) => { l['recurrent_activation'] = 'hard_sigmoid'; }), /recurrent_activation hard_sigmoid is not supported \(sigmoid only; tfjs's default is hardSigmoid/);
    refuse(withLayer((l) => { l['activation'] = 'relu'; }), /activation relu is not supported/);
    refuse(withLayer((l) => { l['go_backwards'] = true; }), /go_backwards outside a Bidirectional/);
    refuse(withLayer((l) => { l['stateful'] = true; }), /stateful/);
    expect(() => importKeras(base, weights.slice(0, 40))).toThrow(/runs past the 40 bytes of weight data/);
    const conv = { ...base, modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'Conv1D', config: { name: 'conv' } }] } } };
    refuse(conv, /layer class Conv1D is not supported/);
  });
});

describe('importKeras: Keras\'s default GRU (reset_after true), as tensorflowjs_converter writes it', () => {
  it('equals onnxruntime on the GRU node tf2onnx makes of it (linear_before_reset = 1)', async () => {
    const [nX, H, m, T] = [3, 4, 2, 5];
    const draw = drawer(41);
    const kernel = draw(nX * 3 * H, 0.5);
    const recurrent = draw(H * 3 * H, 0.5);
    const bias = draw(2 * 3 * H, 0.5);
    const json: KerasModelJson = {
      modelTopology: {
        keras_version: '2.15.0', backend: 'tensorflow',
        model_config: { class_name: 'Sequential', config: { name: 'sequential', layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, T, nX], name: 'input_1' } },
          { class_name: 'GRU', config: { name: 'gru', units: H, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, reset_after: true, return_sequences: true } },
        ] } },
      },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [
        { name: 'gru/gru_cell/kernel', shape: [nX, 3 * H], dtype: 'float32' },
        { name: 'gru/gru_cell/recurrent_kernel', shape: [H, 3 * H], dtype: 'float32' },
        { name: 'gru/gru_cell/bias', shape: [2, 3 * H], dtype: 'float32' },
      ] }],
    };
    const imported = importKeras(json, new Uint8Array(Float32Array.from([...kernel, ...recurrent, ...bias]).buffer));
    expect(imported.variant).toBeUndefined();
    expect(imported.layers).toEqual({ cell: 'gru', inputSize: nX, hiddenSize: H, numLayers: 1, bidirectional: false });
    // tf2onnx: W = kernelᵀ, R = recurrent_kernelᵀ (Keras's z, r, h is ONNX's order), B = both bias rows.
    const transpose = (v: number[], rows: number, cols: number): number[] => Array.from({ length: rows * cols }, (_, k) => v[(k % rows) * cols + Math.floor(k / rows)] as number);
    const spec = {
      irVersion: 8, opset: 17, producerName: 'tf2onnx-layout', producerVersion: '0',
      graph: {
        name: 'keras_gru',
        nodes: [{ opType: 'GRU', inputs: ['X', 'W', 'R', 'B'], outputs: ['Y'], attributes: { hidden_size: { int: H }, linear_before_reset: { int: 1 } } }],
        initializers: [
          { name: 'W', type: 'float32' as const, dims: [1, 3 * H, nX], data: transpose(kernel, nX, 3 * H) },
          { name: 'R', type: 'float32' as const, dims: [1, 3 * H, H], data: transpose(recurrent, H, 3 * H) },
          { name: 'B', type: 'float32' as const, dims: [1, 6 * H], data: bias },
        ],
        inputs: [{ name: 'X', type: 'float32' as const, shape: [T, m, nX] }],
        outputs: [{ name: 'Y', type: 'float32' as const }],
      },
    };
    const X = randomValues(T * m * nX, 42);
    const want = (await runOrt(await encodeWithOnnxProto(spec), { X: { type: 'float32', dims: [T, m, nX], data: X } }))['Y']?.data ?? [];
    const report = compareClose(ourForward(imported.layers, { ...imported.parameters }, 'softmax', X, T, m, backend).output, want, TOLERANCE);
    expect(report.ok, report.message).toBe(true);
  });
});
