import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_VERSION, decodeCheckpoint, encodeCheckpoint, type CheckpointData } from './checkpoint.js';
import { crc32 } from './crc32.js';
import { CheckpointError, type CheckpointProblem } from './errors.js';
import { initParameters } from './init.js';

const vocabulary = ['\n', 'a', 'b', 'c'];
const layers = { cell: 'lstm', inputSize: 4, hiddenSize: 5, numLayers: 1, bidirectional: false, outputSize: 4 } as const;
const data: CheckpointData = {
  layers,
  task: 'characters',
  vocabulary,
  parameters: initParameters(layers, { seed: 9 }),
  metadata: { iterations: 12, note: 'test' },
};
const numericLayers = { cell: 'gru', inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true, outputSize: 1 } as const;
const numeric: CheckpointData = { layers: numericLayers, task: 'last-step-regression', dtype: 'float32', parameters: initParameters(numericLayers, { seed: 2 }) };
/** A checkpoint of format version 1, written by @rnn/train 0.1.0 (see fixtures/v1-expected.json). */
const v1 = (cell: 'lstm' | 'rnn'): Uint8Array => new Uint8Array(readFileSync(new URL(`fixtures/v1-${cell}.ckpt`, import.meta.url)));

function rejects(bytes: Uint8Array, problem: CheckpointProblem, message: RegExp, expect_ = {}): void {
  let error: unknown;
  try {
    decodeCheckpoint(bytes, expect_);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(CheckpointError);
  expect((error as CheckpointError).problem).toBe(problem);
  expect((error as CheckpointError).message).toMatch(message);
}

/** Re-seals edited bytes with a correct CRC, so only the edit itself can be caught. */
function reseal(bytes: Uint8Array): Uint8Array {
  new DataView(bytes.buffer).setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
  return bytes;
}

/** Replaces the JSON header with `edit(header)`, keeping the weights and fixing lengths and CRC. */
function editHeader(bytes: Uint8Array, edit: (h: Record<string, unknown>) => void): Uint8Array {
  const view = new DataView(bytes.buffer);
  const length = view.getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + length))) as Record<string, unknown>;
  edit(header);
  const weights = bytes.subarray(Math.ceil((16 + length) / 8) * 8, bytes.length - 4);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = Math.ceil((16 + json.length) / 8) * 8;
  const out = new Uint8Array(start + weights.length + 4);
  out.set(bytes.subarray(0, 12));
  new DataView(out.buffer).setUint32(12, json.length, true);
  out.set(json, 16);
  out.set(weights, start);
  return reseal(out);
}

describe('checkpoints', () => {
  it('round-trips every weight bit for bit, with the layers, task, vocabulary, dtype and metadata', () => {
    const back = decodeCheckpoint(encodeCheckpoint(data));
    expect(back).toMatchObject({ version: 2, layers, task: 'characters', vocabulary, dtype: undefined, metadata: { iterations: 12, note: 'test' } });
    for (const [name, values] of Object.entries(data.parameters)) expect(Array.from(back.parameters[name]!), name).toEqual(Array.from(values));
    const other = decodeCheckpoint(encodeCheckpoint(numeric));
    expect(other).toMatchObject({ layers: numericLayers, task: 'last-step-regression', vocabulary: undefined, dtype: 'float32', metadata: {} });
    expect(Object.keys(other.parameters)).toEqual(Object.keys(numeric.parameters));
    for (const [name, values] of Object.entries(numeric.parameters)) expect(Array.from(other.parameters[name]!), name).toEqual(Array.from(values));
  });

  it('starts with the magic and the version, and ends with the CRC-32 of the rest', () => {
    const bytes = encodeCheckpoint(data);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x89, 0x52, 0x4e, 0x4e, 0x43, 0x4b, 0x50, 0x54]);
    expect(new DataView(bytes.buffer).getUint32(8, true)).toBe(CHECKPOINT_VERSION);
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('rejects any single flipped byte with a typed error', () => {
    const bytes = encodeCheckpoint(data);
    for (const at of [0, 9, 13, 20, 60, bytes.length - 100, bytes.length - 9, bytes.length - 1]) {
      const copy = bytes.slice();
      copy[at] = (copy[at] as number) ^ 0x10;
      expect(() => decodeCheckpoint(copy), `byte ${at}`).toThrow(CheckpointError);
    }
    const weightByte = bytes.slice();
    weightByte[bytes.length - 40] = (weightByte[bytes.length - 40] as number) ^ 1;
    rejects(weightByte, 'checksum', /CRC-32 is 0x[0-9a-f]{8} but 0x[0-9a-f]{8} was stored/);
  });

  it('rejects a cut-short file, a file that is not a checkpoint and another format version', () => {
    const bytes = encodeCheckpoint(data);
    rejects(bytes.subarray(0, 10), 'truncated', /shorter than the smallest checkpoint/);
    rejects(bytes.subarray(0, bytes.length - 17), 'checksum', /corrupted or cut short/);
    rejects(new TextEncoder().encode('{"cell":"lstm","hiddenSize":5,"x":1}'), 'magic', /not an @rnn\/train checkpoint/);
    const v3 = bytes.slice();
    new DataView(v3.buffer).setUint32(8, 3, true);
    rejects(reseal(v3), 'version', /format version 3 cannot be read; this code reads versions 1 and 2/);
  });

  it('rejects a header that does not describe its weights, even with a valid CRC', () => {
    const bytes = encodeCheckpoint(data);
    const edit = (f: (h: Record<string, unknown>, l: Record<string, unknown>) => void) => editHeader(bytes.slice(), (h) => f(h, h.layers as Record<string, unknown>));
    rejects(edit((_, l) => (l.hiddenSize = 6)), 'header', /do not fit a lstm stack with hiddenSize 6, numLayers 1/);
    rejects(edit((_, l) => (l.numLayers = 2)), 'header', /do not fit a lstm stack with hiddenSize 5, numLayers 2/);
    rejects(edit((_, l) => (l.cell = 'gru')), 'header', /do not fit a gru stack/);
    rejects(edit((_, l) => (l.cell = 'tcn')), 'header', /layers\.cell is "tcn"/);
    rejects(edit((_, l) => (l.bidirectional = 'yes')), 'header', /layers\.bidirectional "yes" is not a boolean/);
    rejects(edit((_, l) => (l.inputSize = 5)), 'header', /reads and writes its 4 characters, but layers\.inputSize is 5/);
    rejects(edit((h) => ((h.tensors as unknown[]).length = 3)), 'header', /do not fit/);
    rejects(edit((h) => (h.vocabulary = ['\n', 'a', 'a', 'c'])), 'header', /vocabulary is invalid/);
    rejects(edit((h) => (h.vocabulary = null)), 'header', /vocabulary is not a list \(a characters model has one\)/);
    rejects(edit((h) => (h.task = 'translation')), 'header', /task is "translation"/);
    rejects(edit((h) => (h.task = 'step-regression')), 'header', /a step-regression model has no vocabulary/);
    rejects(edit((h) => (h.dtype = 'int8')), 'header', /dtype "int8"/);
    rejects(edit((h) => (h.weights = 'float32')), 'header', /weights "float32" is not "float64"/);
    rejects(edit((h) => (h.version = 7)), 'header', /header says version 7/);
  });

  it('rejects a checkpoint of another model than expected', () => {
    const bytes = encodeCheckpoint(data);
    rejects(bytes, 'mismatch', /holds a lstm but a rnn was expected/, { cell: 'rnn' });
    rejects(bytes, 'mismatch', /hiddenSize 5 but 64 was expected/, { hiddenSize: 64 });
    rejects(bytes, 'mismatch', /numLayers 1 but 2 was expected/, { numLayers: 2 });
    rejects(bytes, 'mismatch', /is not bidirectional but a bidirectional model was expected/, { bidirectional: true });
    rejects(bytes, 'mismatch', /holds a characters model but a step-regression model was expected/, { task: 'step-regression' });
    rejects(bytes, 'mismatch', /vocabulary/, { vocabulary: ['\n', 'x'] });
    expect(decodeCheckpoint(bytes, { cell: 'lstm', hiddenSize: 5, vocabulary, numLayers: 1, bidirectional: false, task: 'characters' }).layers.hiddenSize).toBe(5);
  });

  it('refuses to encode parameters of the wrong size', () => {
    const bad = { ...data, parameters: { ...data.parameters, 'l0.Wf': new Float64Array(3) } };
    expect(() => encodeCheckpoint(bad)).toThrow(/parameter l0\.Wf should hold \(5, 9\) = 45 values, got 3/);
  });

  it('refuses to encode a model that does not hold together', () => {
    expect(() => encodeCheckpoint({ ...data, vocabulary: undefined })).toThrow(/checkpoint rejected \(header\): vocabulary is not a list/);
    expect(() => encodeCheckpoint({ ...numeric, vocabulary })).toThrow(/a last-step-regression model has no vocabulary/);
    expect(() => encodeCheckpoint({ ...numeric, layers: { ...numericLayers, hiddenSize: 0 } })).toThrow(/layers\.hiddenSize 0 is not a positive integer/);
  });
});

describe('checkpoints of format version 1', () => {
  it.each(['lstm', 'rnn'] as const)('%s: read as a one-layer characters model, its keys renamed to the stack\'s', (cell) => {
    const back = decodeCheckpoint(v1(cell));
    expect(back).toMatchObject({ version: 1, task: 'characters', dtype: undefined, layers: { cell, inputSize: 4, hiddenSize: 4, numLayers: 1, bidirectional: false, outputSize: 4 } });
    expect(back.vocabulary).toEqual(['\n', 'a', 'b', 'c']);
    expect(Object.keys(back.parameters).sort()).toEqual(Object.keys(initParameters(back.layers, { seed: 0 })).sort());
    expect(back.metadata?.iterations).toBe(5);
    const stored = cell === 'lstm' ? 'l0.Wf' : 'l0.Waa';
    expect(back.parameters[stored]!.every(Number.isFinite)).toBe(true);
  });

  it('are checked as strictly as version 2', () => {
    const bytes = v1('lstm');
    rejects(editHeader(bytes.slice(), (h) => (h.cell = 'gru')), 'header', /cell is "gru", not "lstm" or "rnn" \(format 1\)/);
    rejects(editHeader(bytes.slice(), (h) => (h.hiddenSize = 6)), 'header', /do not fit a lstm with hiddenSize 6 and 4 characters/);
    rejects(editHeader(bytes.slice(), (h) => (h.vocabulary = ['\n', 'a', 'a', 'c'])), 'header', /vocabulary is invalid/);
    rejects(editHeader(bytes.slice(), (h) => (h.version = 2)), 'header', /header says version 2 but the file says 1/);
    rejects(bytes, 'mismatch', /holds a lstm but a gru was expected/, { cell: 'gru' });
    const flipped = bytes.slice();
    flipped[flipped.length - 20] = (flipped[flipped.length - 20] as number) ^ 1;
    rejects(flipped, 'checksum', /CRC-32/);
  });
});

describe('checkpoint values and metadata', () => {
  it('refuses to encode weights that are not finite', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const Wy = data.parameters.Wy!.slice();
      Wy[2] = bad;
      let error: unknown;
      try {
        encodeCheckpoint({ ...data, parameters: { ...data.parameters, Wy } });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CheckpointError);
      expect((error as CheckpointError).problem).toBe('non-finite');
      expect((error as CheckpointError).message).toMatch(new RegExp(`parameter Wy holds ${bad} at index 2`));
    }
  });

  it('rejects stored weights that are not finite', () => {
    const bytes = encodeCheckpoint(data);
    new DataView(bytes.buffer).setFloat64(bytes.length - 12, Number.NaN, true);
    rejects(reseal(bytes), 'non-finite', /parameter by holds NaN/);
  });

  it('validates the metadata it knows on load, with a CheckpointError', () => {
    const bytes = encodeCheckpoint(data);
    rejects(editHeader(bytes.slice(), (h) => (h.metadata = { iterations: { toString: 1 } })), 'metadata', /metadata\.iterations must be a non-negative integer, got \{"toString":1\}/);
    rejects(editHeader(bytes.slice(), (h) => (h.metadata = { iterations: -1 })), 'metadata', /iterations/);
    rejects(editHeader(bytes.slice(), (h) => (h.metadata = { learningRate: 'fast' })), 'metadata', /metadata\.learningRate must be a positive number/);
    rejects(editHeader(bytes.slice(), (h) => (h.metadata = { schedule: 3 })), 'metadata', /metadata\.schedule/);
    rejects(editHeader(bytes.slice(), (h) => (h.metadata = [1, 2])), 'metadata', /metadata must be a JSON object/);
    rejects(editHeader(bytes.slice(), (h) => (h.metadata = 'x')), 'metadata', /metadata must be a JSON object/);
    const free = decodeCheckpoint(editHeader(bytes.slice(), (h) => (h.metadata = { iterations: 3, note: { any: ['json'] } })));
    expect(free.metadata).toEqual({ iterations: 3, note: { any: ['json'] } });
    expect(decodeCheckpoint(editHeader(bytes.slice(), (h) => delete h.metadata)).metadata).toEqual({});
  });

  it('refuses to encode metadata it would refuse to read', () => {
    expect(() => encodeCheckpoint({ ...data, metadata: { iterations: 1.5 } })).toThrow(/checkpoint rejected \(metadata\): metadata\.iterations must be a non-negative integer/);
  });
});
