/**
 * A bounded reader of the protobuf wire format: varints, fixed 32/64-bit values and
 * length-delimited fields, over one `Uint8Array` window. Every length is checked against the
 * bytes left in the window before anything is read or allocated, a varint is at most 10 bytes,
 * and groups (wire types 3 and 4) are refused, so malformed or hostile bytes end in `fail`
 * quickly instead of a hang or a huge allocation.
 */

/** The protobuf wire types. */
export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

const UTF8 = new TextDecoder('utf-8', { fatal: false });

/** Called with what went wrong; must throw. */
export type WireFail = (problem: string) => never;

export class WireReader {
  #pos: number;
  readonly #end: number;
  readonly #bytes: Uint8Array;
  readonly #view: DataView;

  constructor(
    bytes: Uint8Array,
    /** What is being read, for messages: `ModelProto.graph`. */
    readonly what: string,
    readonly fail: WireFail,
    start = 0,
    end = bytes.length,
  ) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#pos = start;
    this.#end = end;
  }

  /** True when the window is read to its end. */
  get done(): boolean {
    return this.#pos >= this.#end;
  }

  /** Bytes left in the window. */
  get left(): number {
    return this.#end - this.#pos;
  }

  #truncated(reading: string): never {
    return this.fail(`truncated bytes: ${this.what} ends at byte ${this.#end} while reading ${reading}`);
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wire: number } {
    const tag = this.varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 0) this.fail(`malformed protobuf in ${this.what}: field number 0 at byte ${this.#pos}`);
    if (wire === 3 || wire === 4) this.fail(`malformed protobuf in ${this.what}: groups (wire type ${wire}) are not part of ONNX`);
    if (wire !== 0 && wire !== 1 && wire !== 2 && wire !== 5) this.fail(`malformed protobuf in ${this.what}: wire type ${wire} does not exist`);
    return { field, wire };
  }

  /** A varint as two 32-bit halves. */
  #halves(): { lo: number; hi: number } {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.#pos >= this.#end) this.#truncated('a varint');
      const b = this.#bytes[this.#pos++] as number;
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if (b < 0x80) return { lo: lo >>> 0, hi };
    }
    return this.fail(`malformed protobuf in ${this.what}: a varint longer than 10 bytes`);
  }

  /** An unsigned varint (lengths, tags, enum values, `uint64`); exact up to 2^53. */
  varint(): number {
    const { lo, hi } = this.#halves();
    return (hi >>> 0) * 0x1_0000_0000 + lo;
  }

  /** A two's-complement `int64`/`int32` varint; exact for |v| ≤ 2^53, rounded beyond (INT64_MAX reads as 9.223372036854776e18). */
  int64(): number {
    const { lo, hi } = this.#halves();
    return (hi | 0) * 0x1_0000_0000 + lo;
  }

  /** A little-endian float32 (wire type 5). */
  float(): number {
    if (this.left < 4) this.#truncated('a float');
    const v = this.#view.getFloat32(this.#pos, true);
    this.#pos += 4;
    return v;
  }

  /** The length of a length-delimited field, checked against the bytes left. */
  #length(): number {
    const n = this.varint();
    if (n > this.left) this.#truncated(`a field of ${n} bytes (${this.left} left)`);
    return n;
  }

  /** A length-delimited field's bytes: a view into the input, not a copy. */
  bytes(): Uint8Array {
    const n = this.#length();
    const out = this.#bytes.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  /** A length-delimited field as UTF-8 text. */
  string(): string {
    return UTF8.decode(this.bytes());
  }

  /** A length-delimited field as a reader of its own window (an embedded message). */
  message(what: string): WireReader {
    const n = this.#length();
    const sub = new WireReader(this.#bytes, `${this.what}.${what}`, this.fail, this.#pos, this.#pos + n);
    this.#pos += n;
    return sub;
  }

  /** Skips a field of `wire` type (an unknown field). */
  skip(wire: number): void {
    if (wire === WIRE.varint) this.varint();
    else if (wire === WIRE.fixed64) {
      if (this.left < 8) this.#truncated('a fixed64');
      this.#pos += 8;
    } else if (wire === WIRE.fixed32) {
      if (this.left < 4) this.#truncated('a fixed32');
      this.#pos += 4;
    } else {
      const n = this.#length(); // read first: `#pos += #length()` would add to the position before the length
      this.#pos += n;
    }
  }

  /** Requires `wire` for a field; a field of another wire type is malformed. */
  expect(wire: number, actual: number, field: string): void {
    if (wire !== actual) this.fail(`malformed protobuf in ${this.what}: field ${field} has wire type ${actual}, expected ${wire}`);
  }

  /** Appends a repeated varint field, packed (wire type 2) or not (0), as signed int64 values. */
  repeatedInt64(wire: number, into: number[], field: string): void {
    if (wire === WIRE.varint) {
      into.push(this.int64());
      return;
    }
    this.expect(WIRE.bytes, wire, field);
    const packed = this.message(field);
    while (!packed.done) into.push(packed.int64());
  }

  /** Appends a repeated float field, packed (wire type 2) or not (5). */
  repeatedFloat(wire: number, into: number[], field: string): void {
    if (wire === WIRE.fixed32) {
      into.push(this.float());
      return;
    }
    this.expect(WIRE.bytes, wire, field);
    const packed = this.message(field);
    if (packed.left % 4 !== 0) this.fail(`malformed protobuf in ${this.what}: packed floats ${field} of ${packed.left} bytes, not a multiple of 4`);
    while (!packed.done) into.push(packed.float());
  }
}
