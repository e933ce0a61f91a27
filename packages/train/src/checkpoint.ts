import { isCellName, layerParameterShapes, type LayerConfig } from '@rnn/cells';
import type { DType } from '@rnn/tensor';
import { planV1 } from './checkpoint-v1.js';
import { crc32 } from './crc32.js';
import { CheckpointError } from './errors.js';
import type { HostParameters, ModelLayers } from './parameters.js';
import { isTask, type ModelTask } from './task.js';
import { Vocabulary } from './vocabulary.js';

/** The format version this code writes. */
export const CHECKPOINT_VERSION = 2;

/** The format versions this code reads: 1 (@rnn/train 0.1's one-layer LSTM/RNN character models) and 2. */
export const READABLE_CHECKPOINT_VERSIONS: readonly number[] = [1, 2];

/** First 8 bytes of every checkpoint: `\x89RNNCKPT` (a non-ASCII first byte, as PNG does, so text tools do not mistake it). */
export const CHECKPOINT_MAGIC = Uint8Array.of(0x89, 0x52, 0x4e, 0x4e, 0x43, 0x4b, 0x50, 0x54);

const FORMAT = 'rnn-train-checkpoint';
const PREFIX = 16;

/**
 * Facts about a model saved with it. `@rnn/train` writes the named ones (`SequenceModel.create`
 * and `fit`) and checks their types when it reads a checkpoint; any other JSON value may sit
 * beside them.
 */
export interface CheckpointMetadata {
  /** Iterations trained so far, over every `fit` call: a non-negative integer. */
  readonly iterations?: number | undefined;
  /** The seed `SequenceModel.create` drew the weights from: an integer. */
  readonly initSeed?: number | undefined;
  /** The optimizer of the last `fit`: `adam`, `sgd` or a custom optimizer's name. */
  readonly optimizer?: string | undefined;
  /** Examples (names) per batch in the last `fit`: a positive integer. */
  readonly batchSize?: number | undefined;
  /** Learning rate of the last `fit`: a positive number. */
  readonly learningRate?: number | undefined;
  /** Learning-rate schedule of the last `fit`: `constant` or `cosine`. */
  readonly schedule?: string | undefined;
  /** Anything else, as JSON. */
  readonly [key: string]: unknown;
}

/** What a checkpoint holds. */
export interface CheckpointData {
  /** The layer stack and its head: cell, `inputSize`, `hiddenSize`, `numLayers`, `bidirectional`, `outputSize`. */
  readonly layers: LayerConfig;
  /** What the model learns (see `ModelTask`). */
  readonly task: ModelTask;
  /** The characters by index, for the `characters` task (`inputSize = outputSize` = their number). */
  readonly vocabulary?: readonly string[] | undefined;
  /** The element type the model sends to a backend, or `undefined` for what each backend computes in. */
  readonly dtype?: DType | undefined;
  /** float64 values keyed as `layerParameterShapes` names them (`l0.Wf`, …, `Wy`, `by`). */
  readonly parameters: HostParameters;
  /** JSON about the training run (iterations, seed, losses …); see `CheckpointMetadata`. */
  readonly metadata?: CheckpointMetadata | undefined;
}

/** What `decodeCheckpoint` returns: the data, every layer field filled in, and the format version it was read from. */
export interface DecodedCheckpoint extends CheckpointData {
  readonly layers: ModelLayers;
  /** `1` or `2`. */
  readonly version: number;
}

/** What a header says about its weights: the model, and each stored tensor's key in the stack, stored name and shape, in file order. */
export interface CheckpointPlan {
  readonly version: number;
  readonly layers: ModelLayers;
  readonly task: ModelTask;
  readonly vocabulary: readonly string[] | undefined;
  readonly dtype: DType | undefined;
  readonly tensors: readonly { readonly name: string; readonly stored: string; readonly shape: readonly [number, number] }[];
}

/** The version-2 JSON header, as stored. */
interface Header {
  format: string;
  version: number;
  layers: ModelLayers;
  task: ModelTask;
  vocabulary: string[] | null;
  dtype: DType | null;
  weights: 'float64';
  tensors: { name: string; shape: [number, number] }[];
  metadata: CheckpointMetadata;
}

/** The stack with defaults filled in, or a `header` error naming the field. */
function completeLayers(fn: string, layers: unknown): ModelLayers {
  const bad = (what: string): never => {
    throw new CheckpointError(fn, 'header', what);
  };
  if (typeof layers !== 'object' || layers === null) return bad('layers is not an object');
  const l = layers as Partial<LayerConfig>;
  if (!isCellName(l.cell)) bad(`layers.cell is ${JSON.stringify(l.cell)}, not "rnn", "lstm" or "gru"`);
  const size = (key: 'inputSize' | 'hiddenSize' | 'numLayers' | 'outputSize', value: unknown): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) bad(`layers.${key} ${JSON.stringify(value)} is not a positive integer`);
    return value as number;
  };
  const bidirectional = l.bidirectional ?? false;
  if (typeof bidirectional !== 'boolean') bad(`layers.bidirectional ${JSON.stringify(bidirectional)} is not a boolean`);
  return {
    cell: l.cell as ModelLayers['cell'],
    inputSize: size('inputSize', l.inputSize),
    hiddenSize: size('hiddenSize', l.hiddenSize),
    numLayers: size('numLayers', l.numLayers ?? 1),
    bidirectional,
    outputSize: size('outputSize', l.outputSize),
  };
}

/** Checks the task, vocabulary and dtype against the stack; returns the vocabulary's characters. */
function checkModel(fn: string, layers: ModelLayers, task: unknown, vocabulary: unknown, dtype: unknown, problem: 'header' | 'mismatch'): readonly string[] | undefined {
  const bad = (what: string): never => {
    throw new CheckpointError(fn, problem, what);
  };
  if (!isTask(task)) bad(`task is ${JSON.stringify(task)}, not a ModelTask`);
  if (dtype !== undefined && dtype !== null && dtype !== 'float32' && dtype !== 'float64') bad(`dtype ${JSON.stringify(dtype)} is not "float32", "float64" or null`);
  if (task !== 'characters') {
    if (vocabulary !== undefined && vocabulary !== null) bad(`a ${String(task)} model has no vocabulary`);
    return undefined;
  }
  if (!Array.isArray(vocabulary)) return bad('vocabulary is not a list (a characters model has one)');
  let chars: readonly string[];
  try {
    chars = new Vocabulary(vocabulary as string[]).chars;
  } catch (cause) {
    return bad(`vocabulary is invalid (${(cause as Error).message})`);
  }
  if (layers.inputSize !== chars.length || layers.outputSize !== chars.length) {
    bad(`a characters model reads and writes its ${chars.length} characters, but layers.inputSize is ${layers.inputSize} and layers.outputSize ${layers.outputSize}`);
  }
  return chars;
}

/**
 * Encodes a checkpoint, format version 2. Layout (all little-endian):
 *
 *     0   8 bytes   magic  \x89 R N N C K P T
 *     8   u32       format version (2)
 *     12  u32       header length H
 *     16  H bytes   JSON header: format, version, layers { cell, inputSize, hiddenSize,
 *                   numLayers, bidirectional, outputSize }, task, vocabulary (or null),
 *                   dtype (the model's, or null), weights "float64",
 *                   tensors [{ name, shape }] in storage order, metadata
 *         0–7 bytes zero padding to a multiple of 8
 *         …         weights: float64, each tensor in C order, in header order
 *         u32       CRC-32 of every byte before it
 *
 * Refuses, with a `CheckpointError`, weights that are not finite (`non-finite`: a diverged
 * model is never written), a model that does not hold together or parameters of the wrong size
 * (`header`) and metadata of the wrong type (`metadata`, see `CheckpointMetadata`).
 *
 * @example
 * ```ts
 * const layers = { cell: 'gru', inputSize: 1, hiddenSize: 16, numLayers: 2, outputSize: 1 } as const;
 * const bytes = encodeCheckpoint({ layers, task: 'last-step-regression', parameters: initParameters(layers, { seed: 1 }), metadata: { iterations: 0 } });
 * decodeCheckpoint(bytes).layers.numLayers;   // 2
 * ```
 */
export function encodeCheckpoint(data: CheckpointData): Uint8Array {
  const fn = 'encodeCheckpoint';
  const layers = completeLayers(fn, data.layers);
  const vocabulary = checkModel(fn, layers, data.task, data.vocabulary, data.dtype, 'header');
  const shapes = layerParameterShapes(layers);
  const header: Header = {
    format: FORMAT,
    version: CHECKPOINT_VERSION,
    layers,
    task: data.task,
    vocabulary: vocabulary === undefined ? null : [...vocabulary],
    dtype: data.dtype ?? null,
    weights: 'float64',
    tensors: shapes.map(({ name, shape: [r, c] }) => ({ name, shape: [r, c] })),
    metadata: checkMetadata(fn, data.metadata ?? {}),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const weightsOffset = align8(PREFIX + json.length);
  let weightCount = 0;
  for (const { name, shape: [r, c] } of shapes) {
    const values = data.parameters[name];
    if (values === undefined || values.length !== r * c) {
      throw new CheckpointError(fn, 'header', `parameter ${name} should hold (${r}, ${c}) = ${r * c} values, got ${values?.length ?? 'none'}`);
    }
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new CheckpointError(fn, 'non-finite', `parameter ${name} holds ${values[bad]} at index ${bad}; a model with non-finite weights is not saved`);
    weightCount += r * c;
  }
  const bytes = new Uint8Array(weightsOffset + weightCount * 8 + 4);
  const view = new DataView(bytes.buffer);
  bytes.set(CHECKPOINT_MAGIC, 0);
  view.setUint32(8, CHECKPOINT_VERSION, true);
  view.setUint32(12, json.length, true);
  bytes.set(json, PREFIX);
  let offset = weightsOffset;
  for (const { name } of shapes) {
    for (const v of data.parameters[name] ?? []) {
      view.setFloat64(offset, v, true);
      offset += 8;
    }
  }
  view.setUint32(offset, crc32(bytes.subarray(0, offset)), true);
  return bytes;
}

/** What the caller expects of a checkpoint; any field given must match or `decodeCheckpoint` throws a `mismatch`. */
export interface CheckpointExpectation {
  /** The cell the file must hold. */
  readonly cell?: LayerConfig['cell'] | undefined;
  /** The `n_a` it must have. */
  readonly hiddenSize?: number | undefined;
  /** The layers it must stack. */
  readonly numLayers?: number | undefined;
  /** Whether it must be bidirectional. */
  readonly bidirectional?: boolean | undefined;
  /** The task it must learn. */
  readonly task?: ModelTask | undefined;
  /** The characters, in order, it must use. */
  readonly vocabulary?: readonly string[] | undefined;
}

/**
 * Decodes and validates a checkpoint of format version 2, or 1 (read as a one-layer
 * `characters` model, its keys renamed to the stack's: `Wf` → `l0.Wf`, `Wya` → `Wy`); nothing is
 * returned unless every check passes. Throws a `CheckpointError` whose `problem` says why:
 * `truncated`, `magic` (not a checkpoint), `version` (a format version this code cannot read),
 * `checksum` (bytes changed since they were written), `header` (a header that does not describe
 * its weights), `mismatch` (not the model `expect` describes), `non-finite` (weights holding NaN
 * or ±∞) or `metadata` (a `CheckpointMetadata` entry of the wrong type).
 *
 * @example
 * ```ts
 * const { layers, task, parameters } = decodeCheckpoint(bytes, { cell: 'lstm' });   // throws unless an LSTM
 * ```
 */
export function decodeCheckpoint(bytes: Uint8Array, expect: CheckpointExpectation = {}): DecodedCheckpoint {
  const fn = 'decodeCheckpoint';
  if (bytes.length < PREFIX + 4) throw new CheckpointError(fn, 'truncated', `${bytes.length} bytes is shorter than the smallest checkpoint`);
  if (!CHECKPOINT_MAGIC.every((b, i) => bytes[i] === b)) throw new CheckpointError(fn, 'magic', 'the file does not start with \\x89RNNCKPT; it is not an @rnn/train checkpoint');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (!READABLE_CHECKPOINT_VERSIONS.includes(version)) {
    throw new CheckpointError(fn, 'version', `format version ${version} cannot be read; this code reads versions ${READABLE_CHECKPOINT_VERSIONS.join(' and ')}`);
  }
  const headerLength = view.getUint32(12, true);
  if (PREFIX + headerLength + 4 > bytes.length) throw new CheckpointError(fn, 'truncated', `the header claims ${headerLength} bytes but the file holds ${bytes.length}`);
  const end = bytes.length - 4;
  const stored = view.getUint32(end, true);
  const actual = crc32(bytes.subarray(0, end));
  if (stored !== actual) {
    throw new CheckpointError(fn, 'checksum', `CRC-32 is ${hex(actual)} but ${hex(stored)} was stored: the file was corrupted or cut short`);
  }
  const raw = parseHeader(fn, bytes.subarray(PREFIX, PREFIX + headerLength));
  const plan = version === 1 ? planV1(fn, raw) : planV2(fn, raw);
  const metadata = raw.metadata === undefined ? {} : checkMetadata(fn, raw.metadata);
  const weightsOffset = align8(PREFIX + headerLength);
  const count = plan.tensors.reduce((n, { shape: [r, c] }) => n + r * c, 0);
  if (end - weightsOffset !== count * 8) throw new CheckpointError(fn, 'header', `the header lists ${count} float64 weights (${count * 8} bytes) but ${end - weightsOffset} bytes follow it`);

  checkExpectation(fn, plan, expect);
  const parameters: Record<string, Float64Array> = {};
  let offset = weightsOffset;
  for (const { name, stored: key, shape: [r, c] } of plan.tensors) {
    const values = new Float64Array(r * c);
    for (let i = 0; i < values.length; i++, offset += 8) values[i] = view.getFloat64(offset, true);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new CheckpointError(fn, 'non-finite', `parameter ${key} holds ${values[bad]} at index ${bad}`);
    parameters[name] = values;
  }
  return { version: plan.version, layers: plan.layers, task: plan.task, vocabulary: plan.vocabulary, dtype: plan.dtype, parameters, metadata };
}

/** What a version-2 header says, after checking that it holds together. */
function planV2(fn: string, raw: Record<string, unknown>): CheckpointPlan {
  const h = raw as Partial<Header>;
  if (h.version !== CHECKPOINT_VERSION) throw new CheckpointError(fn, 'header', `the header says version ${String(h.version)} but the file says ${CHECKPOINT_VERSION}`);
  if (h.weights !== 'float64') throw new CheckpointError(fn, 'header', `weights ${JSON.stringify(h.weights)} is not "float64"`);
  const layers = completeLayers(fn, h.layers);
  const vocabulary = checkModel(fn, layers, h.task, h.vocabulary, h.dtype, 'header');
  if (!Array.isArray(h.tensors)) throw new CheckpointError(fn, 'header', 'tensors is not a list');
  const shapes = layerParameterShapes(layers);
  const listed = JSON.stringify((h.tensors as unknown[]).map((t) => [(t as { name?: unknown } | null)?.name, (t as { shape?: unknown } | null)?.shape]));
  const implied = JSON.stringify(shapes.map((p) => [p.name, p.shape]));
  const { cell, hiddenSize, numLayers, bidirectional } = layers;
  if (listed !== implied) throw new CheckpointError(fn, 'header', `tensors ${listed} do not fit a ${cell} stack with hiddenSize ${hiddenSize}, numLayers ${numLayers}${bidirectional ? ', bidirectional' : ''} (${implied})`);
  return {
    version: CHECKPOINT_VERSION, layers, task: h.task as ModelTask, vocabulary, dtype: h.dtype ?? undefined,
    tensors: shapes.map((p) => ({ name: p.name, stored: p.name, shape: p.shape as readonly [number, number] })),
  };
}

function parseHeader(fn: string, json: Uint8Array): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (cause) {
    throw new CheckpointError(fn, 'header', `the header is not JSON (${(cause as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new CheckpointError(fn, 'header', 'the header is not a JSON object');
  const h = raw as Record<string, unknown>;
  if (h.format !== FORMAT) throw new CheckpointError(fn, 'header', `format is ${JSON.stringify(h.format)}, not "${FORMAT}"`);
  return h;
}

/** The types of `CheckpointMetadata`'s named entries: each check says what the value must be, or null when it is. */
const METADATA_CHECKS: Readonly<Record<string, (v: unknown) => string | null>> = {
  iterations: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? null : 'a non-negative integer'),
  initSeed: (v) => (typeof v === 'number' && Number.isInteger(v) ? null : 'an integer'),
  optimizer: (v) => (typeof v === 'string' ? null : 'a string'),
  batchSize: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 ? null : 'a positive integer'),
  learningRate: (v) => (typeof v === 'number' && v > 0 && Number.isFinite(v) ? null : 'a positive number'),
  schedule: (v) => (v === 'constant' || v === 'cosine' ? null : '"constant" or "cosine"'),
};

/** A copy of `metadata` after checking that it is a JSON object whose named entries have their types. */
function checkMetadata(fn: string, metadata: unknown): Record<string, unknown> {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new CheckpointError(fn, 'metadata', `metadata must be a JSON object, got ${JSON.stringify(metadata)}`);
  }
  const copy: Record<string, unknown> = { ...metadata };
  for (const [key, check] of Object.entries(METADATA_CHECKS)) {
    const value = copy[key];
    if (value === undefined) continue;
    const want = check(value);
    if (want !== null) throw new CheckpointError(fn, 'metadata', `metadata.${key} must be ${want}, got ${JSON.stringify(value)}`);
  }
  return copy;
}

function checkExpectation(fn: string, plan: CheckpointPlan, expect: CheckpointExpectation): void {
  const { layers } = plan;
  const mismatch = (what: string): never => {
    throw new CheckpointError(fn, 'mismatch', what);
  };
  if (expect.cell !== undefined && expect.cell !== layers.cell) mismatch(`the file holds a ${layers.cell} but a ${expect.cell} was expected`);
  if (expect.hiddenSize !== undefined && expect.hiddenSize !== layers.hiddenSize) mismatch(`the file has hiddenSize ${layers.hiddenSize} but ${expect.hiddenSize} was expected`);
  if (expect.numLayers !== undefined && expect.numLayers !== layers.numLayers) mismatch(`the file has numLayers ${layers.numLayers} but ${expect.numLayers} was expected`);
  if (expect.bidirectional !== undefined && expect.bidirectional !== layers.bidirectional) mismatch(`the file is ${layers.bidirectional ? '' : 'not '}bidirectional but ${expect.bidirectional ? 'a bidirectional' : 'a one-direction'} model was expected`);
  if (expect.task !== undefined && expect.task !== plan.task) mismatch(`the file holds a ${plan.task} model but a ${expect.task} model was expected`);
  if (expect.vocabulary !== undefined && JSON.stringify(expect.vocabulary) !== JSON.stringify(plan.vocabulary)) {
    mismatch(`the file's vocabulary ${JSON.stringify(plan.vocabulary?.join('') ?? null)} differs from the expected ${JSON.stringify(expect.vocabulary.join(''))}`);
  }
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
