import { describe, expect, it } from 'vitest';
import { WIRE, WireReader } from './wire-reader.js';
import { WireWriter } from './wire-writer.js';

const fail = (problem: string): never => {
  throw new Error(problem);
};

describe('protobuf wire format', () => {
  it('varints round-trip: 0, 1, 127, 128, 2^31, 2^53 − 1, and negative int64 as ten bytes', () => {
    const values = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1, -1, -2, -(2 ** 31), -(2 ** 40) - 3];
    const w = new WireWriter();
    values.forEach((v, i) => w.int(i + 1, v));
    const bytes = w.finish();
    const r = new WireReader(bytes, 'test', fail);
    for (const [i, v] of values.entries()) {
      expect(r.tag()).toEqual({ field: i + 1, wire: WIRE.varint });
      expect(r.int64()).toBe(v);
    }
    expect(r.done).toBe(true);
    expect(Array.from(new WireWriter().int(1, -1).finish())).toEqual([8, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1]);
  });

  it('INT64_MAX and INT64_MIN read as the nearest doubles', () => {
    const max = Uint8Array.from([8, 255, 255, 255, 255, 255, 255, 255, 255, 127]);
    const min = Uint8Array.from([8, 128, 128, 128, 128, 128, 128, 128, 128, 128, 1]);
    for (const [bytes, want] of [[max, 2 ** 63], [min, -(2 ** 63)]] as const) {
      const r = new WireReader(bytes, 't', fail);
      r.tag();
      expect(r.int64()).toBe(want);
    }
  });

  it('packed and unpacked repeated fields, floats, strings and nested messages; unknown fields of every wire type are skipped', () => {
    const inner = new WireWriter().string(1, 'héllo').float(2, 1.5);
    const bytes = new WireWriter()
      .packedInts(1, [3, -4, 5])
      .int(1, 6)
      .packedFloats(2, [0.5, -2])
      .float(2, 4)
      .message(3, inner)
      .int(9, 99)
      .bytes(10, new Uint8Array([1, 2, 3]))
      .float(11, 7)
      .finish();
    const withFixed64 = new Uint8Array([...bytes, (12 << 3) | WIRE.fixed64, 1, 2, 3, 4, 5, 6, 7, 8]);
    const r = new WireReader(withFixed64, 't', fail);
    const ints: number[] = [];
    const floats: number[] = [];
    let text = '';
    let f = 0;
    while (!r.done) {
      const { field, wire } = r.tag();
      if (field === 1) r.repeatedInt64(wire, ints, 'ints');
      else if (field === 2) r.repeatedFloat(wire, floats, 'floats');
      else if (field === 3) {
        const m = r.message('inner');
        while (!m.done) {
          const t = m.tag();
          if (t.field === 1) text = m.string();
          else f = m.float();
        }
      } else r.skip(wire);
    }
    expect(ints).toEqual([3, -4, 5, 6]);
    expect(floats).toEqual([0.5, -2, 4]);
    expect([text, f]).toEqual(['héllo', 1.5]);
  });

  it('refuses truncated fixed values, lengths past the window, and packed floats of a ragged length', () => {
    expect(() => {
      const r = new WireReader(new Uint8Array([(1 << 3) | WIRE.fixed32, 0, 0]), 't', fail);
      r.tag();
      r.float();
    }).toThrow(/truncated bytes: t ends at byte 3 while reading a float/);
    expect(() => {
      const r = new WireReader(new Uint8Array([(1 << 3) | WIRE.fixed64, 0]), 't', fail);
      r.skip(r.tag().wire);
    }).toThrow(/truncated/);
    expect(() => {
      const r = new WireReader(new Uint8Array([(1 << 3) | WIRE.bytes, 3, 0, 0, 0]), 't', fail);
      r.repeatedFloat(r.tag().wire, [], 'f');
    }).toThrow(/packed floats f of 3 bytes, not a multiple of 4/);
  });
});
