import { crc32 } from './crc32.js';
import { CheckpointError } from './errors.js';
import { checkCell, parameterShapes, type CellType, type HostParameters } from './parameters.js';
import { Vocabulary } from './vocabulary.js';

/** The format version this code writes and the only one it reads. */
export const CHECKPOINT_VERSION = 1;

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
  /** Names per batch in the last `fit`: a positive integer. */
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
  /** `lstm` or `rnn`. */
  readonly cell: CellType;
  /** `n_a`. */
  readonly hiddenSize: number;
  /** The characters by index (`n_x = n_y` = their number). */
  readonly vocabulary: readonly string[];
  /** float64 values by NumPy key, in `parameterShapes` order and shape. */
  readonly parameters: HostParameters;
  /** JSON about the training run (iterations, seed, losses …); see `CheckpointMetadata`. */
  readonly metadata?: CheckpointMetadata | undefined;
}

/** The JSON header, as stored. */
interface Header {
  format: string;
  version: number;
  cell: CellType;
  hiddenSize: number;
  vocabulary: string[];
  dtype: 'float64';
  tensors: { name: string; shape: [number, number] }[];
  metadata: CheckpointMetadata;
}

/**
 * Encodes a checkpoint. Layout (all little-endian):
 *
 *     0   8 bytes   magic  \x89 R N N C K P T
 *     8   u32       format version (1)
 *     12  u32       header length H
 *     16  H bytes   JSON header: format, version, cell, hiddenSize, vocabulary, dtype,
 *                   tensors [{ name, shape }] in storage order, metadata
 *         0–7 bytes zero padding to a multiple of 8
 *         …         weights: float64, each tensor in C order, in header order
 *         u32       CRC-32 of every byte before it
 *
 * Refuses, with a `CheckpointError`, weights that are not finite (`non-finite`: a diverged
 * model is never written), parameters of the wrong size (`header`) and metadata of the wrong
 * type (`metadata`, see `CheckpointMetadata`).
 *
 * @example
 * ```ts
 * const bytes = encodeCheckpoint({ cell: 'lstm', hiddenSize: 64, vocabulary: vocabulary.chars, parameters, metadata: { iterations: 1000 } });
 * decodeCheckpoint(bytes).metadata?.iterations;   // 1000
 * ```
 */
export function encodeCheckpoint(data: CheckpointData): Uint8Array {
  const fn = 'encodeCheckpoint';
  checkCell(fn, data.cell);
  const vocabulary = new Vocabulary(data.vocabulary);
  const shapes = parameterShapes(data.cell, { nX: vocabulary.size, nA: data.hiddenSize, nY: vocabulary.size });
  const header: Header = {
    format: FORMAT,
    version: CHECKPOINT_VERSION,
    cell: data.cell,
    hiddenSize: data.hiddenSize,
    vocabulary: [...vocabulary.chars],
    dtype: 'float64',
    tensors: shapes.map(([name, [r, c]]) => ({ name, shape: [r, c] })),
    metadata: checkMetadata(fn, data.metadata ?? {}),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const weightsOffset = align8(PREFIX + json.length);
  let weightCount = 0;
  for (const [name, [r, c]] of shapes) {
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
  for (const [name] of shapes) {
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
  readonly cell?: CellType | undefined;
  /** The `n_a` it must have. */
  readonly hiddenSize?: number | undefined;
  /** The characters, in order, it must use. */
  readonly vocabulary?: readonly string[] | undefined;
}

/**
 * Decodes and validates a checkpoint; nothing is returned unless every check passes. Throws a
 * `CheckpointError` whose `problem` says why: `truncated`, `magic` (not a checkpoint),
 * `version` (another format version), `checksum` (bytes changed since they were written),
 * `header` (a header that does not describe its weights), `mismatch` (not the model `expect`
 * describes), `non-finite` (weights holding NaN or ±∞) or `metadata` (a `CheckpointMetadata`
 * entry of the wrong type).
 *
 * @example
 * ```ts
 * const { cell, hiddenSize, parameters } = decodeCheckpoint(bytes, { cell: 'lstm' });   // throws unless an LSTM
 * ```
 */
export function decodeCheckpoint(bytes: Uint8Array, expect: CheckpointExpectation = {}): CheckpointData {
  const fn = 'decodeCheckpoint';
  if (bytes.length < PREFIX + 4) throw new CheckpointError(fn, 'truncated', `${bytes.length} bytes is shorter than the smallest checkpoint`);
  if (!CHECKPOINT_MAGIC.every((b, i) => bytes[i] === b)) throw new CheckpointError(fn, 'magic', 'the file does not start with \\x89RNNCKPT; it is not an @rnn/train checkpoint');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CHECKPOINT_VERSION) throw new CheckpointError(fn, 'version', `format version ${version} cannot be read; this code reads version ${CHECKPOINT_VERSION}`);
  const headerLength = view.getUint32(12, true);
  if (PREFIX + headerLength + 4 > bytes.length) throw new CheckpointError(fn, 'truncated', `the header claims ${headerLength} bytes but the file holds ${bytes.length}`);
  const end = bytes.length - 4;
  const stored = view.getUint32(end, true);
  const actual = crc32(bytes.subarray(0, end));
  if (stored !== actual) {
    throw new CheckpointError(fn, 'checksum', `CRC-32 is ${hex(actual)} but ${hex(stored)} was stored: the file was corrupted or cut short`);
  }
  const header = parseHeader(fn, bytes.subarray(PREFIX, PREFIX + headerLength));
  const shapes = parameterShapes(header.cell, { nX: header.vocabulary.length, nA: header.hiddenSize, nY: header.vocabulary.length });
  const listed = JSON.stringify(header.tensors.map((t: Partial<Header['tensors'][number]> | null) => [t?.name, t?.shape]));
  const implied = JSON.stringify(shapes.map(([name, shape]) => [name, shape]));
  if (listed !== implied) throw new CheckpointError(fn, 'header', `tensors ${listed} do not fit a ${header.cell} with hiddenSize ${header.hiddenSize} and ${header.vocabulary.length} characters (${implied})`);
  const weightsOffset = align8(PREFIX + headerLength);
  const count = shapes.reduce((n, [, [r, c]]) => n + r * c, 0);
  if (end - weightsOffset !== count * 8) throw new CheckpointError(fn, 'header', `the header lists ${count} float64 weights (${count * 8} bytes) but ${end - weightsOffset} bytes follow it`);

  checkExpectation(fn, header, expect);
  const parameters: Record<string, Float64Array> = {};
  let offset = weightsOffset;
  for (const [name, [r, c]] of shapes) {
    const values = new Float64Array(r * c);
    for (let i = 0; i < values.length; i++, offset += 8) values[i] = view.getFloat64(offset, true);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new CheckpointError(fn, 'non-finite', `parameter ${name} holds ${values[bad]} at index ${bad}`);
    parameters[name] = values;
  }
  return { cell: header.cell, hiddenSize: header.hiddenSize, vocabulary: header.vocabulary, parameters, metadata: header.metadata };
}

function parseHeader(fn: string, json: Uint8Array): Header {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (cause) {
    throw new CheckpointError(fn, 'header', `the header is not JSON (${(cause as Error).message})`);
  }
  const h = raw as Partial<Header> | null;
  const bad = (what: string): never => {
    throw new CheckpointError(fn, 'header', what);
  };
  if (typeof h !== 'object' || h === null) return bad('the header is not a JSON object');
  if (h.format !== FORMAT) bad(`format is ${JSON.stringify(h.format)}, not "${FORMAT}"`);
  if (h.version !== CHECKPOINT_VERSION) bad(`the header says version ${String(h.version)} but the file says ${CHECKPOINT_VERSION}`);
  if (h.cell !== 'lstm' && h.cell !== 'rnn') bad(`cell is ${JSON.stringify(h.cell)}, not "lstm" or "rnn"`);
  if (!Number.isInteger(h.hiddenSize) || (h.hiddenSize as number) < 1) bad(`hiddenSize ${JSON.stringify(h.hiddenSize)} is not a positive integer`);
  if (h.dtype !== 'float64') bad(`dtype ${JSON.stringify(h.dtype)} is not "float64"`);
  if (!Array.isArray(h.tensors)) bad('tensors is not a list');
  if (!Array.isArray(h.vocabulary)) bad('vocabulary is not a list');
  try {
    new Vocabulary(h.vocabulary as string[]);
  } catch (cause) {
    bad(`vocabulary is invalid (${(cause as Error).message})`);
  }
  return { ...(h as Header), metadata: h.metadata === undefined ? {} : checkMetadata(fn, h.metadata) };
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

function checkExpectation(fn: string, header: Header, expect: CheckpointExpectation): void {
  if (expect.cell !== undefined && expect.cell !== header.cell) {
    throw new CheckpointError(fn, 'mismatch', `the file holds a ${header.cell} but a ${expect.cell} was expected`);
  }
  if (expect.hiddenSize !== undefined && expect.hiddenSize !== header.hiddenSize) {
    throw new CheckpointError(fn, 'mismatch', `the file has hiddenSize ${header.hiddenSize} but ${expect.hiddenSize} was expected`);
  }
  if (expect.vocabulary !== undefined && JSON.stringify(expect.vocabulary) !== JSON.stringify(header.vocabulary)) {
    throw new CheckpointError(fn, 'mismatch', `the file's vocabulary ${JSON.stringify(header.vocabulary.join(''))} differs from the expected ${JSON.stringify(expect.vocabulary.join(''))}`);
  }
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
