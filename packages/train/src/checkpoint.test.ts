import { describe, expect, it } from 'vitest';
import { CHECKPOINT_VERSION, decodeCheckpoint, encodeCheckpoint, type CheckpointData } from './checkpoint.js';
import { crc32 } from './crc32.js';
import { CheckpointError, type CheckpointProblem } from './errors.js';
import { initParameters } from './init.js';

const vocabulary = ['\n', 'a', 'b', 'c'];
const data: CheckpointData = {
  cell: 'lstm',
  hiddenSize: 5,
  vocabulary,
  parameters: initParameters('lstm', { nX: 4, nA: 5, nY: 4 }, { seed: 9 }),
  metadata: { iterations: 12, note: 'test' },
};

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
  it('round-trips every weight bit for bit, with the header and metadata', () => {
    const back = decodeCheckpoint(encodeCheckpoint(data));
    expect(back.cell).toBe('lstm');
    expect(back.hiddenSize).toBe(5);
    expect(back.vocabulary).toEqual(vocabulary);
    expect(back.metadata).toEqual({ iterations: 12, note: 'test' });
    for (const [name, values] of Object.entries(data.parameters)) expect(Array.from(back.parameters[name]!), name).toEqual(Array.from(values));
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
    const v2 = bytes.slice();
    new DataView(v2.buffer).setUint32(8, 2, true);
    rejects(reseal(v2), 'version', /format version 2 cannot be read; this code reads version 1/);
  });

  it('rejects a header that does not describe its weights, even with a valid CRC', () => {
    const bytes = encodeCheckpoint(data);
    rejects(editHeader(bytes.slice(), (h) => (h.hiddenSize = 6)), 'header', /do not fit a lstm with hiddenSize 6/);
    rejects(editHeader(bytes.slice(), (h) => (h.cell = 'gru')), 'header', /cell is "gru"/);
    rejects(editHeader(bytes.slice(), (h) => ((h.tensors as unknown[]).length = 3)), 'header', /do not fit/);
    rejects(editHeader(bytes.slice(), (h) => (h.vocabulary = ['\n', 'a', 'a', 'c'])), 'header', /vocabulary is invalid/);
    rejects(editHeader(bytes.slice(), (h) => (h.version = 7)), 'header', /header says version 7/);
  });

  it('rejects a checkpoint of another model than expected', () => {
    const bytes = encodeCheckpoint(data);
    rejects(bytes, 'mismatch', /holds a lstm but a rnn was expected/, { cell: 'rnn' });
    rejects(bytes, 'mismatch', /hiddenSize 5 but 64 was expected/, { hiddenSize: 64 });
    rejects(bytes, 'mismatch', /vocabulary/, { vocabulary: ['\n', 'x'] });
    expect(decodeCheckpoint(bytes, { cell: 'lstm', hiddenSize: 5, vocabulary }).hiddenSize).toBe(5);
  });

  it('refuses to encode parameters of the wrong size', () => {
    const bad = { ...data, parameters: { ...data.parameters, Wf: new Float64Array(3) } };
    expect(() => encodeCheckpoint(bad)).toThrow(/parameter Wf should hold \(5, 9\) = 45 values, got 3/);
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
