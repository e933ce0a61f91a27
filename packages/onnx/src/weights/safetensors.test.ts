import { describe, expect, it } from 'vitest';
import { readSafetensors, WeightImportError, writeSafetensors } from '../index.js';

function file(header: object, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  it('writes and reads F32 and F64, with metadata, the header padded to 8 bytes', () => {
    const bytes = writeSafetensors({ b: { shape: [2], data: [0.1, -2] }, a: { shape: [2, 2], data: [1, 2, 3, 4] } }, { format: 'pt' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const read = readSafetensors(bytes);
    expect(read.metadata).toEqual({ format: 'pt' });
    expect(read.tensors['a']).toEqual({ dtype: 'F32', shape: [2, 2], data: Float64Array.from([1, 2, 3, 4]) });
    expect(Array.from(read.tensors['b']?.data ?? [])).toEqual([Math.fround(0.1), -2]);
    expect(Array.from(readSafetensors(writeSafetensors({ b: { shape: [1], data: [0.1] } }, {}, 'F64')).tensors['b']?.data ?? [])).toEqual([0.1]);
  });

  it('reads F16, BF16, I64 and I32 as PyTorch stores them', () => {
    const data = new Uint8Array([0x00, 0x3c, 0x00, 0xc0, 0x80, 0x3f, 0x00, 0xc0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 7, 0, 0, 0]);
    const t = readSafetensors(file({
      h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
      b: { dtype: 'BF16', shape: [2], data_offsets: [4, 8] },
      l: { dtype: 'I64', shape: [], data_offsets: [8, 16] },
      i: { dtype: 'I32', shape: [1], data_offsets: [16, 20] },
    }, data)).tensors;
    expect(Array.from(t['h']?.data ?? [])).toEqual([1, -2]);
    expect(Array.from(t['b']?.data ?? [])).toEqual([1, -2]);
    expect(Array.from(t['l']?.data ?? [])).toEqual([-1]);
    expect(Array.from(t['i']?.data ?? [])).toEqual([7]);
  });

  it('refuses malformed files before reading their data', () => {
    const bad = (bytes: Uint8Array, pattern: RegExp): void => {
      expect(() => readSafetensors(bytes)).toThrow(WeightImportError);
      expect(() => readSafetensors(bytes)).toThrow(pattern);
    };
    bad(new Uint8Array(3), /too few/);
    const lying = new Uint8Array(16);
    new DataView(lying.buffer).setBigUint64(0, 2n ** 60n, true);
    bad(lying, /the header claims 1152921504606846976 bytes/);
    bad(file({ x: { dtype: 'F32', shape: [1_000_000, 1_000_000], data_offsets: [0, 4] } }, new Uint8Array(4)), /needs 4000000000000 bytes, its offsets give 4/);
    bad(file({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, new Uint8Array(4)), /fall outside the 4 data bytes/);
    bad(file({ x: { dtype: 'U8', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), /dtype U8/);
    bad(file({ x: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8)), /must tile the data without gaps/);
    bad(file({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, y: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)), /must tile/);
    bad(file({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)), /not a list of non-negative integers/);
    const notJson = file({}, new Uint8Array(0));
    notJson[8] = 0x7b + 1;
    bad(notJson, /not JSON/);
  });
});
